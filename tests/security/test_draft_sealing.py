"""Drafts are sealed at rest (issue 14 §1): AES-GCM with the draft key in ``key_dir``.

A grep of the database file and its ``-wal`` for the typed CPR digits finds
nothing, for intake drafts and dialog drafts; a draft from before sealing is
sealed at the next start; a missing key file is created by ``akut init`` and at
start; a draft sealed under another key is reported, never shown as garbage.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from akut_tui.core.config import Config
from akut_tui.core.key_files import DRAFT_KEY_FILE, load_keys
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import dialogs as dialog_drafts
from akut_tui.services.drafts import forms as drafts
from akut_tui.services.startup.opening import open_runtime
from db.database import connection
from db.models import ContactDraft
from tests.conftest import cheap_hasher
from tests.night_helpers import session

CPR = "0101901234"
SPELLED = "010190-1234"


def _stored_bytes(folder: Path) -> bytes:
    data = b""
    for name in ("akut.db", "akut.db-wal"):
        path = folder / name
        if path.exists():
            data += path.read_bytes()
    return data


def _digits_absent(folder: Path) -> None:
    stored = _stored_bytes(folder)
    assert stored
    # The last four digits alone are no needle: hex digests (the audit chain's MACs)
    # and stored times with microseconds hold "1234" by chance (about 2 % of runs);
    # the CPR's tail as a masked form would show it ("-1234"), so that is searched.
    for text in (CPR, SPELLED, "-1234"):
        assert text.encode("ascii") not in stored, text


def test_intake_and_dialog_drafts_keep_no_cpr_in_the_files(rt: Runtime, tmp_path: Path) -> None:
    who = session(rt, "mette")
    drafts.save_draft(rt, who, ContactInput(identity="cpr", cpr_text=SPELLED, nickname="Bo"))
    dialog_drafts.save(rt, who, "beds.check_in:1", "Tjek ind i Seng 1", {"cpr_text": CPR})
    _digits_absent(tmp_path)
    with connection():
        rows = list(ContactDraft.select())
    assert len(rows) == 2 and all(r.data.startswith("v1:") for r in rows)
    # ...and both read back as typed
    (listed,) = [d for d in drafts.list_drafts(rt, who) if d.dialog is None]
    form, _ = drafts.load_draft(rt, who, listed.id)
    assert form.cpr_text == SPELLED
    kept = dialog_drafts.load(rt, who, "beds.check_in:1")
    assert kept is not None and kept.values == {"cpr_text": CPR}
    assert kept.title == "Tjek ind i Seng 1"


def test_a_draft_is_bound_to_its_user(rt: Runtime) -> None:
    mette, jonas = session(rt, "mette"), session(rt, "jonas")
    dialog_drafts.save(rt, mette, "beds.check_in:1", "t", {"cpr_text": CPR})
    with connection():
        ContactDraft.update(user=jonas.user_id).execute()  # a row moved to another user
    kept = dialog_drafts.load(rt, jonas, "beds.check_in:1")
    assert kept is not None and kept.values == {}  # cannot be opened


def test_a_plain_draft_from_before_sealing_is_sealed_at_start(
    rt: Runtime, config: Config, tmp_path: Path, clock: object
) -> None:
    who = session(rt, "mette")
    draft_id = drafts.save_draft(rt, who, ContactInput(identity="cpr", cpr_text=SPELLED))
    plain = json.dumps(ContactInput(identity="cpr", cpr_text=SPELLED).to_json())
    with connection():
        ContactDraft.update(data=plain).execute()  # as an older version stored it
    assert SPELLED.encode() in _stored_bytes(tmp_path)
    again = open_runtime(config, hasher=cheap_hasher())
    _digits_absent(tmp_path)
    form, _ = drafts.load_draft(again, who, draft_id)
    assert form.cpr_text == SPELLED


def test_a_missing_draft_key_is_created_and_old_drafts_are_reported(
    rt: Runtime, config: Config, tmp_path: Path
) -> None:
    who = session(rt, "mette")
    dialog_drafts.save(rt, who, "beds.check_in:1", "t", {"cpr_text": CPR})
    drafts.save_draft(rt, who, ContactInput(identity="cpr", cpr_text=SPELLED))
    (tmp_path / DRAFT_KEY_FILE).unlink()
    assert load_keys(tmp_path).draft is None  # read-only tools start without it
    again = open_runtime(config, hasher=cheap_hasher())
    assert (tmp_path / DRAFT_KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert again.keys.draft is not None and again.keys.draft != rt.keys.draft
    kept = dialog_drafts.load(again, who, "beds.check_in:1")
    assert kept is not None and kept.values == {}
    (listed,) = [d for d in drafts.list_drafts(again, who) if d.dialog is None]
    assert listed.summary == "Kladden kan ikke læses (nøglen er skiftet)."
    assert dialog_drafts.discard(again, who, "beds.check_in:1")


def test_without_a_draft_key_nothing_is_written_in_clear(rt: Runtime) -> None:
    who = session(rt, "mette")
    blind = dataclasses.replace(rt, keys=dataclasses.replace(rt.keys, draft=None))
    try:
        dialog_drafts.save(blind, who, "beds.check_in:1", "t", {"cpr_text": CPR})
    except Exception as exc:  # noqa: BLE001 - the refusal is the point
        assert "akut init" in str(exc)
    else:
        raise AssertionError("a draft was written without the key")
    assert dialog_drafts.list_all(rt, who) == []
