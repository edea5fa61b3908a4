"""The demo generator: realistic, deterministic meetings (plain data, no database)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import statistics
from collections import Counter
from importlib import resources
from urllib.parse import urlsplit

import pytest
import zipcodes

from finder.demo import METROS, DemoData, generate_demo
from finder.demo.generate import quotas
from finder.geo import haversine_km, timezone_at
from finder.models import derive_attendance
from finder.schedule import TIME_OF_DAY_KEYS, time_of_day

ZIP_10001 = (40.7484, -73.9967)
REQUIRED_METROS = {
    "nyc", "la", "chi", "hou", "phx", "phl", "sat", "sd", "dfw", "den", "sea", "bos", "atl", "mia",
}  # fmt: skip
RESERVED = ("example.com", "example.org", "example.net")
FICTIONAL_PHONE = r"\+1[2-9]\d\d55501\d\d"  # NANP area code + 555-0100..0199, kept for fiction
KNOWN_TYPES = set(json.loads(resources.files("finder").joinpath("data/types.json").read_text()))


@pytest.fixture(scope="module")
def demo() -> DemoData:
    """The default demo data set, as `make run` loads it."""
    return generate_demo()


def places(data: DemoData) -> dict[int, object]:
    return {loc.key: loc for loc in data.locations}


def test_default_is_at_least_5000_meetings_with_unique_url_safe_slugs(demo):
    slugs = [m.slug for m in demo.meetings]
    assert len(slugs) == 6000
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and len(s) <= 100 for s in slugs)


def test_covers_at_least_ten_metros_including_new_york(demo):
    per_metro = Counter(m.metro for m in demo.meetings)
    assert set(per_metro) >= REQUIRED_METROS
    assert per_metro.most_common(1)[0][0] == "nyc"
    assert min(per_metro.values()) >= 100


def test_covers_every_day_and_time_of_day(demo):
    assert {m.day for m in demo.meetings} == set(range(7))
    assert {time_of_day(m.time) for m in demo.meetings} == set(TIME_OF_DAY_KEYS)
    starts = {m.time.strftime("%H:%M") for m in demo.meetings}
    assert {"06:30", "07:00", "12:00", "17:30", "19:00", "20:00", "22:00", "23:00"} <= starts


def test_some_meetings_cross_midnight(demo):
    crossing = [m for m in demo.meetings if m.end_time < m.time]
    assert crossing
    assert any(m.time == dt.time(23, 30) and m.end_time == dt.time(0, 30) for m in crossing)


def test_attendance_mix_is_mostly_in_person(demo):
    shares = Counter(m.attendance for m in demo.meetings)
    total = len(demo.meetings)
    assert 0.6 < shares["in_person"] / total < 0.8
    assert 0.1 < shares["online"] / total < 0.2
    assert 0.1 < shares["hybrid"] / total < 0.2


def test_attendance_label_is_what_the_spec_derives(demo):
    by_key = places(demo)
    for m in demo.meetings:
        loc = by_key[m.location_key]
        derived = derive_attendance(
            has_address=bool(loc.formatted_address), approximate=loc.approximate,
            conference_url=m.conference_url, conference_phone=m.conference_phone,
            temporarily_closed=False,
        )  # fmt: skip
        assert derived == m.attendance, m.slug


def test_online_meetings_have_join_links_at_an_approximate_city_centre(demo):
    by_key = places(demo)
    online = [m for m in demo.meetings if m.attendance == "online"]
    for m in online:
        loc = by_key[m.location_key]
        assert loc.approximate and not loc.address
        assert loc.formatted_address == f"{loc.city}, {loc.state}, USA"
        assert re.fullmatch(r"https://meet\.example\.com/demo/\d{9,11}", m.conference_url)
    phones = [m.conference_phone for m in online if m.conference_phone]
    assert len(phones) > len(online) / 2
    assert all(re.fullmatch(r"\+1\d{10},,\d{9,11}#", p) for p in phones)


def test_hybrid_meetings_have_a_street_address_and_a_link(demo):
    by_key = places(demo)
    for m in (m for m in demo.meetings if m.attendance == "hybrid"):
        loc = by_key[m.location_key]
        assert not loc.approximate and re.match(r"\d+ ", loc.address)
        assert m.conference_url.startswith("https://meet.example.com/demo/")


def on_reserved_domain(url: str) -> bool:
    """Whether a URL's host is example.com/.org/.net or under it (RFC 2606: never anyone's)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme == "https" and any(host == d or host.endswith(f".{d}") for d in RESERVED)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_demo_join_links_and_phones_can_never_reach_a_real_meeting(seed, demo):
    data = demo if seed == 1 else generate_demo(2000, seed=seed)
    urls = [m.conference_url for m in data.meetings if m.conference_url]
    phones = [m.conference_phone for m in data.meetings if m.conference_phone]
    assert len(urls) > len(data.meetings) / 5 and len(phones) > len(urls) / 3
    assert [u for u in urls if not on_reserved_domain(u)] == []
    assert [p for p in phones if not re.fullmatch(FICTIONAL_PHONE + r",,\d+#", p)] == []
    texts = " ".join(
        f"{m.notes} {m.conference_url_notes} {m.conference_phone_notes}" for m in data.meetings
    )
    assert [u for u in re.findall(r"https?://\S+", texts) if not on_reserved_domain(u)] == []


