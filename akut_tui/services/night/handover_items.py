"""Handover items: actions and if-then plans, ticking off, pins and resolution.

See :mod:`akut_tui.services.night.handover` for the model. Actions carry an owner
and a time and are ticked off by the next shift; any item may be pinned until
a date within its retention and marked resolved.
"""

from __future__ import annotations

from datetime import date, datetime

from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, PermissionDenied, ValidationError
from akut_tui.core.permissions import LEADER
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, removal_message, write_transaction
from akut_tui.services.night import changes
from akut_tui.services.night.handover import (
    MAX_ITEMS,
    OWNER_MAX,
    ShiftRef,
    check_writable,
    clean_item_text,
    create_note,
    mark_deleted,
    today,
    visible,
)
from db.models import HandoverNote


def add_item(
    rt: Runtime,
    session: SignedInUser,
    target: ShiftRef,
    kind: str,
    body: str,
    *,
    owner: str = "",
    due_at: datetime | None = None,
) -> int:
    """Add an action (``handling``: owner and time required) or an if-then plan (``hvis_saa``)."""
    if kind not in MAX_ITEMS:
        raise ValidationError("Ukendt punkt i overleveringen.", "kind")
    text = clean_item_text(kind, body)
    extra: dict[str, object] = {}
    if kind == "handling":
        who = clean_text(owner).strip()
        if not who:
            raise ValidationError("En handling skal have en ansvarlig.", "owner")
        if len(who) > OWNER_MAX:
            raise ValidationError(f"Højst {OWNER_MAX} tegn for den ansvarlige.", "owner")
        if contains_cpr(who):
            raise ValidationError("Skriv ikke CPR-numre i overleveringen.", "owner")
        if due_at is None or due_at.tzinfo is None:
            raise ValidationError("En handling skal have et tidspunkt.", "due_at")
        extra = {"owner": who, "due_at": due_at}
    with write_transaction():
        require(session, "handover.write")
        check_writable(rt, target, session)
        changes.bump(changes.HANDOVER)
        count = (
            HandoverNote.select()
            .where(
                HandoverNote.shift == target.shift,
                HandoverNote.shift_date == target.shift_date,
                HandoverNote.category == kind,
                HandoverNote.deleted_at.is_null(),
            )
            .count()
        )
        if count >= MAX_ITEMS[kind]:
            raise ValidationError(f"Højst {MAX_ITEMS[kind]} punkter af denne slags.", kind)
        note_id = create_note(rt, session, target, kind, text, **extra)
        audit.record(rt, "handover.add", actor=session, object_type="handover", object_id=note_id)
        return note_id


def _item(rt: Runtime, item_id: int) -> HandoverNote:
    note = HandoverNote.get_or_none(HandoverNote.id == item_id, visible(rt))
    if note is None or note.deleted_at is not None:
        raise NotFound("Punktet findes ikke (eller er udløbet eller slettet).")
    return note


def _own_shift(note: HandoverNote) -> ShiftRef:
    return ShiftRef(note.shift, note.shift_date)


def tick_action(rt: Runtime, session: SignedInUser, item_id: int, done: bool = True) -> None:
    """Tick an action off (or back on); done by the shift that received it."""
    with write_transaction():
        require(session, "handover.write")
        changes.bump(changes.HANDOVER)
        note = _item(rt, item_id)
        if note.category != "handling":
            raise ValidationError("Kun handlinger kan krydses af.")
        HandoverNote.update(
            done_at=rt.now() if done else None, done_by=session.user_id if done else None
        ).where(HandoverNote.id == item_id).execute()
        audit.record(rt, "handover.tick", actor=session, object_type="handover", object_id=item_id)


def pin_item(rt: Runtime, session: SignedInUser, item_id: int, until: date | None) -> None:
    """Pin an item until a date (``None`` unpins); never past the note's retention date."""
    with write_transaction():
        require(session, "handover.write")
        changes.bump(changes.HANDOVER)
        note = _item(rt, item_id)
        if note.pinned_until is None:  # a pinned item is managed by whoever meets it later
            check_writable(rt, _own_shift(note), session)
        if until is not None and until < today(rt):
            raise ValidationError("Datoen for fastgørelse ligger i fortiden.", "pinned_until")
        if until is not None and until > note.expires_on:
            raise ValidationError(
                "Et punkt kan ikke fastgøres ud over slettefristen (14 dage efter vagten).",
                "pinned_until",
            )
        HandoverNote.update(pinned_until=until).where(HandoverNote.id == item_id).execute()
        audit.record(rt, "handover.pin", actor=session, object_type="handover", object_id=item_id)


def resolve_item(rt: Runtime, session: SignedInUser, item_id: int) -> None:
    """Mark an item resolved (it then leaves the pinned list)."""
    with write_transaction():
        require(session, "handover.write")
        changes.bump(changes.HANDOVER)
        note = _item(rt, item_id)
        if note.pinned_until is None:  # a pinned item is resolved by whoever meets it later
            check_writable(rt, _own_shift(note), session)
        HandoverNote.update(resolved_at=rt.now(), resolved_by=session.user_id).where(
            HandoverNote.id == item_id
        ).execute()
        audit.record(
            rt, "handover.resolve", actor=session, object_type="handover", object_id=item_id
        )


def _check_delete(rt: Runtime, session: SignedInUser, note: HandoverNote, role: str) -> None:
    if note.category not in MAX_ITEMS:
        raise ValidationError("Ret tilstand, situation og fri tekst i stedet for at slette.")
    if role == LEADER:
        return
    if note.author_id != session.user_id:
        raise PermissionDenied("Kun den der skrev punktet, eller en leder, kan slette det.")
    check_writable(rt, _own_shift(note), session)


def check_may_delete(rt: Runtime, session: SignedInUser, item_id: int) -> None:
    """ "May I delete this item?", asked before the j/n question opens; refuses in Danish."""
    with connection():
        role = require(session, "handover.write")
        _check_delete(rt, session, _item(rt, item_id), role)


def delete_item(rt: Runtime, session: SignedInUser, item_id: int) -> str:
    """Delete an action or if-then plan: its author (while the shift may be written) or a leader.

    The handover keeps the line "slettet af X kl. HH:MM"; the text is gone. Returns the
    Danish confirmation; it says so when another session's read made the text wait for
    the next checkpoint to leave the ``-wal`` file.
    """
    with write_transaction():
        role = require(session, "handover.write")
        changes.bump(changes.HANDOVER)
        note = _item(rt, item_id)
        _check_delete(rt, session, note, role)
        mark_deleted(rt, session, item_id)
        audit.record(
            rt, "handover.delete", actor=session, object_type="handover", object_id=item_id
        )
    return removal_message("Slettet.")
