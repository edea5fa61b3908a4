"""Sobriety counts in the person's language: days, milestones, time since a date."""

from __future__ import annotations

from finder.accounts.dates import DEFAULT_LABEL
from finder.accounts.sobriety import Milestone, Span
from finder.i18n import gettext as _
from finder.i18n import ngettext, number


def count_words(count: int, unit: str) -> str:
    """'1 day', '1,000 days', '2 años': a count of hours, days, months or years."""
    num = number(count)
    if unit == "hours":
        return str(ngettext("%(count)s hour", "%(count)s hours", count, count=num))
    if unit == "months":
        return str(ngettext("%(count)s month", "%(count)s months", count, count=num))
    if unit == "years":
        return str(ngettext("%(count)s year", "%(count)s years", count, count=num))
    return str(ngettext("%(count)s day", "%(count)s days", count, count=num))


def days_words(count: int) -> str:
    return count_words(count, "days")


def milestone_label(milestone: Milestone) -> str:
    """A milestone's name ('90 days', '1 year') in this language."""
    if not milestone.count:
        return milestone.label
    return count_words(milestone.count, milestone.unit)


def span_words(value: Span) -> str:
    """'1 year, 2 months and 3 days'; parts that are zero are left out."""
    parts = [
        count_words(n, unit)
        for n, unit in ((value.years, "years"), (value.months, "months"), (value.days, "days"))
        if n
    ]
    if not parts:
        return str(_("day one"))
    if len(parts) == 1:
        return parts[0]
    return str(_("%(first)s and %(last)s", first=", ".join(parts[:-1]), last=parts[-1]))


def date_label(label: str) -> str:
    """A date's label; the default one ('Clean and sober') in this language."""
    return str(_("Clean and sober")) if label == DEFAULT_LABEL else label
