"""Links on the results page: pages, order, and what to try when nothing matched."""

from __future__ import annotations

from typing import Any

from flask import url_for

from finder.geo import KM_PER_MILE
from finder.nearby import Hit, parse_days
from finder.search.params import DEFAULT_RADIUS, RADIUS_CHOICES, SearchQuery


def radius_km(radius: int, miles: bool) -> float:
    """A radius choice (in miles or km) in kilometres."""
    return radius * KM_PER_MILE if miles else float(radius)


def radius_reaching(distance_km: float, miles: bool) -> int | None:
    """The smallest radius choice that includes a meeting this far away."""
    return next((r for r in RADIUS_CHOICES if radius_km(r, miles) >= distance_km), None)


def online_anywhere(query: SearchQuery, today: int | None) -> dict[str, Any]:
    """URL args for online meetings anywhere with the same day, time, type and fellowship.

    "today" and "tomorrow" become weekdays of the search center: without a place, "today"
    would mean today in UTC.
    """
    days = query.days
    if today is not None and days:
        days = tuple(str(d) for d in sorted(parse_days(days, today)))
    return query.url_args(
        near=None,
        lat=None,
        lng=None,
        radius=DEFAULT_RADIUS,
        sort="soonest",
        attendance=("online",),
        days=days,
        page=1,
    )


def page_links(
    query: SearchQuery,
    pages: int,
    today: int | None = None,
    nearest: Hit | None = None,
    miles: bool = True,
) -> dict[str, Any]:
    """Previous/next pages, other sort, and the empty-state suggestions, all keeping filters."""

    def link(**changes: Any) -> str:
        return url_for("search.results", **query.url_args(**changes))

    reach = radius_reaching(nearest.distance_km, miles) if nearest else None
    # Online meetings anywhere stay online when the other filters are removed.
    kept = query.attendance if query.anywhere_online else ()
    return {
        "prev": link(page=query.page - 1) if query.page > 1 else None,
        "next": link(page=query.page + 1) if query.page < pages else None,
        "soonest": link(sort="soonest", page=1),
        "distance": link(sort="distance", page=1),
        "nearest": link(radius=reach, sort="distance", page=1) if reach else None,
        "nearest_radius": reach,
        "online": url_for("search.results", **online_anywhere(query, today))
        if query.has_location
        else None,
        "unfiltered": link(
            days=(), times=(), types=(), attendance=kept, fellowships=(), name="", page=1
        )
        if query.filter_count > len(kept) or query.name
        else None,
        "farthest": RADIUS_CHOICES[-1],
        "tomorrow": link(days=("tomorrow",), page=1),
    }
