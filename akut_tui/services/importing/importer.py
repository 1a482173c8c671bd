"""Import of historical contacts from CSV: all or nothing, validated like the intake form.

Every row goes through the same validation as a registration
(:func:`akut_tui.services.contacts.prepare.prepare`); the first bad row stops the
import with its line number, column and reason, and nothing is written. A good
file is written in one transaction with bulk inserts, sorted by start time.
Imported contacts never enter the follow-up queue (they are history).

A row is imported only once (:mod:`akut_tui.services.importing.digest`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from akut_tui.core.clock import local, zone
from akut_tui.core.cpr import pseudonym
from akut_tui.core.plural import count
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts.form import UNKNOWN_MUNICIPALITY, ContactInput
from akut_tui.services.contacts.prepare import FormErrors, PreparedContact, prepare
from akut_tui.services.importing.digest import already_imported, refuse, row_digest, row_text
from akut_tui.services.importing.source_file import ImportFailed, decode, open_reader, records
from db.bulk import insert_plain, insert_returning_ids
from db.models import ImportedRow, Person, User

FLAGS = ("crisis_plan", "progression_goal", "followup_wanted", "coordination_needed")
CONVERSATION = {"": "", "1": "ja", "0": "nej"}
"""The ``crisis_conversation`` column: 1 ja, 0 nej, empty not registered."""
MULTI = {
    "symptoms": "symptom",
    "events": "event",
    "actions": "action",
    "escalations": "escalation",
    "referrals": "referral_target",
    "avoided": "avoided",
}
PER_REFERRAL = ("referral_consent", "referral_made_by")
"""Columns with one code for every referral, or a ``|``-joined code per referral."""
FIELD_COLUMN = {
    "home_municipality": "municipality",
    "cpr_text": "cpr",
    "identity": "cpr",
    "nickname": "pseudonym",
}
CODE_MESSAGES = ("Vælg en værdi fra listen.", "Ukendt værdi i listen.")
IMPORT_USER = "import"


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    contacts: int
    persons_new: int
    first: date | None
    last: date | None
    dry_run: bool
    duplicates: int = 0  # rows already imported (a dry run counts them; an import refuses)


@dataclass
class _Row:
    line: int
    digest: str
    prepared: PreparedContact
    cpr_status: str
    cpr_key: str | None
    ident: str | None = None
    """``cpr:<key>`` or ``nick:<folded nickname>`` of the person, once known."""


def _flag(text: str, line: int, column: str) -> bool:
    text = text.strip()
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise ImportFailed(line, column, f"skal være 0 eller 1, ikke {text!r}")


def _started(text: str, line: int, tz_name: str) -> datetime:
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise ImportFailed(
            line, "started_at", f"skriv lokal tid som ÅÅÅÅ-MM-DD TT:MM, ikke {text!r}"
        ) from None
    return moment.replace(tzinfo=zone(tz_name))


def _conversation(text: str, line: int) -> str:
    text = text.strip()
    if text not in CONVERSATION:
        raise ImportFailed(line, "crisis_conversation", f"skal være 0, 1 eller tom, ikke {text!r}")
    return CONVERSATION[text]


def _form(raw: dict[str, str], line: int, rt: Runtime) -> ContactInput:
    def get(name: str) -> str:
        return (raw.get(name) or "").strip()

    cpr, nickname = get("cpr"), get("pseudonym")
    identity = "cpr" if cpr else "pseudonym" if nickname else "anonym"
    form = ContactInput(
        started_at=_started(get("started_at"), line, rt.config.site.timezone),
        contact_type=get("contact_type") or "krise",
        channel=get("channel"),
        caller=get("caller") or "borger",
        partner_type=get("partner_type"),
        identity=identity,
        cpr_text=cpr,
        nickname=nickname,
        birth_year=get("birth_year"),
        gender=get("gender") or "ikke_registreret",
        age_band=get("age_band") or "ukendt",
        home_municipality=get("municipality") or UNKNOWN_MUNICIPALITY,
        housing=get("housing") or "ukendt",
        crisis_level=get("crisis_level"),
        stabilisation=get("stabilisation"),
        turned_away=get("turned_away"),
        referred_to=get("referred_to"),
        anonymous_repeat=get("anonymous_repeat"),
        goal_kind=get("goal_kind"),
        goal_attainment=get("goal_attainment"),
        crisis_conversation=_conversation(get("crisis_conversation"), line),
        duration_min=get("duration_min"),
        note=raw.get("note") or "",
    )
    for name in MULTI:
        setattr(form, name, [c.strip() for c in get(name).split("|") if c.strip()])
    for name in FLAGS:
        setattr(form, name, _flag(get(name), line, name))
    for name in PER_REFERRAL:
        setattr(form, name, _per_referral(get(name), form.referrals, line, name))
    return form


def _per_referral(text: str, targets: list[str], line: int, column: str) -> dict[str, str]:
    """A per-referral column: one code for every referral, or one per referral joined with
    ``|`` in the order of ``referrals`` (an empty one: not recorded); target → code."""
    codes = [code.strip() for code in text.split("|")]
    if not text:
        return {}
    if len(codes) == 1:
        return {target: codes[0] for target in targets} if targets else {"": codes[0]}
    if len(codes) != len(targets):
        raise ImportFailed(
            line,
            column,
            f"{count(len(codes), 'værdi')} til {count(len(targets), 'henvisning')}: "
            "skriv én værdi for dem alle eller én pr. henvisning",
        )
    return {target: code for target, code in zip(targets, codes, strict=True) if code}


def _rows(rt: Runtime, text: str) -> Iterator[_Row]:
    reader, names = open_reader(text)
    lists = codes_by_list()
    now = rt.now()
    seen: dict[str, int] = {}
    for line, raw in records(reader, names):
        if None in raw:
            raise ImportFailed(line, "", "flere felter end kolonner i overskriften")
        text_ = row_text(raw)
        seen[text_] = seen.get(text_, 0) + 1
        digest = row_digest(rt.keys.pseudonym, text_, seen[text_])
        try:
            prepared = prepare(rt, _form(raw, line, rt), lists=lists, now=now)
        except FormErrors as exc:
            err = exc.errors[0]
            column = FIELD_COLUMN.get(err.field or "", err.field or "")
            reason = str(err)
            if reason in CODE_MESSAGES:
                reason = f"ukendt kode {(raw.get(column) or '').strip()!r}; se 'akut codes'"
            raise ImportFailed(line, column, reason) from None
        cpr = prepared.cpr
        key = pseudonym(cpr.digits, rt.keys.pseudonym) if cpr else None
        identity = prepared.answers.identity
        status = "oplyst" if key else "anonym" if identity == "anonym" else "ikke_relevant"
        yield _Row(line, digest, prepared, status, key)


def _persons(rt: Runtime, rows: list[_Row], today: date) -> tuple[dict[str, int], int]:
    """Map each CPR key / folded nickname to a person id, creating the missing; (map, new)."""
    found: dict[str, int] = {}
    keys = sorted({r.cpr_key for r in rows if r.cpr_key})
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = Person.select(Person.cpr_key, Person.id, Person.merged_into).where(
            Person.cpr_key.in_(chunk)
        )
        for cpr_key, pid, merged in cast(Iterable[tuple[str, int, int | None]], query.tuples()):
            found["cpr:" + cpr_key] = int(merged or pid)
    by_name: dict[str, list[int]] = {}
    query = Person.select(Person.nickname, Person.id).where(
        Person.nickname.is_null(False), Person.merged_into.is_null()
    )
    for nickname, pid in cast(Iterable[tuple[str, int]], query.tuples()):
        by_name.setdefault("nick:" + str(nickname).casefold(), []).append(int(pid))
    for name, ids in by_name.items():
        if len(ids) == 1:
            found[name] = ids[0]
    new: dict[str, dict[str, Any]] = {}
    created_at = rt.now()
    keep = timedelta(days=rt.config.retention.plain_cpr_days)
    for row in rows:
        prepared = row.prepared
        if row.cpr_key and prepared.cpr is not None:
            ident = "cpr:" + row.cpr_key
            expires = prepared.moment.astimezone(UTC).date() + keep
            plain = prepared.cpr.digits if expires > today else None
            person: dict[str, object] = {"cpr_key": row.cpr_key, "cpr_plain": plain}
            person["cpr_plain_expires"] = expires if plain else None
        elif prepared.nickname and prepared.answers.identity == "pseudonym":
            ident = "nick:" + prepared.nickname.casefold()
            person = {"nickname": prepared.nickname}
        else:
            continue
        row.ident = ident
        if ident not in found and ident not in new:
            new[ident] = {
                **person,
                "birth_year": prepared.birth_year,
                "gender": prepared.gender,
                "created_at": created_at,
                "last_seen_at": created_at,
            }
    ids = insert_returning_ids(Person, list(new.values()))
    found.update(zip(new.keys(), ids, strict=True))
    return found, len(new)


def import_contacts(rt: Runtime, data: bytes, *, dry_run: bool, os_user: str) -> ImportResult:
    """Validate every row, then (unless ``dry_run``) write them all in one transaction."""
    text = decode(data)
    with connection():
        rows = list(_rows(rt, text))
        rows.sort(key=lambda r: r.prepared.moment)
        tz = rt.config.site.timezone
        span = (rows[0].prepared.moment.date(), rows[-1].prepared.moment.date()) if rows else None
        action = "contacts.import_dry_run" if dry_run else "contacts.import"
        today = local(rt.now(), tz).date()
        with write_transaction():
            new_persons = 0
            digests = [(row.line, row.digest) for row in rows]
            duplicates = already_imported(digests, forget_stale=not dry_run)
            if duplicates and not dry_run:
                refuse(digests, duplicates)
            if not dry_run:
                owner = _import_user(rt)
                persons, new_persons = _persons(rt, rows, today)
                ids = contact_columns.insert_many(
                    [
                        (row.prepared, persons[row.ident] if row.ident else None, row.cpr_status)
                        for row in rows
                    ],
                    created_by=owner,
                    created_at=rt.now(),
                )
                at = rt.now()
                stored = [
                    {"digest": row.digest, "contact": cid, "imported_at": at}
                    for cid, row in zip(ids, rows, strict=True)
                ]
                insert_plain(ImportedRow, stored)
            audit.record_command(rt, action, os_user, "import", str(len(rows)))
    return ImportResult(
        len(rows),
        new_persons,
        span[0] if span else None,
        span[1] if span else None,
        dry_run,
        len(duplicates),
    )


def _import_user(rt: Runtime) -> int:
    """The disabled system account that owns imported contacts (created once)."""
    user = User.get_or_none(User.username == IMPORT_USER)
    if user is None:
        user = User.create(
            username=IMPORT_USER,
            display_name="Import af historiske data",
            role="medarbejder",
            password_hash="!",
            active=False,
            created_at=rt.now(),
        )
    return int(user.id)
