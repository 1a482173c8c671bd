"""Dialog drafts: what was typed into a dialog, kept until it is saved or discarded.

Every dialog with typed input (check-in, decision, handover...) keeps its fields
here under a dialog key that names the dialog and what it is about, ids only
(``beds.check_in:3`` for bed 3); the next time the user opens the same dialog
the text comes back. A draft is the user's own and is sealed at rest like the
intake form's (:mod:`sealing`); its title (which may name a guest) is sealed
with the fields. Resuming and discarding are audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from akut_tui.core import permissions
from akut_tui.core.errors import PermissionDenied
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import checkpoint_after_delete, connection, write_transaction
from akut_tui.services.drafts.sealing import UnreadableDraft, open_sealed, seal
from db.models import ContactDraft, User

PERMISSION = "draft.keep"
MAX_KEY = 80

DIALOG_LABELS = {
    "beds.check_in": "Tjek ind",
    "beds.reserve": "Reservation",
    "beds.decide": "Beslutning for natten",
    "beds.check_out": "Tjek ud",
    "beds.arrive": "Reserveret gæst ankommet",
    "beds.out_of_service": "Seng ude af drift",
    "outreach.depart": "Afgang på udkørsel",
    "outreach.return": "Hjemkomst fra udkørsel",
    "handover.summary": "Overlevering: tilstand og situation",
    "handover.handling": "Overlevering: handling",
    "handover.hvis_saa": "Overlevering: hvis-så-plan",
    "handover.pin": "Overlevering: fastgør punkt",
    "frequent.attention": "Særlig opmærksomhed",
    "users.new": "Ny bruger",
    "users.role": "Skift rolle",
    "values.relabel": "Omdøb værdi",
    "values.add": "Ny værdi i en værdiliste",
    "bed_settings.add": "Ny seng",
    "bed_settings.rename": "Omdøb seng",
}
"""What the drafts list calls a dialog draft (no names, no CPR)."""

AREAS = {
    "beds": ("s", "Senge"),
    "outreach": ("u", "Udkørsel"),
    "handover": ("h", "Overlevering"),
    "frequent": ("f", "Hyppige brugere"),
    "users": ("b", "Brugere"),
    "values": ("v", "Værdilister"),
    "bed_settings": ("g", "Sengeindstillinger"),
}
"""A dialog key's area: the menu letter and name of the screen that opens the dialog."""


def dialog_label(dialog: str) -> str:
    """The drafts list's text for a dialog draft: what it is and where to open it."""
    kind = dialog.split(":", 1)[0]
    area = AREAS.get(kind.split(".", 1)[0])
    where = f" (åbn dialogen igen under {area[1]})" if area else ""
    return f"Dialog: {DIALOG_LABELS.get(kind, kind)}{where}"


def dialog_area(dialog: str) -> str | None:
    """The menu letter of the screen where ``dialog`` opens, if known."""
    area = AREAS.get(dialog.split(".", 1)[0])
    return area[0] if area else None


@dataclass(frozen=True)
class DialogDraft:
    """A dialog's kept text."""

    id: int
    dialog: str
    """The dialog key (``beds.check_in:3``)."""
    title: str
    """The dialog's title when the draft was written (empty if unreadable)."""
    values: dict[str, str]
    """Field name → text as typed."""
    updated_at: datetime


def require_writer(session: SignedInUser, action: str) -> None:
    """Check that the session's user may keep a draft for ``action``.

    Unlike :func:`~akut_tui.services.accounts.auth.require` a disabled account passes:
    when an account is disabled mid-session, the session ends and writes the
    user's pending drafts first (issue 14: a disabled account keeps its text).
    The draft stays the user's own and sealed; nobody can read it unless the
    account is enabled again, and the retention purge removes it in time.
    """
    row = User.select(User.role).where(User.id == session.user_id).first()
    if row is None or not permissions.allowed(row.role, action):
        raise PermissionDenied("Din rolle giver ikke adgang til dette.")


