"""Peewee models for the whole Akut domain.

Audit and change counters live in :mod:`db.audit_models`; the schema version, the value
lists and their history in :mod:`db.setting_models`; the base in :mod:`db.base`. All are
re-exported here. Times are aware datetimes stored as naive UTC (:mod:`db.utctime`).
Coded values are stable codes from :mod:`db.value_lists`; labels live in the ``value_item``
table and may change without breaking statistics.
Constraints that protect the data sit in the schema, not only in code.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from db.audit_models import AuditBase as AuditBase
from db.audit_models import AuditEvent as AuditEvent
from db.audit_models import ChangeCounter as ChangeCounter
from db.base import BaseModel as BaseModel
from db.setting_models import SchemaVersion as SchemaVersion
from db.setting_models import ValueChange as ValueChange
from db.setting_models import ValueItem as ValueItem
from db.stats_cache import StatsCache as StatsCache
from db.stats_cache import StatsGeneration as StatsGeneration
from db.textguard import CheckedCharField, CheckedTextField
from db.utctime import UtcDateTimeField


class User(BaseModel):
    """A member of staff who can log in."""

    username = CheckedCharField(max_length=64, unique=True)
    display_name = CheckedCharField(max_length=120, default="")
    role = CheckedCharField(
        max_length=20,
        constraints=[pw.Check("role IN ('medarbejder', 'koordinator', 'leder')")],
    )
    password_hash = pw.CharField(max_length=255)
    active = pw.BooleanField(default=True)
    failed_count = pw.IntegerField(default=0)
    locked_until = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField()
    last_login_at = UtcDateTimeField(null=True)
    password_changed_at = UtcDateTimeField(null=True)
    must_change_password = pw.BooleanField(default=False)  # schema version 2


class LoginAttempt(BaseModel):
    """Every login or unlock attempt, successful or not."""

    username = CheckedCharField(max_length=64)
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    at = UtcDateTimeField(index=True)
    success = pw.BooleanField()
    kind = CheckedCharField(max_length=10, default="login")  # login | unlock


class Person(BaseModel):
    """The citizen concerned, pseudonymous: ``cpr_key``, a keyed hash (HMAC) of the CPR
    number, survives the deletion of ``cpr_plain`` at its retention date, so
    unique-person statistics keep working."""

    merged_into_id: int | None

    cpr_key = pw.CharField(max_length=64, null=True, unique=True)
    cpr_plain = pw.CharField(max_length=10, null=True)
    cpr_plain_expires = pw.DateField(null=True)
    nickname = CheckedCharField(max_length=60, null=True, index=True)
    birth_year = pw.IntegerField(null=True)
    gender = CheckedCharField(max_length=20, default="ikke_registreret")
    special_attention = pw.BooleanField(default=False)
    special_attention_until = pw.DateField(null=True)
    special_attention_plan = CheckedCharField(max_length=20, null=True)  # schema 14: a code
    merged_into = pw.ForeignKeyField("self", null=True, on_delete="SET NULL")
    created_at = UtcDateTimeField()
    last_seen_at = UtcDateTimeField(null=True)

    class Meta:
        constraints = [
            pw.SQL("CHECK (cpr_plain IS NULL OR cpr_key IS NOT NULL)"),
        ]


class Contact(BaseModel):
    """One contact (henvendelse): a call, a walk-in or a virtual contact."""

    person_id: int | None
    created_by_id: int
    updated_by_id: int | None
    linked_to_id: int | None

    started_at = UtcDateTimeField(index=True)
    shift = CheckedCharField(max_length=10)
    shift_date = pw.DateField(index=True)
    contact_type = CheckedCharField(max_length=20, default="krise")
    channel = CheckedCharField(max_length=20)
    caller = CheckedCharField(max_length=20, default="borger")
    partner_type = CheckedCharField(max_length=40, null=True)
    anonymous = pw.BooleanField(default=True)
    person = pw.ForeignKeyField(Person, null=True, on_delete="RESTRICT", backref="contacts")
    cpr_status = CheckedCharField(max_length=20, default="anonym")
    home_municipality = CheckedCharField(max_length=10, default="ukendt")
    housing = CheckedCharField(max_length=20, default="ukendt")
    gender = CheckedCharField(max_length=20, default="ikke_registreret")
    age_band = CheckedCharField(max_length=20, default="ukendt")
    crisis_level = CheckedCharField(max_length=20, null=True)
    crisis_conversation = pw.BooleanField(default=False)  # before schema 9; unused
    conversation = CheckedCharField(max_length=20, null=True, default="ikke_registreret")
    crisis_plan = pw.BooleanField(default=False)
    progression_goal = pw.BooleanField(default=False)
    followup_wanted = pw.BooleanField(default=False)
    duration_min = pw.IntegerField(null=True)
    coordination_needed = pw.BooleanField(default=False)
    stabilisation = CheckedCharField(max_length=20, null=True)
    turned_away = CheckedCharField(max_length=20, null=True)
    referred_to = CheckedCharField(max_length=40, null=True)
    referral_consent = CheckedCharField(max_length=20, null=True)  # before schema 17
    referral_made_by = CheckedCharField(max_length=20, null=True)  # before schema 17
    anonymous_repeat = CheckedCharField(max_length=20, null=True)
    goal_kind = CheckedCharField(max_length=40, null=True)  # schema 16
    goal_attainment = CheckedCharField(max_length=20, null=True)  # schema 16
    under18_notified = pw.BooleanField(default=False)
    flag_suicidal = pw.BooleanField(default=False)
    flag_self_harm = pw.BooleanField(default=False)
    flag_influence = pw.BooleanField(default=False)
    flag_threatening = pw.BooleanField(default=False)
    note = CheckedTextField(null=True)
    note_expires = pw.DateField(null=True)
    linked_to = pw.ForeignKeyField("self", null=True, on_delete="SET NULL")
    locked = pw.BooleanField(default=False)
    created_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="contacts")
    created_at = UtcDateTimeField()
    updated_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    updated_at = UtcDateTimeField(null=True)

    class Meta:
        constraints = [
            pw.SQL("CHECK ((NOT anonymous) OR (person_id IS NULL AND cpr_status = 'anonym'))"),
            pw.SQL("CHECK (duration_min IS NULL OR (duration_min >= 0 AND duration_min <= 1440))"),
            pw.SQL("CHECK ((NOT crisis_plan) OR channel = 'fremmoede')"),
        ]


class ContactValue(BaseModel):
    """A multi-value pick on a contact: symptom, event, action, escalation, referral target.

    A ``referral_target`` row is one referral (schema 17): its consent (``consent`` list),
    who made the contact (``referral_by``) and the 14-day follow-up's "kom borgeren
    frem?" (``referral_arrived``) sit beside it; NULL: not recorded, and always NULL on
    every other list.
    """

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="values")
    list_name = CheckedCharField(max_length=20)
    code = CheckedCharField(max_length=40)
    consent = CheckedCharField(max_length=20, null=True)  # schema 17
    made_by = CheckedCharField(max_length=20, null=True)  # schema 17
    arrived = CheckedCharField(max_length=20, null=True)  # schema 17
    answered_at = UtcDateTimeField(null=True)  # schema 17

    class Meta:
        indexes = ((("contact", "list_name", "code"), True),)


class ContactDraft(BaseModel):
    """An unfinished registration or dialog, saved as typed so a dropped link loses nothing."""

    user_id: int
    contact_id: int | None

    user = pw.ForeignKeyField(User, on_delete="CASCADE", backref="drafts")
    contact = pw.ForeignKeyField(Contact, null=True, on_delete="CASCADE")
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField(index=True)
    shift = CheckedCharField(max_length=10)
    shift_date = pw.DateField()
    data = pw.TextField()  # the fields as JSON, sealed (AES-GCM) by the service layer
    dialog = pw.CharField(max_length=80, null=True)
    """Which dialog a dialog draft belongs to (``beds.check_in:3``); NULL: the intake form."""

    class Meta:
        # One draft per user and dialog; intake drafts (NULL) are not constrained.
        indexes = ((("user", "dialog"), True),)


class FollowUp(BaseModel):
    """A 14-day follow-up the citizen asked for."""

    contact_id: int
    person_id: int | None
    done_by_id: int | None

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="followups")
    person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL")
    due_date = pw.DateField(index=True)
    phone = CheckedCharField(max_length=20, null=True)
    done_at = UtcDateTimeField(null=True)
    done_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    result = CheckedCharField(max_length=20, null=True)

    class Meta:
        constraints = [pw.SQL("CHECK (done_at IS NULL OR phone IS NULL)")]


class Bed(BaseModel):
    """An overnight bed."""

    name = CheckedCharField(max_length=40, unique=True)
    sort_order = pw.IntegerField(default=0)
    out_of_service = pw.BooleanField(default=False)
    out_of_service_reason = CheckedCharField(max_length=120, null=True)  # schema version 3
    config_name = CheckedCharField(max_length=40, null=True)  # schema 12: its config.toml name
    added_in_app = pw.BooleanField(null=True)  # schema 12: a leader added it; not in config.toml


class BedOutOfService(BaseModel):
    """A period a bed was out of service (schema 9; ``Bed.out_of_service`` is today's state)."""

    bed_id: int
    started_by_id: int | None
    ended_by_id: int | None
    bed = pw.ForeignKeyField(Bed, on_delete="CASCADE", backref="out_periods")
    started_at = UtcDateTimeField()
    ended_at = UtcDateTimeField(null=True)
    reason = CheckedCharField(max_length=120, null=True)
    started_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    ended_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")


class Stay(BaseModel):
    """An overnight stay of one person in one bed (at most N consecutive nights)."""

    person_id: int
    bed_id: int
    contact_id: int | None

    person = pw.ForeignKeyField(Person, on_delete="RESTRICT", backref="stays")
    bed = pw.ForeignKeyField(Bed, on_delete="RESTRICT", backref="stays")
    contact = pw.ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    checked_in_at = UtcDateTimeField()
    checked_out_at = UtcDateTimeField(null=True)
    reserved = pw.BooleanField(default=False)
    override_reason = CheckedCharField(max_length=200, null=True)
    created_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    # Schema version 3: exclusion checks asked at check-in, reservation expiry, how it ended.
    excl_intoxicated = pw.BooleanField(default=False)
    excl_threatening = pw.BooleanField(default=False)
    excl_disturbing = pw.BooleanField(default=False)
    reserved_until = UtcDateTimeField(null=True)
    ended_reason = CheckedCharField(max_length=20, null=True)  # udtjekket | udloebet | annulleret


class StayNight(BaseModel):
    """One night of a stay; the unique (bed, night) pair forbids double booking."""

    stay_id: int
    bed_id: int

    stay = pw.ForeignKeyField(Stay, on_delete="CASCADE", backref="nights")
    bed = pw.ForeignKeyField(Bed, on_delete="RESTRICT")
    night_date = pw.DateField()
    night_number = pw.IntegerField(constraints=[pw.Check("night_number >= 1")])
    decision = CheckedCharField(max_length=20, null=True)  # forlaeng | afslut | henvist
    decided_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    decided_at = UtcDateTimeField(null=True)
    referred_to = CheckedCharField(max_length=120, null=True)  # schema version 3
    override_reason = CheckedCharField(max_length=200, null=True)  # schema version 3

    class Meta:
        indexes = (
            (("bed", "night_date"), True),
            (("stay", "night_number"), True),
        )


class BedRequest(BaseModel):
    """A request for a bed that could not be met (counts unmet demand; not a queue)."""

    stay_id: int | None

    requested_at = UtcDateTimeField()
    reason = CheckedCharField(max_length=40, default="ingen_ledig")
    contact = pw.ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    created_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    # Schema version 5: the attempt that logged it (one row per attempt) and the stay.
    attempt = pw.CharField(max_length=40, null=True, unique=True)
    stay = pw.ForeignKeyField(Stay, null=True, on_delete="SET NULL")


class OutreachTrip(BaseModel):
    """Flexible night support: a trip out, which is never a contact."""

    user_id: int
    companion_id: int | None

    departed_at = UtcDateTimeField()
    returned_at = UtcDateTimeField(null=True)
    user = pw.ForeignKeyField(User, on_delete="RESTRICT")
    companion = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")


class HandoverNote(BaseModel):
    """A short note for the next shift; expires after the retention period."""

    author_id: int
    done_by_id: int | None
    resolved_by_id: int | None
    deleted_by_id: int | None

    shift = CheckedCharField(max_length=10)
    shift_date = pw.DateField(index=True)
    category = CheckedCharField(max_length=20, default="fri")
    body = CheckedTextField()
    author = pw.ForeignKeyField(User, on_delete="RESTRICT")
    created_at = UtcDateTimeField()
    expires_on = pw.DateField(index=True)
    # Schema version 3: I-PASS actions (owner, time, ticked off), pins and resolution.
    owner = CheckedCharField(max_length=40, null=True)
    due_at = UtcDateTimeField(null=True)
    done_at = UtcDateTimeField(null=True)
    done_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    pinned_until = pw.DateField(null=True)
    resolved_at = UtcDateTimeField(null=True)
    resolved_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    # Schema version 5: a later edit (new since a signature) and a kept deletion.
    changed_at = UtcDateTimeField(null=True)
    deleted_at = UtcDateTimeField(null=True)
    deleted_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")


class HandoverAck(BaseModel):
    """A user's acknowledgement that they read a handover note."""

    note_id: int
    user_id: int

    note = pw.ForeignKeyField(HandoverNote, on_delete="CASCADE", backref="acks")
    user = pw.ForeignKeyField(User, on_delete="RESTRICT")
    acked_at = UtcDateTimeField()

    class Meta:
        indexes = ((("note", "user"), True),)


class ImportedRow(BaseModel):
    """A keyed digest of one imported CSV row (schema 9); see ``services/importing/digest.py``."""

    contact_id: int

    digest = pw.CharField(max_length=64, unique=True)
    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="+")
    imported_at = UtcDateTimeField()


