"""Where a posted meeting is: a typed point saves directly; an address is looked up first."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from finder.geo import timezone_at
from finder.geocoding import Geocoder, OfflineGeocoder, PlaceNotFound, locate, parse_latlng
from finder.i18n import gettext as _
from finder.organize.forms import MeetingForm
from finder.organize.meetings import Place
from finder.places import is_area


@dataclass
class Lookup:
    """The place to save, or one to show back first (`preview`), or why there is none."""

    place: Place | None = None
    preview: bool = False
    error: str = ""


def _typed_point(form: MeetingForm) -> tuple[float, float] | None:
    lat, lng = (form.latitude.data or "").strip(), (form.longitude.data or "").strip()
    return (float(lat), float(lng)) if lat and lng else None


def resolve(session: Session, geocoder: Geocoder | None, form: MeetingForm) -> Lookup:
    address = " ".join((form.address.data or "").split())
    name = (form.location.data or "").strip()
    point = _typed_point(form)
    checked = " ".join((form.checked_address.data or "").split())
    if point is not None and (not checked or checked == address):
        place = Place(point[0], point[1], timezone_at(*point), name, address, address)
        if checked and address:  # the point came from the look-up: keep what it said
            try:
                found = locate(session, address, geocoder)
            except PlaceNotFound:
                return Lookup(place)
            if _same_point(point, (found.latitude, found.longitude)):
                place = _placed(place, address, found.label, found.approximate)
        return Lookup(place)
    try:
        found = locate(session, address, geocoder)
    except PlaceNotFound:
        return Lookup(
            error=_(
                "We couldn't find this address. Check it, or type the meeting place's "
                "latitude and longitude below."
            )
        )
    place = Place(found.latitude, found.longitude, found.timezone, name, address)
    return Lookup(_placed(place, address, found.label, found.approximate), preview=True)


def _same_point(typed: tuple[float, float], found: tuple[float, float]) -> bool:
    """Whether the typed point is the look-up's, as the form shows it (6 decimals); a point
    the organizer changed is their own, exact one."""
    return all(abs(a - b) < 2e-6 for a, b in zip(typed, found, strict=True))


def _placed(place: Place, address: str, label: str, approximate: bool) -> Place:
    """What the look-up said of the address.

    A street address placed only at its town's or ZIP code's point is still a room people
    can go to: it keeps the typed address, with a rough pin (the rule imports follow). An
    address that is only a town or ZIP code ("Sydney, Australia", "10011") is an area even
    when the geocoder found that town exactly: nobody can be sent to a town's centre.
    """
    if _only_a_town(address) or (approximate and is_area(address)):
        return replace(place, formatted_address=label, approximate=True)
    if approximate:
        return replace(place, formatted_address=address, approximate=False, rough_point=True)
    return replace(place, formatted_address=label, approximate=False)


def _only_a_town(address: str) -> bool:
    """Text the offline geocoder finds whole knows no more than a city or a ZIP code."""
    if parse_latlng(address) is not None:
        return False
    found = OfflineGeocoder().geocode(address)
    return found is not None and not found.approximate
