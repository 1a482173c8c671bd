"""Outreach (udkørende funktion, flexible night support) and who is on site.

An outreach trip records only who went, the companion and when (docs/domain.md
§4, §9.10): no citizen details, and it is never a contact, so it can never
reach the contact statistics.

*On site* is derived, not typed: a user counts as on site while their newest
successful login lies inside the absolute session window
(``security.absolute_session_hours``) and no session end (log-out, quit,
expiry, failed unlock, disabled account) was recorded after it; anyone on an
open trip (as driver or companion) is *out* instead. A session cut off without
a log-out (a dropped SSH link the app could not record) keeps its user "on
site" until the session window ends; that errs on the safe side of showing
someone who may have left rather than hiding someone who is there.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, cast

import peewee as pw

from akut_tui.core.clock import local, not_ahead
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.night import changes
from akut_tui.services.night.dto import SiteStatus, TripRow
from db.models import AuditEvent, LoginAttempt, OutreachTrip, User

MAX_BACKDATE = timedelta(hours=12)
"""A departure or return may be logged up to this long after it happened."""
SESSION_END_EXCLUDED = ("session.idle_lock",)
"""Session audit actions that do not end a session."""


def _name(user: Any) -> str:
    return str(user.display_name or user.username) if user is not None else ""


def _moment(rt: Runtime, at: datetime | None, label: str) -> datetime:
    now = rt.now()
    moment = at or now
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use an aware datetime")
    moment = not_ahead(moment, now)
    if moment > now:
        raise ValidationError(f"Tidspunktet for {label} kan ikke ligge i fremtiden.", "at")
    if moment < now - MAX_BACKDATE:
        raise ValidationError(f"Tidspunktet for {label} ligger mere end 12 timer tilbage.", "at")
    return moment


def _open_trip_of(user_id: int) -> OutreachTrip | None:
    return cast(
        "OutreachTrip | None",
        OutreachTrip.select()
        .where(
            OutreachTrip.returned_at.is_null(),
            (OutreachTrip.user == user_id) | (OutreachTrip.companion == user_id),
        )
        .first(),
    )


def _row(trip: Any, names: dict[int, str]) -> TripRow:
    return TripRow(
        id=trip.id,
        user=names.get(trip.user_id, ""),
        companion=names.get(trip.companion_id, "") if trip.companion_id else "",
        departed_at=trip.departed_at,
        returned_at=trip.returned_at if trip.returned_at else None,
    )


def _names(user_ids: Iterable[int]) -> dict[int, str]:
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return {u.id: _name(u) for u in User.select().where(User.id.in_(ids))}


def depart(
    rt: Runtime,
    session: SignedInUser,
    *,
    companion: str = "",
    at: datetime | None = None,
) -> TripRow:
    """Log that the session's user left on a trip (with an optional companion username)."""
    moment = _moment(rt, at, "afgang")
    with write_transaction():
        require(session, "outreach.log")
        changes.bump(changes.OUTREACH)
        mate = None
        if companion.strip():
            mate = User.get_or_none(User.username == companion.strip().lower())
            if mate is None or not mate.active:
                raise ValidationError("Ledsageren findes ikke som aktiv bruger.", "companion")
            if mate.id == session.user_id:
                raise ValidationError("Du kan ikke være din egen ledsager.", "companion")
        for uid, who in ((session.user_id, "Du"), (mate.id if mate else 0, "Ledsageren")):
            if uid and _open_trip_of(uid) is not None:
                raise ValidationError(f"{who} er allerede ude; registrér hjemkomsten først.")
        trip = OutreachTrip.create(
            departed_at=moment, user=session.user_id, companion=mate.id if mate else None
        )
        audit.record(rt, "outreach.depart", actor=session, object_type="trip", object_id=trip.id)
        return _row(trip, _names([trip.user_id, trip.companion_id or 0]))


