"""Handover between shifts, structured after I-PASS (docs/domain.md §4, §2.7, §9.7).

A shift's handover is its derived figures (:mod:`handover_derived`) plus short
written items, one ``handover_note`` row each:

* ``tilstand``: the overall state (rolig / hold øje / ustabil), one per shift.
  It anchors the handover: acknowledgements hang on it.
* ``situation`` and ``fri`` (short free text), one of each per shift.
* ``handling``: an action for the next shift with an owner and a time, ticked
  off by the next shift; ``hvis_saa``: an if-then plan.

This is not a journal: every field has a length limit and a CPR number is
refused. Items may be pinned (shown in later handovers until a date, never past
the retention date) and marked resolved. Notes expire ``handover_days`` after
the shift and are then neither shown nor searchable (``akut purge``,
:mod:`akut_tui.services.audit.retention`, deletes them). Who may write and who may
sign, and when, is :mod:`handover_rules`: the outgoing staff write during their
shift and in the first hour of the next; the incoming shift signs (both of a
night pair may); an item added or changed after a signature is marked new and
asks for a new one; a deleted item keeps the line "slettet af X kl. HH:MM". A
handover not signed as it is now is offered at the incoming shift's login.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from akut_tui.core.clock import local
from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, PermissionDenied, ValidationError
from akut_tui.core.permissions import allowed
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.night import changes
from akut_tui.services.night.dto import HandoverItem, HandoverSummary, HandoverView
from akut_tui.services.night.handover_derived import derived_figures, previous_shift, shift_label
from akut_tui.services.night.handover_rules import ShiftRef as ShiftRef
from akut_tui.services.night.handover_rules import check_may as check_may
from akut_tui.services.night.handover_rules import check_may_sign, handing_over
from akut_tui.services.night.handover_rules import check_writable as check_writable
from akut_tui.services.night.handover_rules import current_shift as current_shift
from db.models import HandoverAck, HandoverNote, User
from db.queries import fold, folded

STATES: dict[str, str] = {"rolig": "Rolig", "hold_oeje": "Hold øje", "ustabil": "Ustabil"}
LIMITS: dict[str, int] = {"situation": 300, "handling": 120, "hvis_saa": 200, "fri": 500}
"""Longest text per item kind, in characters."""
MAX_ITEMS: dict[str, int] = {"handling": 10, "hvis_saa": 5}
OWNER_MAX = 40
SEARCH_MAX = 100
SINGLE = ("tilstand", "situation", "fri")


def today(rt: Runtime) -> date:
    return local(rt.now(), rt.config.site.timezone).date()


def clean_item_text(kind: str, text: str) -> str:
    value = clean_text(text, multiline=kind == "fri").strip()
    if not value:
        raise ValidationError("Teksten må ikke være tom.", kind)
    if len(value) > LIMITS[kind]:
        raise ValidationError(
            f"Højst {LIMITS[kind]} tegn; overleveringen er ikke en journal.", kind
        )
    if contains_cpr(value):
        raise ValidationError("Skriv ikke CPR-numre i overleveringen.", kind)
    return value


def create_note(
    rt: Runtime, session: SignedInUser, target: ShiftRef, kind: str, body: str, **extra: object
) -> int:
    note = HandoverNote.create(
        shift=target.shift,
        shift_date=target.shift_date,
        category=kind,
        body=body,
        author=session.user_id,
        created_at=rt.now(),
        expires_on=target.shift_date + timedelta(days=rt.config.retention.handover_days),
        **extra,
    )
    return int(note.id)


def visible(rt: Runtime) -> object:
    return HandoverNote.expires_on >= today(rt)


def set_summary(
    rt: Runtime,
    session: SignedInUser,
    target: ShiftRef,
    *,
    state: str,
    situation: str = "",
    free_text: str = "",
) -> None:
    """Write the overall state, the situation and the free text of a shift's handover."""
    if state not in STATES:
        raise ValidationError("Vælg rolig, hold øje eller ustabil.", "state")
    texts = {"situation": situation, "fri": free_text}
    cleaned = {k: clean_item_text(k, v) for k, v in texts.items() if clean_text(v).strip()}
    with write_transaction():
        require(session, "handover.write")
        check_writable(rt, target, session)
        changes.bump(changes.HANDOVER)
        note_id = 0
        for kind, body in (("tilstand", state), *cleaned.items()):
            existing = _single(target, kind)
            if existing is None:
                note_id = create_note(rt, session, target, kind, body)
            else:
                note_id = existing.id
                if existing.body != body:  # an edit after a signature shows as new
                    HandoverNote.update(body=body, changed_at=rt.now()).where(
                        HandoverNote.id == note_id
                    ).execute()
        for kind in texts:
            emptied = _single(target, kind)
            if kind not in cleaned and emptied is not None:
                mark_deleted(rt, session, emptied.id)
        audit.record(rt, "handover.write", actor=session, object_type="handover", object_id=note_id)