class DataMark(BaseModel):
    """When a rule about recorded data took effect here (schema 9); none: from the start."""

    name = CheckedCharField(max_length=40, unique=True)
    since = UtcDateTimeField()


class ReferralArrival(BaseModel):
    """Schema 15 and 16's answers to "kom borgeren frem?" (read only since schema 17).

    Version 17 moved each answer onto its referral's ``contact_value`` row; what is left
    here answers a referral later taken off its contact, kept but no longer counted.
    """

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="arrivals")
    target = CheckedCharField(max_length=40)
    arrived = CheckedCharField(max_length=20)
    answered_at = UtcDateTimeField()

    class Meta:
        indexes = ((("contact", "target"), True),)


ALL_MODELS: list[type[Any]] = [
    SchemaVersion, ValueItem, User, LoginAttempt, Person, Contact, ContactValue, ContactDraft,
    FollowUp, Bed, Stay, BedOutOfService, StayNight, BedRequest, OutreachTrip, HandoverNote,
    HandoverAck, AuditEvent, ChangeCounter, AuditBase, ImportedRow, DataMark, ValueChange,
    ReferralArrival, StatsGeneration, StatsCache,
]  # fmt: skip
"""Every model, in creation order (referenced tables first)."""

UNCHECKED_TEXT_COLUMNS: dict[str, str] = {
    "user.password_hash": "an argon2 digest; its base64 may hold ten digits in a row",
    "person.cpr_key": "a keyed HMAC (hex) of the CPR number",
    "person.cpr_plain": "the CPR number itself, kept until its retention date",
    "contact_draft.data": "the form as typed, CPR field included (kept for draft_days)",
    "audit_event.prev_hash": "HMAC-SHA256 hex digest",
    "audit_event.mac": "HMAC-SHA256 hex digest",
    "bed_request.attempt": "a random id of one open check-in dialog (hex), never typed text",
    "audit_base.mac": "HMAC-SHA256 hex digest",
    "imported_row.digest": "a keyed HMAC (hex) of one imported CSV row",
    "contact_draft.dialog": "a dialog key of ids only (``beds.check_in:3``), never typed text",
}
"""Text columns that are plain Peewee fields, with the reason; every other text column
of every model is checked (:mod:`db.textguard`)."""