def test_every_metro_dials_a_fictional_555_01xx_number():
    assert [m.code for m in METROS if not re.fullmatch(FICTIONAL_PHONE, m.dial_in)] == []


def test_fellowships_are_mostly_aa_and_na_with_others_present(demo):
    counts = Counter(m.fellowship for m in demo.meetings)
    assert [code for code, _ in counts.most_common(2)] == ["aa", "na"]
    assert {"ha", "ca", "smart", "rd", "cr", "alanon"} <= set(counts)


def test_types_are_known_codes_and_twelve_step_meetings_are_open_or_closed(demo):
    for m in demo.meetings:
        assert set(m.types) <= KNOWN_TYPES, m.types
        assert len(m.types) == len(set(m.types))
        if m.fellowship in {"aa", "na", "ca", "ha", "alanon"}:
            assert len({"O", "C"} & set(m.types)) == 1


def test_names_fit_their_types_and_times(demo):
    womens = [m for m in demo.meetings if m.name == "Women's Big Book"]
    assert womens and all({"W", "B"} <= set(m.types) for m in womens)
    early = [m for m in demo.meetings if m.name == "Early Birds"]
    assert early and all(time_of_day(m.time) == "morning" for m in early)


def test_addresses_use_real_zip_codes_of_their_city(demo):
    for loc in demo.locations[:300]:
        if loc.approximate:
            continue
        (row,) = zipcodes.matching(loc.postal_code)
        assert (row["city"], row["state"]) == (loc.city, loc.state)
        assert loc.formatted_address.endswith(f", {loc.city}, {loc.state} {loc.postal_code}, USA")


def test_time_zones_come_from_coordinates_and_phoenix_has_no_dst(demo):
    for loc in demo.locations:
        if not loc.approximate:
            assert loc.timezone == timezone_at(loc.latitude, loc.longitude)
    phoenix = {loc.timezone for loc in demo.locations if loc.metro == "phx"}
    assert phoenix == {"America/Phoenix"}


def test_locations_host_several_meetings_at_different_times(demo):
    per_location = Counter(m.location_key for m in demo.meetings)
    assert statistics.median(per_location.values()) >= 2
    times = {}
    for m in demo.meetings:
        times.setdefault(m.location_key, set()).add((m.day, m.time))
    assert sum(1 for slots in times.values() if len(slots) >= 3) > 200


def test_manhattan_has_many_meetings_near_zip_10001(demo):
    by_key = places(demo)
    distances = [
        haversine_km(*ZIP_10001, by_key[m.location_key].latitude, by_key[m.location_key].longitude)
        for m in demo.meetings
    ]
    assert sum(d <= 2 for d in distances) >= 100


def test_density_falls_off_away_from_the_centre(demo):
    nyc = next(m for m in METROS if m.code == "nyc")
    by_key = places(demo)
    ring = [
        haversine_km(nyc.latitude, nyc.longitude, loc.latitude, loc.longitude)
        for loc in (by_key[m.location_key] for m in demo.meetings if m.metro == "nyc")
        if not loc.approximate
    ]
    inner = sum(d < 5 for d in ring) / (math.pi * 5**2)
    outer = sum(15 <= d < 25 for d in ring) / (math.pi * (25**2 - 15**2))
    assert inner > 5 * outer > 0


def test_same_seed_same_meetings_other_seed_other_meetings():
    first, again, other = generate_demo(300, seed=5), generate_demo(300, seed=5), generate_demo(300)
    assert first == again
    assert [m.slug for m in first.meetings] != [m.slug for m in other.meetings]


@pytest.mark.parametrize("count", [1, 7, 300, 6000, 12345])
def test_quotas_add_up_to_the_count(count):
    assert sum(quotas(count, METROS)) == count


@pytest.mark.parametrize("count", [1, 7, 140])
def test_generates_exactly_the_count_asked_for(count):
    assert len(generate_demo(count).meetings) == count
