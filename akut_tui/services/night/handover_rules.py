"""Who may write and who may sign a shift's handover, and when (issue 14 §3).

* The running shift's handover is written during the shift; the outgoing staff
  may go on for the first hour of the next shift (:data:`GRACE`).
* The incoming shift signs: from 30 minutes before the outgoing shift ends
  (:data:`SIGN_BEFORE`) until that hour is over, never an author and never
  someone signed in on the outgoing shift before those 30 minutes. For the
  incoming shift the previous handover is read-only, except signing and
  ticking off.
* :func:`check_may` is the "may I" a screen asks before it opens a dialog;
  the services check again when they write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from akut_tui.core.clock import local, shift_of
from akut_tui.core.errors import PermissionDenied
from akut_tui.services.accounts.auth import require
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection
from akut_tui.services.night.handover_derived import previous_shift, shift_window
from db.models import HandoverNote

GRACE = timedelta(hours=1)
"""How long into the next shift the outgoing staff may still write (the window closes)."""
SIGN_BEFORE = timedelta(minutes=30)
"""How long before the outgoing shift ends the incoming shift may sign."""
READ_ONLY = (
    "Den afgående vagts overlevering er kun til læsning for den nye vagt: "
    "kvittér (k) og kryds af (x)."
)


@dataclass(frozen=True)
class ShiftRef:
    """A shift, as (code, date)."""

    shift: str
    shift_date: date


def current_shift(rt: Runtime) -> ShiftRef:
    """Return the shift running now."""
    shift, day = shift_of(rt.now(), rt.config.shifts, rt.config.site.timezone)
    return ShiftRef(shift, day)


def authors(target: ShiftRef) -> set[int]:
    """The ids of everyone who wrote in the shift's handover (needs an open connection)."""
    return {
        n.author_id
        for n in HandoverNote.select(HandoverNote.author).where(
            HandoverNote.shift == target.shift, HandoverNote.shift_date == target.shift_date
        )
    }


def _signed_in_at(session: SignedInUser) -> datetime:
    """When the session began (aware UTC)."""
    return session.started_at


def _outgoing(rt: Runtime, session: SignedInUser, target: ShiftRef) -> bool:
    """True for the shift that hands over: an author, or signed in before the handover began.

    The incoming shift is everyone else: signed in from 30 minutes before the
    shift ends (needs an open connection).
    """
    _, end = shift_window(rt, target.shift, target.shift_date)
    if _signed_in_at(session) < end - SIGN_BEFORE:
        return True
    return session.user_id in authors(target)


def check_writable(rt: Runtime, target: ShiftRef, session: SignedInUser | None = None) -> None:
    """Refuse unless ``session`` may write ``target`` now (needs an open connection).

    The running shift's handover is written during the shift; the outgoing
    staff may go on for the first hour of the next shift, but for the incoming
    shift the handover being handed over is read-only (except signing and
    ticking off), from 30 minutes before the shift change.
    """
    now = current_shift(rt)
    if target == now:
        _, end = shift_window(rt, now.shift, now.shift_date)
        if session is None or rt.now() < end - SIGN_BEFORE or _outgoing(rt, session, target):
            return
        raise PermissionDenied(READ_ONLY)
    start, _ = shift_window(rt, now.shift, now.shift_date)
    if target == ShiftRef(*previous_shift(now.shift, now.shift_date)) and rt.now() < start + GRACE:
        if session is None or _outgoing(rt, session, target):
            return
        raise PermissionDenied(READ_ONLY)
    raise PermissionDenied("Overleveringen kan kun skrives i vagten og den første time efter.")


def check_may_sign(rt: Runtime, session: SignedInUser, target: ShiftRef) -> None:
    """Refuse unless ``session`` is of the incoming shift and the handover window is open.

    Signing is open from 30 minutes before the outgoing shift ends until the
    window closes one hour into the next shift; never for an author or anyone
    who was signed in on the outgoing shift before that (needs a connection).
    """
    _, end = shift_window(rt, target.shift, target.shift_date)
    opens = end - SIGN_BEFORE
    tz = rt.config.site.timezone
    if rt.now() < opens:
        at = local(opens, tz)
        raise PermissionDenied(
            f"Den næste vagt kvitterer, fra kl. {at.hour:02d}:{at.minute:02d}; "
            "en kollega på samme vagt kan ikke kvittere."
        )
    if rt.now() >= end + GRACE:
        raise PermissionDenied("Tiden for at kvittere for denne overlevering er udløbet.")
    if session.user_id in authors(target):
        raise PermissionDenied("Du kan ikke kvittere for din egen overlevering.")
    if _signed_in_at(session) < opens:
        raise PermissionDenied(
            "Du var logget ind på den vagt, der overleverer; den næste vagt kvitterer."
        )


def check_may(rt: Runtime, session: SignedInUser, target: ShiftRef, what: str) -> None:
    """ "May I?" before a dialog opens: ``what`` is ``write`` or ``sign``; refuses in Danish."""
    with connection():
        if what == "sign":
            require(session, "handover.read")
            check_may_sign(rt, session, target)
        else:
            require(session, "handover.write")
            check_writable(rt, target, session)


def handing_over(rt: Runtime) -> ShiftRef:
    """The shift being handed over now: the running one from 30 minutes before it ends."""
    now = current_shift(rt)
    _, end = shift_window(rt, now.shift, now.shift_date)
    if rt.now() >= end - SIGN_BEFORE:
        return now
    return ShiftRef(*previous_shift(now.shift, now.shift_date))