def _single(target: ShiftRef, kind: str) -> HandoverNote | None:
    """The shift's live (not deleted) state, situation or free text."""
    return HandoverNote.get_or_none(
        HandoverNote.shift == target.shift,
        HandoverNote.shift_date == target.shift_date,
        HandoverNote.category == kind,
        HandoverNote.deleted_at.is_null(),
    )


def mark_deleted(rt: Runtime, session: SignedInUser, note_id: int) -> None:
    """Delete an item's text but keep the line "slettet af X kl. HH:MM" (in a transaction)."""
    HandoverNote.update(body="", deleted_at=rt.now(), deleted_by=session.user_id).where(
        HandoverNote.id == note_id
    ).execute()


def _anchor(rt: Runtime, target: ShiftRef) -> HandoverNote | None:
    return HandoverNote.get_or_none(
        HandoverNote.shift == target.shift,
        HandoverNote.shift_date == target.shift_date,
        HandoverNote.category == "tilstand",
        visible(rt),
    )


def _names(ids: set[int]) -> dict[int, str]:
    ids.discard(0)
    if not ids:
        return {}
    return {u.id: str(u.display_name or u.username) for u in User.select().where(User.id.in_(ids))}


def _to_item(note: HandoverNote, names: dict[int, str], signed: datetime | None) -> HandoverItem:
    return HandoverItem(
        id=note.id,
        category=note.category,
        body=note.body,
        owner=note.owner or "",
        due_at=note.due_at if note.due_at else None,
        done_at=note.done_at if note.done_at else None,
        done_by=names.get(note.done_by_id or 0, ""),
        pinned_until=note.pinned_until,
        resolved_at=note.resolved_at if note.resolved_at else None,
        author=names.get(note.author_id, ""),
        shift=note.shift,
        shift_date=note.shift_date,
        new=signed is not None and _changed(note) > signed,
        deleted_by=names.get(note.deleted_by_id or 0, ""),
        deleted_at=note.deleted_at if note.deleted_at else None,
    )


def _changed(note: HandoverNote) -> datetime:
    """When the item last changed: written, edited or deleted (aware UTC)."""
    times: list[datetime] = [note.created_at, note.changed_at, note.deleted_at]
    return max(t for t in times if t is not None)


def _acks(anchor: HandoverNote | None) -> list[HandoverAck]:
    if anchor is None:
        return []
    query = (
        HandoverAck.select()
        .where(HandoverAck.note == anchor.id)
        .order_by(HandoverAck.acked_at, HandoverAck.id)
    )
    return list(query)


def _shift_notes(rt: Runtime, target: ShiftRef) -> list[HandoverNote]:
    return list(
        HandoverNote.select()
        .where(
            HandoverNote.shift == target.shift,
            HandoverNote.shift_date == target.shift_date,
            visible(rt),
        )
        .order_by(HandoverNote.id)
    )


def _current_acks(
    notes: list[HandoverNote], acks: list[HandoverAck]
) -> tuple[list[int], list[int]]:
    """(signed as it is now, signed before a later change), as user ids."""
    last = max((_changed(n) for n in notes), default=None)
    current = [a.user_id for a in acks if last is None or a.acked_at >= last]
    return current, [a.user_id for a in acks if a.user_id not in current]


def view(rt: Runtime, session: SignedInUser, target: ShiftRef | None = None) -> HandoverView:
    """Return a shift's handover (default: the current shift); audited."""
    now = current_shift(rt)
    target = target or now
    previous = ShiftRef(*previous_shift(now.shift, now.shift_date))
    with write_transaction():
        role = require(session, "handover.read")
        if target not in (now, previous):
            require(session, "handover.history")
        notes = _shift_notes(rt, target)
        pinned = list(
            HandoverNote.select()
            .where(
                HandoverNote.pinned_until >= today(rt),
                HandoverNote.resolved_at.is_null(),
                HandoverNote.deleted_at.is_null(),
                visible(rt),
                ~(
                    (HandoverNote.shift == target.shift)
                    & (HandoverNote.shift_date == target.shift_date)
                ),
            )
            .order_by(HandoverNote.shift_date, HandoverNote.id)
        )
        anchor = next((n for n in notes if n.category == "tilstand"), None)
        acks = _acks(anchor)
        current, earlier = _current_acks(notes, acks)
        signed = max((a.acked_at for a in acks), default=None)
        names = _names(
            {n.author_id for n in notes + pinned}
            | {n.done_by_id or 0 for n in notes + pinned}
            | {n.deleted_by_id or 0 for n in notes}
            | {a.user_id for a in acks}
        )
        derived = derived_figures(rt, target.shift, target.shift_date)
        audit.record(
            rt,
            "handover.read",
            actor=session,
            object_type="handover",
            object_id=f"{target.shift}:{target.shift_date.isoformat()}",
        )
    try:
        with connection():
            check_writable(rt, target, session)
        editable = allowed(role, "handover.write")
    except PermissionDenied:
        editable = False
    return HandoverView(
        shift=target.shift,
        shift_date=target.shift_date,
        label=shift_label(target.shift, target.shift_date),
        state=anchor.body if anchor else None,
        items=tuple(_to_item(n, names, signed) for n in notes if n.category != "tilstand"),
        pinned=tuple(_to_item(n, names, None) for n in pinned),
        acked_by=tuple(names.get(uid, "") for uid in current),
        derived=derived,
        editable=editable,
        earlier_acks=tuple(names.get(uid, "") for uid in earlier),
    )


