"""The checks of the data-quality screen (issue 18 §5), each a count and its rows.

Every check returns ``(count, rows)`` from one query, so the count on the
screen and the rows behind it never disagree. The two contact checks count
what the export counts: crisis contacts of the period whose level the
``crisis_level`` table shows as ``ikke_vurderet``, and those the
``municipality`` table shows as ``ukendt``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from akut_tui.core.clock import format_date, format_datetime
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import codes_by_list, label_for
from akut_tui.services.contacts.form import EXCLUSIVE_ACTIONS, NON_DATA_TYPES
from akut_tui.services.contacts.persons import person_label
from akut_tui.services.night.bed_nights import night_of
from akut_tui.services.night.beds import guest_label, live_nights
from akut_tui.services.night.handover_derived import shift_window
from akut_tui.services.night.handover_rules import GRACE
from akut_tui.services.oversight.dto import QualityRow
from db.models import (
    Bed,
    Contact,
    ContactDraft,
    ContactValue,
    FollowUp,
    HandoverAck,
    HandoverNote,
    ImportedRow,
    Person,
    Stay,
    StayNight,
    User,
)
from db.queries import fold
from db.utctime import aware_utc, stored_utc
from db.value_lists import codes as list_codes

LEVELS = ("alvorlig", "middel", "let", "ikke_krise")
"""The crisis levels the export counts by name (everything else is ``ikke_vurderet``)."""
CRISIS = "krise"
UNKNOWN_MUNICIPALITY = "ukendt"
DRAFT_AGE = timedelta(hours=24)
ROW_LIMIT = 500
"""At most this many rows are listed behind a check (the count is always whole)."""

Result = tuple[int, list[QualityRow]]


def tuples(query: Any) -> list[tuple[Any, ...]]:
    """A Peewee query's rows as plain tuples (typed for mypy)."""
    return [tuple(row) for row in cast(Iterable[Any], query.tuples())]


@dataclass(frozen=True)
class Context:
    """What the checks need: the runtime and the period's naive UTC bounds."""

    rt: Runtime
    lo: datetime
    hi: datetime
    rows: bool
    """True: build the rows too (the overview needs only the counts)."""

    @property
    def tz(self) -> str:
        """The site's time zone."""
        return self.rt.config.site.timezone

    def when(self, stored: Any) -> str:
        """A stored naive UTC time as a local dd-mm-åååå HH:MM."""
        moment = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
        return format_datetime(aware_utc(moment), self.tz)


def _crisis_in_period(ctx: Context) -> Any:
    return (
        (Contact.contact_type == CRISIS)
        & (Contact.started_at >= ctx.lo)
        & (Contact.started_at < ctx.hi)
    )


def _contact_rows(ctx: Context, query: Any) -> Result:
    count = int(query.count())
    if not ctx.rows:
        return count, []
    rows = []
    for contact in query.order_by(Contact.started_at, Contact.id).limit(ROW_LIMIT):
        rows.append(
            QualityRow(
                key=str(contact.id),
                when=ctx.when(contact.started_at),
                what=f"Nr. {contact.id} · {label_for('channel', contact.channel)}",
                detail=(
                    f"niveau {label_for('crisis_level', contact.crisis_level or '') or '-'}"
                    f" · kommune {label_for('municipality', contact.home_municipality)}"
                ),
            )
        )
    return count, rows


def no_level(ctx: Context) -> Result:
    """Crisis contacts without an assessed crisis level (non-data calls are not crisis)."""
    query = Contact.select().where(
        _crisis_in_period(ctx), Contact.crisis_level.is_null() | Contact.crisis_level.not_in(LEVELS)
    )
    return _contact_rows(ctx, query)


def unknown_municipality(ctx: Context) -> Result:
    """Crisis contacts whose home municipality is ``ukendt`` (or no longer a listed one)."""
    known = [c for c in list_codes("municipality") if c != UNKNOWN_MUNICIPALITY]
    query = Contact.select().where(_crisis_in_period(ctx), Contact.home_municipality.not_in(known))
    return _contact_rows(ctx, query)


def old_drafts(ctx: Context) -> Result:
    """Drafts (registrations and dialogs) started more than 24 hours ago."""
    limit = stored_utc(ctx.rt.now() - DRAFT_AGE)
    query = (
        ContactDraft.select(
            ContactDraft.id, ContactDraft.created_at, ContactDraft.dialog, User.username
        )
        .join(User)
        .where(ContactDraft.created_at < limit)
    )
    count = int(query.count())
    rows = [
        QualityRow(
            str(did), ctx.when(created), "Dialog" if dialog else "Registrering", f"af {name}"
        )
        for did, created, dialog, name in (
            tuples(query.order_by(ContactDraft.created_at).limit(ROW_LIMIT)) if ctx.rows else ()
        )
    ]
    return count, rows


