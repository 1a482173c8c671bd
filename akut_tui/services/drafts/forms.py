"""Drafts: the intake form as typed so far, kept per user until saved or discarded.

A draft is the user's own: only its author lists, resumes or discards it. A
draft holds the form as JSON, sealed with the draft key (:mod:`sealing`: it may
hold a CPR); lists show a summary without names or CPR. Dialog drafts (check-in,
handover...) share the table and the sealing: :mod:`dialog_drafts`.
"""

from __future__ import annotations

import json

from akut_tui.core.clock import format_date
from akut_tui.core.errors import NotFound
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import DraftInfo, SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import checkpoint_after_delete, connection, write_transaction
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.summary import summarise
from akut_tui.services.drafts.dialogs import create_draft, dialog_label, require_writer
from akut_tui.services.drafts.sealing import UnreadableDraft, is_sealed, open_sealed, seal
from db.models import ContactDraft


def save_draft(
    rt: Runtime,
    session: SignedInUser,
    form: ContactInput,
    *,
    draft_id: int | None = None,
    contact_id: int | None = None,
) -> int:
    """Store the form as typed so far; returns the draft id."""
    now = rt.now()
    shift, day = rt.current_shift()
    # ASCII escapes: a lone surrogate (kept as typed) cannot be encoded as UTF-8.
    data = seal(rt, session.user_id, json.dumps(form.to_json(), ensure_ascii=True))
    with write_transaction():
        require_writer(session, "contact.create")  # a disabled account keeps its text
        if draft_id is not None:
            updated = (
                ContactDraft.update(data=data, updated_at=now)
                .where(ContactDraft.id == draft_id, ContactDraft.user == session.user_id)
                .execute()
            )
            if updated:
                return draft_id
        return create_draft(rt, session, data, now, (shift, day), contact=contact_id)


def list_drafts(rt: Runtime, session: SignedInUser) -> list[DraftInfo]:
    """Return the user's drafts (registrations and dialogs), newest first."""
    shift, day = rt.current_shift()
    tz = rt.config.site.timezone
    with connection():
        require(session, "contact.create")
        result = []
        for d in (
            ContactDraft.select()
            .where(ContactDraft.user == session.user_id)
            .order_by(ContactDraft.updated_at.desc())
        ):
            try:
                summary = dialog_label(d.dialog) if d.dialog else summarise(_form(rt, d), tz)
            except UnreadableDraft as exc:
                summary = str(exc)
            result.append(
                DraftInfo(
                    id=d.id,
                    updated_at=d.updated_at,
                    shift=d.shift,
                    shift_date=format_date(d.shift_date),
                    summary=summary,
                    stale=(d.shift, d.shift_date) != (shift, day),
                    contact_id=d.contact_id,
                    dialog=d.dialog,
                )
            )
        return result


def load_draft(
    rt: Runtime, session: SignedInUser, draft_id: int
) -> tuple[ContactInput, int | None]:
    """Return a draft's form data and the contact it edits (if any); audited."""
    with write_transaction():
        require(session, "contact.create")
        draft = ContactDraft.get_or_none(
            ContactDraft.id == draft_id,
            ContactDraft.user == session.user_id,
            ContactDraft.dialog.is_null(),
        )
        if draft is None:
            raise NotFound("Kladden findes ikke.")
        form = _form(rt, draft)
        audit.record(rt, "draft.resume", actor=session, object_type="draft", object_id=draft_id)
        return form, draft.contact_id


def discard_draft(rt: Runtime, session: SignedInUser, draft_id: int) -> None:
    """Delete one of the user's drafts; audited."""
    with write_transaction():
        require(session, "contact.create")
        deleted = (
            ContactDraft.delete()
            .where(ContactDraft.id == draft_id, ContactDraft.user == session.user_id)
            .execute()
        )
        if deleted:
            audit.record(
                rt, "draft.discard", actor=session, object_type="draft", object_id=draft_id
            )
    if deleted:
        checkpoint_after_delete()  # the discarded text leaves the -wal file too


def _form(rt: Runtime, draft: ContactDraft) -> ContactInput:
    return ContactInput.from_json(json.loads(open_sealed(rt, draft.user_id, draft.data)))


def seal_plain_drafts(rt: Runtime) -> int:
    """Seal every draft still stored in clear (from before sealing); returns how many.

    Runs at start-up (:func:`~akut_tui.services.startup.opening.open_runtime`); the
    checkpoint afterwards moves the clear text out of the ``-wal`` file too.
    """
    if rt.keys.draft is None:
        return 0
    with write_transaction():
        plain = [d for d in ContactDraft.select() if not is_sealed(d.data)]
        for d in plain:
            ContactDraft.update(data=seal(rt, d.user_id, d.data)).where(
                ContactDraft.id == d.id
            ).execute()
    if plain:
        checkpoint_after_delete()
    return len(plain)