def acknowledge(rt: Runtime, session: SignedInUser, target: ShiftRef) -> tuple[str, ...]:
    """Sign that the handover of ``target`` was read; returns who signed it as it is now.

    Only the incoming shift signs (:func:`check_may_sign`). A signature given
    before a later change is renewed by signing again.
    """
    with write_transaction():
        require(session, "handover.read")
        changes.bump(changes.HANDOVER)
        anchor = _anchor(rt, target)
        if anchor is None:
            raise NotFound("Der er ingen overlevering at kvittere for.")
        check_may_sign(rt, session, target)
        notes = _shift_notes(rt, target)
        current, _ = _current_acks(notes, _acks(anchor))
        if session.user_id in current:
            raise ValidationError("Du har allerede kvitteret for denne overlevering.")
        mine = HandoverAck.get_or_none(
            HandoverAck.note == anchor.id, HandoverAck.user == session.user_id
        )
        if mine is None:
            HandoverAck.create(note=anchor.id, user=session.user_id, acked_at=rt.now())
        else:  # signed before a later change: this signature covers the handover as it is now
            HandoverAck.update(acked_at=rt.now()).where(HandoverAck.id == mine.id).execute()
        audit.record(rt, "handover.ack", actor=session, object_type="handover", object_id=anchor.id)
        current, _ = _current_acks(notes, _acks(anchor))
        names = _names(set(current))
    return tuple(names.get(uid, "") for uid in current)


def pending(rt: Runtime, session: SignedInUser) -> HandoverSummary | None:
    """The handover this user should sign: open for signing, not signed as it is now.

    Offered at login to the incoming shift while the handover window is open
    (the running shift's from 30 minutes before it ends, else the previous one's).
    """
    target = handing_over(rt)
    with connection():
        require(session, "handover.read")
        anchor = _anchor(rt, target)
        if anchor is None:
            return None
        notes = _shift_notes(rt, target)
        current, _ = _current_acks(notes, _acks(anchor))
        if current:
            return None
        try:
            check_may_sign(rt, session, target)
        except PermissionDenied:
            return None  # the outgoing shift, an author, or the window has closed
        items = sum(1 for n in notes if n.deleted_at is None)
    return HandoverSummary(
        target.shift,
        target.shift_date,
        shift_label(target.shift, target.shift_date),
        anchor.body,
        items,
        (),
        anchor.expires_on,
    )


def history(rt: Runtime, session: SignedInUser, text: str = "") -> list[HandoverSummary]:
    """Every handover still inside retention, newest first; ``text`` searches the notes."""
    needle = clean_text(text).strip()
    if len(needle) > SEARCH_MAX:
        raise ValidationError(f"Søgeteksten må højst være {SEARCH_MAX} tegn.", "search")
    with write_transaction():
        require(session, "handover.history")
        query = HandoverNote.select().where(visible(rt))
        if needle:
            query = query.where(folded(HandoverNote.body).contains(fold(needle)))
        shifts = sorted(
            {(n.shift_date, n.shift) for n in query},
            key=lambda k: (k[0], ("dag", "aften", "nat").index(k[1])),
            reverse=True,
        )
        result = []
        for day, shift in shifts:
            notes = list(
                HandoverNote.select().where(
                    HandoverNote.shift == shift, HandoverNote.shift_date == day
                )
            )
            anchor = next((n for n in notes if n.category == "tilstand"), None)
            ids, _ = _current_acks(notes, _acks(anchor))
            names = _names(set(ids))
            result.append(
                HandoverSummary(
                    shift,
                    day,
                    shift_label(shift, day),
                    anchor.body if anchor else None,
                    sum(1 for n in notes if n.deleted_at is None),
                    tuple(names.get(uid, "") for uid in ids),
                    min(n.expires_on for n in notes),
                )
            )
        audit.record(rt, "handover.history", actor=session, object_type="handover")
    return result
