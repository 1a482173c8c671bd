"""Drafts: the registration form as typed so far, kept per user until saved or discarded.

A draft is the user's own: only its author lists, resumes or discards it. A
draft holds the form as JSON; lists show a summary without names or CPR.
"""

from __future__ import annotations

import json

from akut_tui.clock import format_date, from_db, to_db
from akut_tui.errors import NotFound
from akut_tui.services import audit
from akut_tui.services.auth import require
from akut_tui.services.contact_input import ContactInput
from akut_tui.services.contact_summary import summarise
from akut_tui.services.dto import DraftInfo, SessionInfo
from akut_tui.services.runtime import Runtime
from akut_tui.services.storage import checkpoint_after_delete, connection, write_transaction
from db.models import ContactDraft


def save_draft(
    rt: Runtime,
    session: SessionInfo,
    form: ContactInput,
    *,
    draft_id: int | None = None,
    contact_id: int | None = None,
) -> int:
    """Store the form as typed so far; returns the draft id."""
    now = rt.now()
    shift, day = rt.current_shift()
    # ASCII escapes: a lone surrogate (kept as typed) cannot be encoded as UTF-8.
    data = json.dumps(form.to_json(), ensure_ascii=True)
    with write_transaction():
        require(session, "contact.create")
        if draft_id is not None:
            updated = (
                ContactDraft.update(data=data, updated_at=to_db(now))
                .where(ContactDraft.id == draft_id, ContactDraft.user == session.user_id)
                .execute()
            )
            if updated:
                return draft_id
        draft = ContactDraft.create(
            user=session.user_id,
            contact=contact_id,
            created_at=to_db(now),
            updated_at=to_db(now),
            shift=shift,
            shift_date=day,
            data=data,
        )
        audit.record(rt, "draft.create", actor=session, object_type="draft", object_id=draft.id)
        return int(draft.id)


def list_drafts(rt: Runtime, session: SessionInfo) -> list[DraftInfo]:
    """Return the user's unfinished registrations, newest first."""
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
            form = ContactInput.from_json(json.loads(d.data))
            result.append(
                DraftInfo(
                    id=d.id,
                    updated_at=from_db(d.updated_at),
                    shift=d.shift,
                    shift_date=format_date(d.shift_date),
                    summary=summarise(form, tz),
                    stale=(d.shift, d.shift_date) != (shift, day),
                    contact_id=d.contact_id,
                )
            )
        return result


def load_draft(rt: Runtime, session: SessionInfo, draft_id: int) -> tuple[ContactInput, int | None]:
    """Return a draft's form data and the contact it edits (if any); audited."""
    with write_transaction():
        require(session, "contact.create")
        draft = ContactDraft.get_or_none(
            ContactDraft.id == draft_id, ContactDraft.user == session.user_id
        )
        if draft is None:
            raise NotFound("Kladden findes ikke.")
        audit.record(rt, "draft.resume", actor=session, object_type="draft", object_id=draft_id)
        return ContactInput.from_json(json.loads(draft.data)), draft.contact_id


def discard_draft(rt: Runtime, session: SessionInfo, draft_id: int) -> None:
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
