"""Demo data: realistic, clearly labelled, generated meetings for trying finder out."""

from __future__ import annotations

from finder.demo.generate import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    DemoData,
    DemoLocation,
    DemoMeeting,
    generate_demo,
)
from finder.demo.load import (
    DEMO_SOURCE_NAME,
    LoadCounts,
    RemoveCounts,
    any_meetings,
    clear_demo,
    load_demo,
    remove_demo,
)
from finder.demo.metros import METROS, Metro

__all__ = [
    "DEFAULT_COUNT",
    "DEFAULT_SEED",
    "DEMO_SOURCE_NAME",
    "METROS",
    "DemoData",
    "DemoLocation",
    "DemoMeeting",
    "LoadCounts",
    "Metro",
    "RemoveCounts",
    "any_meetings",
    "clear_demo",
    "generate_demo",
    "load_demo",
    "remove_demo",
]