def overdue_followups(ctx: Context) -> Result:
    """Follow-ups not done whose due date has passed (as the follow-up list marks them)."""
    query = FollowUp.select(FollowUp.id, FollowUp.due_date, FollowUp.contact).where(
        FollowUp.done_at.is_null(), FollowUp.due_date < ctx.rt.today()
    )
    count = int(query.count())
    rows = [
        QualityRow(str(fid), format_date(due), "Opfølgning", f"henvendelse nr. {cid}")
        for fid, due, cid in (
            tuples(query.order_by(FollowUp.due_date).limit(ROW_LIMIT)) if ctx.rows else ()
        )
    ]
    return count, rows


def missing_decision(ctx: Context) -> Result:
    """Guests in a bed tonight (or not checked out after their last night) with no decision.

    The same rule as the bed board's "Mangler beslutning": reservations not yet
    arrived and beds out of service do not count.
    """
    tonight = night_of(ctx.rt)
    out = {b.id for b in Bed.select(Bed.id).where(Bed.out_of_service == True)}  # noqa: E712
    found: dict[int, tuple[Any, ...]] = {}
    for row in live_nights(ctx.rt, tonight, tonight):
        found[row[0]] = row
    for row in _overdue_rows(tonight):
        found.setdefault(row[0], row)
    lacking = [
        row for bed, row in found.items() if bed not in out and not row[5] and row[3] is None
    ]
    names = {b.id: b.name for b in Bed.select(Bed.id, Bed.name)}
    rows = [
        QualityRow(
            str(row[4]), format_date(tonight), names.get(row[0], ""), guest_label(row[7], row[8])
        )
        for row in sorted(lacking, key=lambda r: names.get(r[0], ""))
    ]
    return len(lacking), rows if ctx.rows else []


def _overdue_rows(tonight: date) -> Iterable[tuple[Any, ...]]:
    """The last night of each open stay whose nights are all over (the board shows it tonight)."""
    current = StayNight.select(StayNight.stay).where(StayNight.night_date >= tonight)
    query = (
        StayNight.select(
            StayNight.bed,
            StayNight.night_date,
            StayNight.night_number,
            StayNight.decision,
            Stay.id,
            Stay.reserved,
            Stay.reserved_until,
            Person.id,
            Person.nickname,
        )
        .join(Stay)
        .join(Person)
        .where(
            Stay.checked_out_at.is_null(),
            Stay.ended_reason.is_null(),
            Stay.reserved == False,  # noqa: E712 - SQL comparison
            Stay.id.not_in(current),
        )
        .order_by(StayNight.night_date)
    )
    return tuples(query)


def unsigned_handovers(ctx: Context) -> Result:
    """Handovers still kept whose signing window has closed without a current signature."""
    now = ctx.rt.now()
    notes: dict[tuple[date, str], list[HandoverNote]] = defaultdict(list)
    for note in HandoverNote.select().where(HandoverNote.expires_on >= ctx.rt.today()):
        day = (
            note.shift_date
            if isinstance(note.shift_date, date)
            else date.fromisoformat(str(note.shift_date))
        )
        notes[(day, note.shift)].append(note)
    rows = []
    for (day, shift), group in sorted(notes.items(), reverse=True):
        if shift_window(ctx.rt, shift, day)[1] + GRACE > now:
            continue  # still being written or signed
        anchor = next((n for n in group if n.category == "tilstand"), None)
        changed = max(
            max(t for t in (n.created_at, n.changed_at, n.deleted_at) if t is not None)
            for n in group
        )
        signed = anchor is not None and (
            HandoverAck.select()
            .where(HandoverAck.note == anchor.id, HandoverAck.acked_at >= changed)
            .exists()
        )
        if not signed:
            items = sum(1 for n in group if n.deleted_at is None)
            rows.append(
                QualityRow(
                    f"{day.isoformat()}:{shift}", format_date(day), shift, f"{items} punkter"
                )
            )
    return len(rows), rows[:ROW_LIMIT] if ctx.rows else []


def duplicates(ctx: Context) -> Result:
    """Groups of persons that look like one: same nickname and birth year, or a CPR
    person and a nickname person whose contacts are linked to each other."""
    by_name: dict[tuple[str, int], list[Any]] = defaultdict(list)
    query = Person.select().where(
        Person.merged_into.is_null(),
        Person.nickname.is_null(False),
        Person.birth_year.is_null(False),
    )
    for person in query:
        by_name[(fold(person.nickname), int(person.birth_year or 0))].append(person)
    groups: list[tuple[str, list[Any]]] = [
        ("samme kaldenavn og fødselsår", sorted(g, key=lambda p: p.id))
        for g in by_name.values()
        if len(g) > 1
    ]
    groups += [("CPR og kaldenavn, forbundne henvendelser", pair) for pair in _linked_pairs()]
    rows = [
        QualityRow(
            "dup:" + "-".join(str(p.id) for p in group),
            "",
            " / ".join(person_label(p.id, p.nickname, p.cpr_plain, p.cpr_key) for p in group),
            why,
        )
        for why, group in groups
    ]
    return len(rows), rows[:ROW_LIMIT] if ctx.rows else []


