"""Unmet bed requests and refusals, each counted once (statistics ``overnight``).

A ``bed_request`` row is one unit of unmet demand: a guest refused at the door
(``udelukket``), an extension refused by the night limit (``max_naetter``) or
"ønsket, ingen ledig" (``ingen_ledig``). So that every figure counts once:

* A refusal carries the attempt that made it (the open dialog): pressing
  Ctrl+S again on the same dialog finds the row and adds none.
* A refused extension belongs to its stay; a second refusal for the same stay
  adds nothing, and when a leader then grants the night the refusal is
  withdrawn, since a request that ends granted is not a refusal.
* A request logged by mistake can be undone by the one who logged it, within
  the shift it was logged in.

Withdrawn and undone rows are deleted (the statistics, the handover figures
and any later table then count them out by construction); the audit log keeps
both the logging and the withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from akut_tui.core.clock import shift_of
from akut_tui.core.errors import NotFound
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.night import changes
from akut_tui.services.night.handover_derived import shift_window
from db.models import BedRequest

UNDOABLE = "ingen_ledig"
"""The reason a user logs by hand (``n`` on the bed board), and so may undo."""


@dataclass(frozen=True)
class LoggedRequest:
    """A request the user may still undo."""

    id: int
    requested_at: datetime


def record_refusal(
    rt: Runtime,
    session: SignedInUser,
    reason: str,
    action: str,
    *,
    contact_id: int | None = None,
    stay_id: int | None = None,
    attempt: str = "",
) -> int:
    """Log one refusal; inside the caller's write transaction. Returns the row's id.

    A row already logged for the same ``attempt``, or (with ``stay_id``) for the
    same stay and reason, is returned as it is: one attempt is one row.
    """
    existing = None
    if attempt:
        existing = BedRequest.get_or_none(BedRequest.attempt == attempt)
    if existing is None and stay_id is not None:
        existing = BedRequest.get_or_none(BedRequest.stay == stay_id, BedRequest.reason == reason)
    if existing is not None:
        return int(existing.id)
    request = BedRequest.create(
        requested_at=rt.now(),
        reason=reason,
        contact=contact_id,
        stay=stay_id,
        created_by=session.user_id,
        attempt=attempt or None,
    )
    audit.record(rt, action, actor=session, object_type="bed_request", object_id=request.id)
    return int(request.id)


def withdraw_granted(rt: Runtime, session: SignedInUser, stay_id: int, reason: str) -> int:
    """A leader granted what was refused for ``stay_id``: withdraw the refusal (in a transaction).

    Returns how many rows were withdrawn; each is audited as ``beds.request_granted``.
    """
    rows = list(
        BedRequest.select(BedRequest.id).where(
            BedRequest.stay == stay_id, BedRequest.reason == reason
        )
    )
    for row in rows:
        BedRequest.delete().where(BedRequest.id == row.id).execute()
        audit.record(
            rt, "beds.request_granted", actor=session, object_type="bed_request", object_id=row.id
        )
    return len(rows)


def _this_shift(rt: Runtime, session: SignedInUser) -> BedRequest | None:
    shift, day = shift_of(rt.now(), rt.config.shifts, rt.config.site.timezone)
    start, end = shift_window(rt, shift, day)
    row: BedRequest | None = (
        BedRequest.select()
        .where(
            BedRequest.reason == UNDOABLE,
            BedRequest.created_by == session.user_id,
            BedRequest.requested_at >= start,
            BedRequest.requested_at < end,
        )
        .order_by(BedRequest.requested_at.desc(), BedRequest.id.desc())
        .first()
    )
    return row


def last_undoable(rt: Runtime, session: SignedInUser) -> LoggedRequest | None:
    """The newest "ønsket, ingen ledig" this user logged in this shift, if any."""
    with connection():
        require(session, "beds.checkin")
        row = _this_shift(rt, session)
    if row is None:
        return None
    return LoggedRequest(int(row.id), row.requested_at)


def undo_request(rt: Runtime, session: SignedInUser, request_id: int) -> None:
    """Undo a "ønsket, ingen ledig" logged by mistake: own, same shift only; audited."""
    with write_transaction():
        require(session, "beds.checkin")
        changes.bump(changes.BEDS)
        row = _this_shift(rt, session)
        if row is None or int(row.id) != request_id:
            raise NotFound(
                "Registreringen kan ikke fortrydes: kun din egen seneste i denne vagt kan."
            )
        BedRequest.delete().where(BedRequest.id == request_id).execute()
        audit.record(
            rt, "beds.request_undo", actor=session, object_type="bed_request", object_id=request_id
        )
