"""A citizen's access report (GDPR art. 15): who read or changed one person's data.

For one person and a period: every audit event that refers to the person (or a
record merged into them), oldest first, with who, when, what and from which
screen or command; and the contacts and stays recorded about them, as codes
only (never a note). Leader only (``audit.view``), checked here; producing the
report is itself audited. The person is named by CPR (through the keyed
pseudonym) or nickname; the report shows the CPR only masked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from akut_tui.core.clock import format_datetime
from akut_tui.core.errors import ValidationError
from akut_tui.core.plural import count
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.oversight.audit_dto import AccessReport, ContactFact, StayFact
from akut_tui.services.oversight.audit_log import read_events, render
from akut_tui.services.oversight.audit_people import day_start, resolve_person, seq_bounds
from akut_tui.services.oversight.audit_text import clean
from akut_tui.services.statistics.periods import parse_date
from db.models import AuditEvent, Bed, Contact, Stay, StayNight
from db.utctime import aware_utc

REPORT_ACTION = "audit.person_report"
EARLIEST = date(2000, 1, 1)
"""The start when none is given: before any Akut data."""
_BATCH = 5000


def _events(person_ids: list[int], low: int | None, high: int | None) -> list[tuple[object, ...]]:
    """Every event about the persons in the seq range, newest first, read by key in batches."""
    common = AuditEvent.seq >= (low if low is not None else 0)
    if high is not None:
        common &= AuditEvent.seq <= high
    branches = [AuditEvent.person_ref == str(pid) for pid in person_ids]
    rows: list[tuple[object, ...]] = []
    before = None
    while True:
        page = read_events(branches, common, before, _BATCH)
        rows.extend(page)
        if len(page) < _BATCH:
            return rows
        before = int(str(page[-1][0]))


def _contacts(rt: Runtime, person_ids: list[int], start: date, end: date) -> list[ContactFact]:
    query = (
        Contact.select(Contact.started_at, Contact.channel, Contact.contact_type,
                       Contact.crisis_level, Contact.home_municipality)
        .where(Contact.person.in_(person_ids),
               Contact.started_at >= day_start(rt, start),
               Contact.started_at < day_start(rt, end + timedelta(days=1)))
        .order_by(Contact.started_at)
    )  # fmt: skip
    return [
        ContactFact(
            started_at=aware_utc(c.started_at),
            channel=clean(c.channel or "", 20),
            contact_type=clean(c.contact_type or "", 20),
            crisis_level=clean(c.crisis_level or "", 20),
            municipality=clean(c.home_municipality or "", 10),
        )
        for c in query
    ]


def _stays(rt: Runtime, person_ids: list[int], start: date, end: date) -> list[StayFact]:
    query = (
        Stay.select(Stay.id, Stay.checked_in_at, Stay.checked_out_at, Stay.ended_reason,
                    Bed.name)
        .join(Bed)
        .where(Stay.person.in_(person_ids),
               Stay.checked_in_at < day_start(rt, end + timedelta(days=1)),
               (Stay.checked_out_at.is_null()) | (Stay.checked_out_at >= day_start(rt, start)))
        .order_by(Stay.checked_in_at)
    )  # fmt: skip
    facts = []
    for stay in query:
        nights = StayNight.select().where(StayNight.stay == stay.id).count()
        facts.append(
            StayFact(
                checked_in_at=aware_utc(stay.checked_in_at),
                checked_out_at=aware_utc(stay.checked_out_at) if stay.checked_out_at else None,
                bed=clean(stay.bed.name, 40),
                nights=nights,
                ended=clean(stay.ended_reason or "", 20),
            )
        )
    return facts


def report_period(start: str, end: str, today: date) -> tuple[date, date]:
    """The days from the screen's fields (blank: from the beginning, to today).

    A bad date raises :class:`ValidationError` naming the field (``start``/``end``).
    """
    days = []
    for name, text, default in (("start", start, EARLIEST), ("end", end, today)):
        try:
            days.append(parse_date(text) if text.strip() else default)
        except ValidationError as exc:
            raise ValidationError(str(exc), name) from None
    if days[1] < days[0]:
        raise ValidationError("Slutdatoen ligger før startdatoen.", "end")
    return days[0], days[1]


def access_report(
    rt: Runtime, session: SignedInUser | None, person: str, start: date, end: date
) -> AccessReport:
    """The report on ``person`` (CPR or nickname) for local days ``start``..``end``.

    ``session=None`` is the operator on the server (``akut audit person``), audited
    under the operating-system user.
    """
    if end < start:
        raise ValidationError("Slutdatoen ligger før startdatoen.", "end")
    with connection():
        require(session, "audit.view")
        person_ids, label = resolve_person(rt, person)
        low, high = seq_bounds(rt, start, end)
        rows = _events(person_ids, low, high)
        lines = tuple(reversed(render(rows)))
        contacts = tuple(_contacts(rt, person_ids, start, end))
        stays = tuple(_stays(rt, person_ids, start, end))
    with write_transaction():
        require(session, "audit.view")
        audit.record(
            rt, REPORT_ACTION, actor=session, object_type="person", object_id=person_ids[0],
            person_ref=person_ids[0],
        )  # fmt: skip
    return AccessReport(label, start, end, lines, contacts, stays)


def _when(moment: datetime | None, tz: str) -> str:
    return format_datetime(moment, tz) if moment is not None else ""


def report_rows(report: AccessReport, tz: str) -> list[tuple[str, str, str, str, str]]:
    """(section, time, who, what, where) for every line of the report, in order."""
    out = [("adgang", _when(line.at, tz), line.who, line.text, line.place) for line in report.lines]
    for c in report.contacts:
        what = (
            f"kanal={c.channel} type={c.contact_type} krise={c.crisis_level or '-'} "
            f"kommune={c.municipality}"
        )
        out.append(("henvendelse", _when(c.started_at, tz), "", what, ""))
    for s in report.stays:
        what = f"seng={s.bed} ud={_when(s.checked_out_at, tz) or '-'} {count(s.nights, 'nat')}"
        out.append(("ophold", _when(s.checked_in_at, tz), "", f"{what} {s.ended}".strip(), ""))
    return out