def return_trip(
    rt: Runtime, session: SignedInUser, trip_id: int, *, at: datetime | None = None
) -> TripRow:
    """Log the return of an open trip (anyone on shift may log it)."""
    moment = _moment(rt, at, "hjemkomst")
    with write_transaction():
        require(session, "outreach.log")
        changes.bump(changes.OUTREACH)
        trip = OutreachTrip.get_or_none(OutreachTrip.id == trip_id)
        if trip is None or trip.returned_at is not None:
            raise NotFound("Turen findes ikke eller er allerede afsluttet.")
        if moment < trip.departed_at:
            raise ValidationError("Hjemkomst kan ikke ligge før afgang.", "at")
        OutreachTrip.update(returned_at=moment).where(OutreachTrip.id == trip.id).execute()
        audit.record(rt, "outreach.return", actor=session, object_type="trip", object_id=trip.id)
        trip = OutreachTrip.get_by_id(trip.id)
        return _row(trip, _names([trip.user_id, trip.companion_id or 0]))


def trips_between(start: datetime, end: datetime) -> list[TripRow]:
    """Trips that were out at any time in [start, end) (aware datetimes); needs a connection."""
    query = (
        OutreachTrip.select()
        .where(
            OutreachTrip.departed_at < end,
            OutreachTrip.returned_at.is_null() | (OutreachTrip.returned_at >= start),
        )
        .order_by(OutreachTrip.departed_at)
    )
    trips = list(query)
    names = _names([t.user_id for t in trips] + [t.companion_id or 0 for t in trips])
    return [_row(t, names) for t in trips]


def recent_trips(rt: Runtime, session: SignedInUser, limit: int = 50) -> list[TripRow]:
    """Open trips and the trips of the last day, newest first."""
    since = rt.now() - timedelta(days=1)
    with connection():
        require(session, "outreach.log")
        rows = trips_between(since, rt.now() + timedelta(seconds=1))
    return sorted(rows, key=lambda r: (r.returned_at is None, r.departed_at), reverse=True)[:limit]


def _present_user_ids(rt: Runtime) -> set[int]:
    cutoff = rt.now() - timedelta(hours=rt.config.security.absolute_session_hours)
    logins = (
        LoginAttempt.select(LoginAttempt.user, pw.fn.MAX(LoginAttempt.at))
        .where(
            LoginAttempt.at >= cutoff,
            LoginAttempt.success == True,  # noqa: E712 - SQL comparison
            LoginAttempt.kind == "login",
            LoginAttempt.user.is_null(False),
        )
        .group_by(LoginAttempt.user)
        .tuples()
    )
    ends = (
        AuditEvent.select(AuditEvent.user_id, pw.fn.MAX(AuditEvent.at))
        .where(
            AuditEvent.at >= cutoff,
            AuditEvent.action.startswith("session."),
            AuditEvent.action.not_in(SESSION_END_EXCLUDED),
        )
        .group_by(AuditEvent.user_id)
        .tuples()
    )
    ended = {uid: _as_dt(at) for uid, at in cast(Iterable[tuple[int, Any]], ends)}
    return {
        uid
        for uid, at in cast(Iterable[tuple[int, Any]], logins)
        if uid not in ended or _as_dt(at) > ended[uid]
    }


def _as_dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _since(moment: datetime, tz: str, today: date) -> str:
    here = local(moment, tz)
    clock = f"{here.hour:02d}:{here.minute:02d}"
    return clock if here.date() == today else f"{here.day:02d}-{here.month:02d} {clock}"


def site_status(rt: Runtime, session: SignedInUser) -> SiteStatus:
    """Return who is on site and who is out, for the header line."""
    tz = rt.config.site.timezone
    today = local(rt.now(), tz).date()
    with connection():
        require(session, "outreach.log")
        present = _present_user_ids(rt)
        trips = list(OutreachTrip.select().where(OutreachTrip.returned_at.is_null()))
        out_ids: dict[int, datetime] = {}
        for trip in trips:
            for uid in (trip.user_id, trip.companion_id):
                if uid:
                    out_ids[uid] = trip.departed_at
        users = {
            u.id: u
            for u in User.select().where(User.id.in_(present | set(out_ids)), User.active == True)  # noqa: E712
        }
    on_site = sorted(_name(users[uid]) for uid in present if uid in users and uid not in out_ids)
    out = sorted(
        ((_name(users[uid]), at) for uid, at in out_ids.items() if uid in users),
        key=lambda item: (item[1], item[0]),
    )
    text = "På stedet: " + (", ".join(on_site) if on_site else "ingen")
    if out:
        text += " · Ude: " + ", ".join(f"{name} siden {_since(at, tz, today)}" for name, at in out)
    return SiteStatus(tuple(on_site), tuple(out), text, alone=len(on_site) == 1 and bool(out))
