"""flask --app wsgi create-admin USERNAME: make (or promote) an admin account."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from finder.accounts import passwords, store
from finder.db import new_session


def at_terminal() -> bool:
    return sys.stdin.isatty()


def read_password() -> str:
    """Twice with confirmation at a terminal; one line of standard input otherwise. Never argv."""
    if at_terminal():
        value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return value
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-admin")
@click.argument("username")
@with_appcontext
def create_admin_command(username: str) -> None:
    """Create an admin account, or make an existing account an admin (its password is kept)."""
    session = new_session()
    try:
        user = store.find_user(session, username)
        if user is not None:
            user.is_admin = True
            session.commit()
            click.echo(f"{user.username} is now an admin (password unchanged).")
            return
        if not store.USERNAME_PATTERN.match(username.strip()):
            raise click.ClickException(
                "Use 3 to 40 letters a-z, digits, dots, dashes or underscores for the username."
            )
        password = read_password()
        problem = passwords.password_problem(password, username)
        if problem:
            raise click.ClickException(problem)
        user = store.create_user(session, username, password, "UTC")
        user.is_admin = True
        session.commit()
        click.echo(f"Created the admin account {user.username}.")
    finally:
        session.close()
