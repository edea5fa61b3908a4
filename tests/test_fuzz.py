"""The fuzz suite (issue 13): hypothesis over every route's parameters and every form.

Routes are read from the app's URL map, so routes added later are fuzzed too: path
parameters by converter, query strings and form bodies from the names finder reads plus
strangers, values from odd text, huge numbers, control and bidi characters. The bar: no
answer is a server error. FUZZ_EXAMPLES sets the budget per route (default 12).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finder import create_app
from finder.accounts import passwords
from tests.accounts_support import PASSWORD, days_ago, login, register

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

QUERY_NAMES = [
    "near",
    "lat",
    "lng",
    "radius",
    "radius_km",
    "day",
    "type",
    "attendance",
    "fellowship",
    "time",
    "limit",
    "offset",
    "page",
    "sort",
    "lang",
    "next",
    "v",
]
FORM_NAMES = [
    "username",
    "password",
    "confirm",
    "timezone",
    "label",
    "date",
    "keep_earlier",
    "current_password",
    "action",
    "next",
    "remember",
    "csrf_token",
]
ODD = [
    "", " ", "0", "-1", "1", "2147483647", "2147483648", "9" * 25, "-" + "9" * 25, "1e309",
    "nan", "inf", "-0", "0x10", "١٢", "²", "today", "tomorrow", "any", "6", "7", "10001",
    "40.7484,-73.9967", "Boston, MA", "100 Main St, Springfield", "\x00", "a\x00b", "\x1b[2J",
    "line\nbreak", "\r\n", "\u202eevil", "\u2066x\u2069", "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "../../etc/passwd", "//evil.example", "https://evil.example",
    "\ud7ff", "\U0001f600", "x" * 5000, "2024-02-30", "1899-12-31", "9999-12-31", "UTC",
    "America/New_York", "Mars/Olympus", "add", "remove", "y", "on", "AA", "aa", "ONL",
]  # fmt: skip
values = st.one_of(st.sampled_from(ODD), st.text(max_size=30))
numbers = st.one_of(st.integers(min_value=-5, max_value=10**25).map(str), st.sampled_from(ODD))


def _rules() -> list[tuple[str, str, str, dict[str, str]]]:
    """(endpoint, method, rule, argument -> converter name) for every route of the app."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    found = []
    for rule in app.url_map.iter_rules():
        converters = {name: type(conv).__name__ for name, conv in rule._converters.items()}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule, converters))
    return sorted(found)


RULES = _rules()


def _path(rule: str, converters: dict[str, str], draw: Any) -> str:
    path = rule
    for name, kind in converters.items():
        raw = draw(numbers if "Integer" in kind or "RecordId" in kind else values)
        path = path.replace(f"<{_spec(rule, name)}>", quote(raw, safe="") or "x")
    return path


def _spec(rule: str, name: str) -> str:
    start = rule.index(f":{name}>") if f":{name}>" in rule else rule.index(f"<{name}>") + 1
    begin = rule.rindex("<", 0, start) + 1
    return rule[begin : rule.index(">", begin)]


@pytest.fixture
def seeded(app, make_meeting, monkeypatch):
    """A meeting, an account with a date: so some fuzzed slugs and ids hit real rows."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    make_meeting(slug="fuzz-meeting")
    client = app.test_client()
    register(client, username="fuzzer")
    client.post("/me/sobriety", data={"label": "Alcohol", "date": days_ago(30)})
    return app


@pytest.mark.parametrize(("endpoint", "method", "rule", "converters"), RULES,
                         ids=[f"{m} {r}" for _e, m, r, _c in RULES])  # fmt: skip
def test_no_route_answers_a_server_error(seeded, endpoint, method, rule, converters):
    @FUZZ
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        client = seeded.test_client()
        if data.draw(st.booleans()):
            assert login(client, username="fuzzer", password=PASSWORD).status_code == 302
        path = _path(rule, converters, data.draw)
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=5))
        url = f"{path}?{urlencode(query)}" if query else path
        if method == "GET":
            response = client.get(url)
        else:
            names = st.one_of(st.sampled_from(FORM_NAMES), st.text(min_size=1, max_size=10))
            form = data.draw(st.dictionaries(names, values, max_size=6))
            response = client.open(url, method=method, data=form)
        assert response.status_code < 500, (method, url, response.status_code)

    fuzz()