def _linked_pairs() -> list[list[Any]]:
    """(CPR person, nickname person) pairs whose contacts are linked to each other."""
    Other = Contact.alias()
    query = (
        Contact.select(Contact.person, Other.person)
        .join(Other, on=(Contact.linked_to == Other.id))
        .where(
            Contact.person.is_null(False),
            Other.person.is_null(False),
            Contact.person != Other.person,
        )
    )
    pairs = {tuple(sorted((int(a), int(b)))) for a, b in tuples(query)}
    if not pairs:
        return []
    ids = {pid for pair in pairs for pid in pair}
    persons = {
        p.id: p for p in Person.select().where(Person.id.in_(ids), Person.merged_into.is_null())
    }
    out = []
    for a, b in sorted(pairs):
        if a not in persons or b not in persons:
            continue
        one, two = persons[a], persons[b]
        if bool(one.cpr_key) != bool(two.cpr_key):
            out.append(sorted((one, two), key=lambda p: (not p.cpr_key, p.id)))
    return out


CODED = (
    ("contact_type", "contact_type"),
    ("channel", "channel"),
    ("caller", "caller"),
    ("home_municipality", "municipality"),
    ("housing", "housing"),
    ("gender", "gender"),
    ("age_band", "age_band"),
)
OPTIONAL = (
    ("crisis_level", "crisis_level"),
    ("stabilisation", "stabilisation"),
    ("turned_away", "turn_away"),
    ("referred_to", "partner_type"),
    ("partner_type", "partner_type"),
)
MULTI = {"symptom": "symptom", "event": "event", "action": "action", "escalation": "escalation"}


def rule_broken(contact: Any, values: dict[str, list[str]], lists: dict[str, list[str]]) -> str:
    """The first of today's rules an imported contact breaks, in Danish, or ""."""
    for column, list_name in CODED:
        if getattr(contact, column) not in lists.get(list_name, []):
            return f"ukendt kode i {column}"
    for column, list_name in OPTIONAL:
        value = getattr(contact, column)
        if value and value not in lists.get(list_name, []):
            return f"ukendt kode i {column}"
    for list_name, picked in values.items():
        if any(code not in lists.get(MULTI.get(list_name, list_name), []) for code in picked):
            return f"ukendt kode i {list_name}"
    actions = values.get("action", [])
    if len(actions) > 1 and EXCLUSIVE_ACTIONS.intersection(actions):
        return "«ingen yderligere tiltag» sammen med andre tiltag"
    if contact.contact_type in NON_DATA_TYPES and contact.crisis_level:
        return "kriseniveau på et opkald uden data"
    return ""


def import_failed(ctx: Context) -> Result:
    """Imported contacts that a rule of today's registration would refuse."""
    lists = codes_by_list()
    imported = Contact.select().join(ImportedRow, on=(ImportedRow.contact == Contact.id))
    rows = []
    for batch in _batches(list(imported.order_by(Contact.started_at, Contact.id)), 500):
        values: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        picks = ContactValue.select(ContactValue.contact, ContactValue.list_name, ContactValue.code)
        for cid, list_name, code in tuples(
            picks.where(ContactValue.contact.in_([c.id for c in batch]))
        ):
            values[int(cid)][str(list_name)].append(str(code))
        for contact in batch:
            why = rule_broken(contact, values.get(contact.id, {}), lists)
            if why:
                rows.append(
                    QualityRow(
                        str(contact.id), ctx.when(contact.started_at), f"Nr. {contact.id}", why
                    )
                )
    return len(rows), rows[:ROW_LIMIT] if ctx.rows else []


def _batches(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


CHECKS: tuple[tuple[str, str, Callable[[Context], Result]], ...] = (
    ("no_level", "Krisehenvendelser uden kriseniveau", no_level),
    ("unknown_municipality", "Krisehenvendelser med kommune «ukendt»", unknown_municipality),
    ("old_drafts", "Kladder ældre end 24 timer", old_drafts),
    ("overdue_followups", "Opfølgninger over fristen", overdue_followups),
    ("missing_decision", "Gæster uden beslutning for i nat", missing_decision),
    ("unsigned_handovers", "Overleveringer uden kvittering", unsigned_handovers),
    ("duplicates", "Mulige dubletter af borgere", duplicates),
    ("import_failed", "Importerede rækker der bryder en senere regel", import_failed),
)
"""(code, Danish label, check) in screen order."""
