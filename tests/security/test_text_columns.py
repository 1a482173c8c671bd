"""Every text column of every model refuses a CPR-like value (issue 15 §5).

Plain CPR numbers were stored in fields that had no check: the out-of-service
reason, ``stay_night.referred_to``, a leader's override reason, a nickname given
at check-in, ``akut user add --name``. The model layer now refuses any text the
one detector flags (:mod:`db.textguard`). These tests enumerate the text columns
of every model: each is checked (or listed with its reason as unchecked), each
refuses a CPR at the model layer, and each column a person can type into is tried
through the service (or CLI) that writes it: refused with a Danish message, or
stored redacted, and the number is in no table afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee as pw
import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config
from akut_tui.core.cprscan import contains_cpr
from akut_tui.core.errors import AkutError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.contacts import persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.night import beds, handover, nights, stays
from akut_tui.services.night.handover_items import add_item
from db.database import connection
from db.models import ALL_MODELS, UNCHECKED_TEXT_COLUMNS, Person
from db.textguard import CheckedCharField, CheckedTextField, TextRefused
from tests.conftest import PASSWORD, FakeClock
from tests.night_helpers import bed_ids, form, session

CPR_TEXT = "Ib 210190-1234"
"""A nickname as typed at check-in (issue 15 §5); the digits are a valid 1990 CPR."""


def _text_columns() -> dict[str, pw.Field]:
    columns: dict[str, pw.Field] = {}
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, (pw.CharField, pw.TextField)):
                columns[f"{model._meta.table_name}.{field.column_name}"] = field
    return columns


CHECKED = sorted(
    name
    for name, field in _text_columns().items()
    if isinstance(field, (CheckedCharField, CheckedTextField))
)


def test_every_text_column_is_checked_or_listed_with_a_reason() -> None:
    columns = _text_columns()
    unchecked = {n for n in columns if n not in CHECKED}
    assert unchecked == set(UNCHECKED_TEXT_COLUMNS)
    assert len(CHECKED) >= 40


@pytest.mark.parametrize("column", CHECKED)
def test_model_layer_refuses_a_cpr_in_every_checked_column(rt: Runtime, column: str) -> None:
    field = _text_columns()[column]
    model = field.model
    with pytest.raises(TextRefused) as info:
        model.insert({field: CPR_TEXT}).sql()
    assert info.value.column == column
    assert "210190" not in str(info.value)
    with pytest.raises(TextRefused):
        model.update({field: "x 21.01.1990 12 34"}).sql()
    model.insert({field: "Ib, tlf. 12 34 56 78"}).sql()  # an ordinary value passes


# Columns that hold only codes from value lists, fixed words or values the program
# makes itself; no person types into them. They are covered by the model-layer test.
INTERNAL = {
    "value_item.list_name",
    "value_item.code",
    "value_change.list_name",
    "value_change.code",
    "value_change.kind",
    "user.role",
    "login_attempt.kind",
    "person.gender",
    "contact.shift",
    "contact.contact_type",
    "contact.channel",
    "contact.caller",
    "contact.partner_type",
    "contact.referred_to",
    "contact.cpr_status",
    "contact.conversation",
    "data_mark.name",
    "contact.home_municipality",
    "contact.housing",
    "contact.gender",
    "contact.age_band",
    "contact.crisis_level",
    "contact.stabilisation",
    "contact.turned_away",
    "contact.referral_consent",
    "contact.referral_made_by",
    "contact.anonymous_repeat",
    "contact.goal_kind",
    "contact.goal_attainment",
    "referral_arrival.target",
    "referral_arrival.arrived",
    "contact_value.list_name",
    "contact_value.code",
    "contact_value.consent",  # schema 17: per-referral codes of fixed lists
    "contact_value.made_by",
    "contact_value.arrived",
    "contact_draft.shift",
    "follow_up.result",
    "bed.config_name",
    "stay.ended_reason",
    "stay_night.decision",
    "bed_request.reason",
    "handover_note.shift",
    "handover_note.category",
    "audit_event.action",
    "audit_event.object_type",
    "change_counter.name",
}


class People:
    """A member of staff and a leader, logged in."""

    def __init__(self, rt: Runtime) -> None:
        self.staff = session(rt, "mette", display="Mette")
        self.leader = session(rt, "lea", "leder", display="Lea")


def _write_display_name(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    accounts.create_user(rt, "ulla", PASSWORD, "medarbejder", actor=None, display_name=CPR_TEXT)


def _write_display_name_cli(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    import io
    import sys

    old, old_err = sys.stdin, sys.stderr
    stdin = io.TextIOWrapper(io.BytesIO((PASSWORD + "\n").encode("utf-8")), encoding="utf-8")
    sys.stdin, sys.stderr = stdin, io.StringIO()
    try:
        code = main(
            [
                "--config",
                str(cfg),
                "user",
                "add",
                "ulla",
                "--role",
                "medarbejder",
                "--name",
                "Ulla 250190-1234",
                "--password-stdin",
            ]
        )
    finally:
        err = sys.stderr.getvalue()
        sys.stdin, sys.stderr = old, old_err
    if code != 0:
        raise AkutError(f"refused by the CLI: {err}")


def _write_username(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    accounts.create_user(rt, "ib2101901234", PASSWORD, "medarbejder", actor=None)


def _write_login_name(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    auth.login(rt, "ib.21-01-1990.1234", PASSWORD)


def _write_nickname_check_in(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    stays.check_in(rt, people.staff, form(bed_ids()[0], nickname=CPR_TEXT))


def _write_nickname_contact(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    contacts.save_contact(
        rt, people.staff, ContactInput(identity="pseudonym", nickname="Ib 21 01 90 12 34")
    )


def _write_note(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    contacts.save_contact(rt, people.staff, ContactInput(note="oplyst 21.01.1990-1234"))


def _write_followup_phone(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    contacts.save_contact(
        rt, people.staff, ContactInput(followup_wanted=True, followup_phone="2101901234")
    )


def _write_out_of_service(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    beds.set_out_of_service(rt, people.leader, bed_ids()[0], "Ib 210190-1234 kastede op")


def _write_stay_override(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    first = stays.check_in(rt, people.staff, form(bed_ids()[0])).stay_id
    nights.decide_night(rt, people.staff, first, "afslut")
    clock.advance(hours=13)
    nights.check_out(rt, people.staff, first)
    clock.advance(hours=11)
    stays.check_in(
        rt, people.leader, form(bed_ids()[0], override_reason="Ingen plads, 210190-1234")
    )


def _write_night_referred_to(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    stay_id = stays.check_in(rt, people.staff, form(bed_ids()[0])).stay_id
    nights.decide_night(rt, people.staff, stay_id, "henvist", referred_to=CPR_TEXT)


def _write_night_override(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    stay_id = stays.check_in(rt, people.staff, form(bed_ids()[0])).stay_id
    for _ in range(2):
        nights.decide_night(rt, people.staff, stay_id, "forlaeng")
        clock.advance(days=1)
    nights.decide_night(
        rt, people.leader, stay_id, "forlaeng", override_reason="Venter, cpr 210190 1234"
    )


def _write_handover_body(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    add_item(rt, people.staff, handover.current_shift(rt), "hvis_saa", "Hvis 2101901234 ringer")


def _write_handover_owner(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    add_item(
        rt,
        people.staff,
        handover.current_shift(rt),
        "handling",
        "Ring til kommunen",
        owner="Ib 210190-1234",
        due_at=rt.now(),
    )


def _write_attention_plan(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    with connection(), write_transaction():
        pid = Person.create(nickname="Ib", created_at=rt.now().replace(tzinfo=None)).id
    persons.set_special_attention(rt, people.leader, pid, None, True, plan=CPR_TEXT)


def _write_value_label(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    from akut_tui.services.admin import value_admin

    value_admin.relabel(rt, people.leader, "symptom", "angst", CPR_TEXT)


def _write_value_added(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    from akut_tui.services.admin import value_admin

    value_admin.add_value(rt, people.leader, "symptom", CPR_TEXT)


def _write_bed_name(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    from akut_tui.services.night import bed_settings

    bed_settings.rename_bed(rt, people.leader, bed_ids()[0], CPR_TEXT)


def _write_bed_added(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    from akut_tui.services.night import bed_settings

    bed_settings.add_bed(rt, people.leader, CPR_TEXT)


def _write_audit_fields(rt: Runtime, people: People, clock: FakeClock, cfg: Path) -> None:
    with write_transaction():
        audit.record(
            rt, "test.event", username=CPR_TEXT, object_id=CPR_TEXT, person_ref="2101901234"
        )


WRITERS: dict[str, Callable[[Runtime, People, FakeClock, Path], None]] = {
    "user.username": _write_username,
    "user.display_name": _write_display_name,
    "login_attempt.username": _write_login_name,
    "person.nickname": _write_nickname_check_in,
    "contact.note": _write_note,
    "follow_up.phone": _write_followup_phone,
    "bed.out_of_service_reason": _write_out_of_service,
    "bed_out_of_service.reason": _write_out_of_service,
    "stay.override_reason": _write_stay_override,
    "stay_night.referred_to": _write_night_referred_to,
    "stay_night.override_reason": _write_night_override,
    "handover_note.body": _write_handover_body,
    "handover_note.owner": _write_handover_owner,
    "person.special_attention_plan": _write_attention_plan,
    "bed.name": _write_bed_name,
    "value_item.label": _write_value_label,
    "value_change.old_label": _write_value_label,
    "value_change.new_label": _write_value_label,
    "audit_event.username": _write_audit_fields,
    "audit_event.object_id": _write_audit_fields,
    "audit_event.person_ref": _write_audit_fields,
}
REDACTED = {"audit_event.username", "audit_event.object_id", "audit_event.person_ref"}
"""Columns whose service stores the value with the CPR replaced instead of refusing it."""
OTHER_REASON = {"follow_up.phone": "8 cifre"}
"""Columns whose format alone cannot hold a CPR: the refusal names the format."""
EXTRA_WRITERS = {
    "value_item.label (a value added by a leader)": _write_value_added,
    "bed.name (a bed added by a leader)": _write_bed_added,
    "user.display_name (akut user add --name)": _write_display_name_cli,
    "person.nickname (contact form)": _write_nickname_contact,
}


def test_every_checked_column_is_written_through_a_service_or_internal() -> None:
    assert set(WRITERS) | INTERNAL == set(CHECKED)
    assert not set(WRITERS) & INTERNAL


def _all_text() -> str:
    """Every text value of every table (through the models: SQLite and PostgreSQL alike),
    except the columns that hold a CPR or a digest by design."""
    parts: list[str] = []
    with connection():
        for model in ALL_MODELS:
            table = model._meta.table_name
            fields = [
                f
                for f in model._meta.sorted_fields
                if f"{table}.{f.column_name}" not in UNCHECKED_TEXT_COLUMNS
            ]
            for row in model.select(*fields).tuples():
                parts.append(" | ".join(str(v) for v in row if isinstance(v, str)))
    return "\n".join(parts)


@pytest.mark.parametrize("column", sorted({**WRITERS, **EXTRA_WRITERS}))
def test_a_cpr_typed_into_the_service_is_refused_or_redacted(
    rt: Runtime, config: Config, clock: FakeClock, tmp_path: Path, column: str
) -> None:
    people = People(rt)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[database]\nurl = "{config.database_url()}"\n'
        f'[security]\nkey_dir = "{config.key_directory()}"\n'
        "argon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n",
        encoding="utf-8",
    )
    writer = {**WRITERS, **EXTRA_WRITERS}[column]
    try:
        writer(rt, people, clock, cfg)
    except AkutError as exc:
        assert "210190" not in str(exc) and "250190" not in str(exc)
        if column != "login_attempt.username":  # a failed login has one message for all
            expected = OTHER_REASON.get(column, "CPR")
            assert expected in str(exc), f"{column}: refused for another reason: {exc}"
    else:
        assert column in REDACTED, f"{column}: a CPR was accepted"
    text = _all_text()
    assert not contains_cpr(text), column


def test_a_nickname_stored_before_the_check_is_shown_redacted_on_the_bed_board() -> None:
    """The bed board showed "Ib 210190-1234" while the persons list masked it."""
    assert beds.guest_label(7, CPR_TEXT) == "Ib XXXXXX-XXXX"
    assert beds.guest_label(7, None) == "Gæst nr. 7"
