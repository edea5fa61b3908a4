"""Spanish pages: account, organizer and list pages speak Spanish with ?lang=es, English without."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from finder.models import Meeting
from tests.accounts_support import days_ago, login, register, text


def visible(html: str) -> str:
    """The page's words without its tags, so English in attributes or URLs does not count."""
    body = html.split("<body", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(
    ("path", "spanish", "english"),
    [
        (
            "/login",
            ["Iniciar sesión", "Nombre de usuario", "Contraseña", "¿Primera vez aquí?"],
            "Log in",
        ),
        (
            "/register",
            ["Crear una cuenta", "Contraseña otra vez", "Su zona horaria"],
            "Create an account",
        ),
        ("/me/favorites", ["Mis reuniones", "Todavía no hay reuniones guardadas"], "My meetings"),
        ("/lists/new", ["Hacer una lista de reuniones para alguien", "Título"], "Make the list"),
    ],
)
def test_public_pages_in_spanish(
    client: FlaskClient, path: str, spanish: list[str], english: str
) -> None:
    words = visible(text(client.get(f"{path}?lang=es")))
    for word in spanish:
        assert word in words
    assert english not in words
    assert english in visible(text(client.get(f"{path}?lang=en")))


def test_sobriety_page_counts_in_spanish(client: FlaskClient) -> None:
    register(client)
    client.post("/me/sobriety", data={"label": "", "date": days_ago(100)})
    words = visible(text(client.get("/me/sobriety?lang=es")))
    assert "Mi tiempo limpio y sobrio" in words
    assert "Limpio y sobrio" in words  # the default label, stored in English, shown in Spanish
    assert "100 días" in words and "Logros alcanzados" in words
    assert re.search(r"3 meses y \d+ días? desde el", words)
    assert "Clean and sober" not in words and "Milestones" not in words
    assert "UTC (tiempo universal coordinado)" in words and "Nueva York" in words
    english = visible(text(client.get("/me/sobriety?lang=en")))
    assert "Clean and sober" in english and "100 days" in english


def test_organizer_pages_in_spanish(client: FlaskClient) -> None:
    register(client)
    dashboard = visible(text(client.get("/organize?lang=es")))
    assert "Sus grupos y reuniones" in dashboard and "Publicar una reunión" in dashboard
    form = visible(text(client.get("/organize/meetings/new?lang=es")))
    for word in ("Nombre de la reunión", "Hora de inicio", "Quién puede ir", "Dónde", "Lunes"):
        assert word in form
    assert "Abierta" in form  # type names from types.json's Spanish
    assert "Meeting name" not in form and "Monday" not in form


def test_form_errors_and_flashes_in_spanish(client: FlaskClient) -> None:
    register(client)
    client.post("/logout")
    client.get("/?lang=es")  # the choice is kept in a cookie
    assert "no coinciden" in visible(text(login(client, password="not the password")))
    empty = visible(text(client.post("/login", data={"username": "", "password": ""})))
    assert "Escriba su nombre de usuario." in empty
    login(client)
    assert "Inició sesión." in visible(text(client.get("/me")))


def test_list_page_in_spanish(client: FlaskClient, make_meeting: Callable[..., Meeting]) -> None:
    make_meeting(slug="grupo-esperanza", day=1, time=dt.time(19, 0))
    made = client.post(
        "/lists?lang=es", data={"title": "", "slug": ["grupo-esperanza"], "do": "save"}
    )
    page = visible(text(client.get(made.headers["Location"])))
    assert "Reuniones para probar" in page  # the empty title is named in the maker's language
    assert "Compartir esta lista" in page and "Próxima:" in page
    assert "Los lunes a las 19:00" in page and "Mondays" not in page  # starts its line