def _check_key(dialog: str) -> None:
    if not dialog or len(dialog) > MAX_KEY:
        raise ValueError(f"dialog key must be 1-{MAX_KEY} characters: {dialog!r}")


def save(
    rt: Runtime, session: SignedInUser, dialog: str, title: str, values: dict[str, str]
) -> int:
    """Store the dialog's fields (one draft per user and dialog); returns the draft id."""
    _check_key(dialog)
    now = rt.now()
    shift, day = rt.current_shift()
    text = json.dumps({"title": title, "values": values}, ensure_ascii=True)
    data = seal(rt, session.user_id, text)
    with write_transaction():
        require_writer(session, PERMISSION)
        row = ContactDraft.get_or_none(
            ContactDraft.user == session.user_id, ContactDraft.dialog == dialog
        )
        if row is not None:
            ContactDraft.update(data=data, updated_at=now).where(
                ContactDraft.id == row.id
            ).execute()
            return int(row.id)
        return create_draft(rt, session, data, now, (shift, day), dialog=dialog)


def create_draft(
    rt: Runtime,
    session: SignedInUser,
    data: str,
    now: datetime,
    shift: tuple[str, date],
    **link: int | str | None,
) -> int:
    """A new draft of ``session`` (sealed ``data``) in ``shift``, audited; returns its id.

    Inside the caller's write transaction, after its permission check. ``link``:
    the dialog key of a dialog's draft, or the contact a form's draft edits.
    """
    draft = ContactDraft.create(
        user=session.user_id,
        created_at=now,
        updated_at=now,
        shift=shift[0],
        shift_date=shift[1],
        data=data,
        **link,
    )
    audit.record(rt, "draft.create", actor=session, object_type="draft", object_id=draft.id)
    return int(draft.id)


def _unseal(rt: Runtime, row: ContactDraft) -> DialogDraft:
    try:
        content = json.loads(open_sealed(rt, row.user_id, row.data))
        title, values = str(content["title"]), dict(content["values"])
    except UnreadableDraft:
        title, values = "", {}
    return DialogDraft(
        id=int(row.id),
        dialog=str(row.dialog),
        title=title,
        values={str(k): str(v) for k, v in values.items()},
        updated_at=row.updated_at,
    )


def load(rt: Runtime, session: SignedInUser, dialog: str) -> DialogDraft | None:
    """The user's draft of ``dialog``, or ``None``; a found draft is audited as resumed."""
    with write_transaction():
        require(session, PERMISSION)
        row = ContactDraft.get_or_none(
            ContactDraft.user == session.user_id, ContactDraft.dialog == dialog
        )
        if row is None:
            return None
        audit.record(rt, "draft.resume", actor=session, object_type="draft", object_id=row.id)
        return _unseal(rt, row)


def list_all(rt: Runtime, session: SignedInUser) -> list[DialogDraft]:
    """The user's dialog drafts, newest first (read; not audited as resumed)."""
    with connection():
        require(session, PERMISSION)
        rows = (
            ContactDraft.select()
            .where(ContactDraft.user == session.user_id, ContactDraft.dialog.is_null(False))
            .order_by(ContactDraft.updated_at.desc())
        )
        return [_unseal(rt, row) for row in rows]


def discard(rt: Runtime, session: SignedInUser, dialog: str) -> bool:
    """Delete the user's draft of ``dialog`` (saved, or thrown away); True if one was kept."""
    with write_transaction():
        require(session, PERMISSION)
        row = ContactDraft.get_or_none(
            ContactDraft.user == session.user_id, ContactDraft.dialog == dialog
        )
        if row is None:
            return False
        ContactDraft.delete().where(ContactDraft.id == row.id).execute()
        audit.record(rt, "draft.discard", actor=session, object_type="draft", object_id=row.id)
    checkpoint_after_delete()  # the text leaves the -wal file too
    return True
