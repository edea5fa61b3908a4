"""The benchmark harness runs and prints its tables (speed is never asserted here)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from bench.__main__ import main
from bench.data import DENSE, EXTRA_DENSE, generate
from bench.endtoend import SPREAD, somewhere
from bench.inprocess import SCENARIOS
from finder.search.params import too_precise
from finder.spatial.grid import distances


def test_datasets_are_deterministic_and_clustered() -> None:
    first, again = generate(20_000), generate(20_000)
    assert (first.place_lat == again.place_lat).all() and first.types == again.types
    lat, lng = first.meeting_lat, first.meeting_lng
    dense = (distances(DENSE[1], DENSE[2], lat, lng) <= 25).sum()
    extra = (distances(EXTRA_DENSE[1], EXTRA_DENSE[2], lat, lng) <= 25).sum()
    assert 20 < dense < 90 and 250 < extra < 450  # ~2,000 and ~17,000 per million


def test_a_small_run_prints_every_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.md"
    args = ["--quick", "--sizes", "3000", "--no-http", "--no-import", "--no-postgres"]
    assert main([*args, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.strip() == out.read_text().strip()
    for scenario in SCENARIOS:
        assert scenario.label in printed
    assert "index SQLite p50 / p99" in printed and "index build s" in printed


def test_a_new_place_each_request() -> None:
    rng = random.Random(5)
    path = "/meetings?lat=@41.878&lng=@-87.630"
    drawn = {somewhere(path, rng) for _ in range(200)}
    assert len(drawn) > 190  # new places, not the same few
    for one in drawn:
        lat, lng = (float(v) for v in re.findall(r"=(-?[\d.]+)", one))
        assert abs(lat - 41.878) <= SPREAD + 0.0005 and abs(lng + 87.63) <= SPREAD + 0.0005
        assert not too_precise(MultiDict({"lat": str(lat), "lng": str(lng)}))  # no redirect
    assert somewhere("/healthz", rng) == "/healthz"
