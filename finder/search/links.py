"""Links on the results page: pages, order, and what to try when nothing matched."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from flask import url_for

from finder.geo import KM_PER_MILE
from finder.nearby import Hit, parse_days
from finder.search.params import ALL_PAGES, DEFAULT_RADIUS, RADIUS_CHOICES, SearchQuery
from finder.search.viewer import url_zone


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


class PageLinks:
    """Previous/next pages, other sort, and the empty-state suggestions, all keeping filters.

    Each link is made when the page first reads it: a page of results shows three or
    four of them, an empty one the suggestions instead.
    """

    farthest = RADIUS_CHOICES[-1]

    def __init__(
        self, query: SearchQuery, pages: int, today: int | None, nearest: Hit | None, miles: bool
    ) -> None:
        self.query, self.pages, self.today = query, pages, today
        self.nearest_radius = radius_reaching(nearest.distance_km, miles) if nearest else None

    @cached_property
    def _kept(self) -> dict[str, Any]:
        """?tz= (the viewer's own zone, given in the URL) stays on every link of the page:
        without JavaScript nothing else carries it to page 2."""
        tz = url_zone()
        return {"tz": tz} if tz else {}

    def _link(self, **changes: Any) -> str:
        return url_for("search.results", **{**self.query.url_args(**changes), **self._kept})

    @cached_property
    def prev(self) -> str | None:
        return self._link(page=self.query.page - 1) if self.query.page > 1 else None

    @cached_property
    def next(self) -> str | None:
        query = self.query
        return self._link(page=query.page + 1) if 0 < query.page < self.pages else None

    @cached_property
    def all_pages(self) -> str:
        """Every result on one page, to print."""
        return self._link(page=ALL_PAGES)

    @cached_property
    def soonest(self) -> str:
        return self._link(sort="soonest", page=1)

    @cached_property
    def distance(self) -> str:
        return self._link(sort="distance", page=1)

    @cached_property
    def nearest(self) -> str | None:
        reach = self.nearest_radius
        return self._link(radius=reach, sort="distance", page=1) if reach else None

    @cached_property
    def online(self) -> str | None:
        if not self.query.has_location:
            return None
        return url_for(
            "search.results", **{**online_anywhere(self.query, self.today), **self._kept}
        )

    @cached_property
    def unfiltered(self) -> str | None:
        query = self.query
        # Online meetings anywhere stay online when the other filters are removed.
        kept = query.attendance if query.anywhere_online else ()
        if not (query.filter_count > len(kept) or query.name):
            return None
        return self._link(
            days=(), times=(), types=(), attendance=kept, fellowships=(), name="", page=1
        )

    @cached_property
    def tomorrow(self) -> str:
        return self._link(days=("tomorrow",), page=1)


def page_links(
    query: SearchQuery,
    pages: int,
    today: int | None = None,
    nearest: Hit | None = None,
    miles: bool = True,
) -> PageLinks:
    """The links of a results page (see PageLinks)."""
    return PageLinks(query, pages, today, nearest, miles)
