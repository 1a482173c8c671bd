"""Dialog drafts on PostgreSQL (issue 14): kept per user and dialog, sealed, discarded.

The schema comes from the real upgrade (migration 4 adds ``contact_draft.dialog``
and the unique (user, dialog) index) on the throwaway server.
"""

from __future__ import annotations

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.drafts import dialogs as dialog_drafts
from db.database import connection
from db.models import ContactDraft
from tests.night_helpers import session

pytestmark = pytest.mark.postgres

CPR = "0101901234"


def test_dialog_drafts_are_kept_sealed_and_discarded(rt: Runtime) -> None:
    mette, jonas = session(rt, "mette"), session(rt, "jonas")
    key = "beds.check_in:1"
    dialog_drafts.save(rt, mette, key, "Tjek ind i Seng 1", {"cpr_text": CPR[:6]})
    dialog_drafts.save(rt, mette, key, "Tjek ind i Seng 1", {"cpr_text": CPR})
    dialog_drafts.save(rt, jonas, key, "Tjek ind i Seng 1", {"cpr_text": "x"})
    with connection():
        rows = [(r.user_id, r.data) for r in ContactDraft.select().order_by(ContactDraft.id)]
    assert [user for user, _ in rows] == [mette.user_id, jonas.user_id]  # one per user
    assert all(data.startswith("v1:") and CPR not in data for _, data in rows)
    kept = dialog_drafts.load(rt, mette, key)
    assert kept is not None and kept.values == {"cpr_text": CPR}
    assert dialog_drafts.discard(rt, mette, key)
    assert dialog_drafts.load(rt, mette, key) is None
    assert dialog_drafts.load(rt, jonas, key) is not None
