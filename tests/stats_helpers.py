"""Small helpers that write statistics test data straight through the models.

They stand in for the bed services (written in parallel) and make many
contacts quickly; the import tests cover the real write path.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from akut_tui.core.clock import shift_of, zone
from akut_tui.core.config import ShiftConfig
from akut_tui.services.statistics.dto import StatsReport
from db.database import write_transaction
from db.models import Bed, BedRequest, Contact, ContactValue, Person, Stay, StayNight, User

TZ = "Europe/Copenhagen"


def staff() -> int:
    """Return the id of a user to own test rows (created once)."""
    user = User.get_or_none(User.username == "statistik")
    if user is None:
        user = User.create(
            username="statistik",
            role="leder",
            password_hash="x",
            created_at=datetime(2015, 1, 1),
        )
    return int(user.id)


def add_contact(when: datetime, values: dict[str, list[str]] | None = None, **fields: Any) -> int:
    """Insert one contact starting at local ``when`` (naive = site local time).

    Runs in the caller's transaction if there is one (wrap many calls in one).
    """
    moment = when.replace(tzinfo=zone(TZ)) if when.tzinfo is None else when
    shift, shift_date = shift_of(moment, ShiftConfig(), TZ)
    row: dict[str, Any] = {
        "started_at": moment,
        "shift": shift,
        "shift_date": shift_date,
        "channel": "telefon",
        "created_by": staff(),
        "created_at": moment,
    }
    row.update(fields)
    if row.get("person") is not None:
        row.setdefault("anonymous", False)
        row.setdefault("cpr_status", "ikke_relevant")
    with write_transaction():
        contact = Contact.create(**row)
        for list_name, codes in (values or {}).items():
            for code in codes:
                ContactValue.create(contact=contact.id, list_name=list_name, code=code)
    return int(contact.id)


def add_person(nickname: str) -> int:
    """Insert a pseudonymous person."""
    return int(Person.create(nickname=nickname, created_at=datetime(2015, 1, 1)).id)


def add_stay(person: int, first_night: date, nights: int, contact: int | None = None) -> int:
    """Insert a checked-in stay with ``nights`` consecutive nights in the first bed."""
    bed = Bed.select().order_by(Bed.sort_order).first()
    checked_in = datetime(first_night.year, first_night.month, first_night.day, 20, tzinfo=UTC)
    with write_transaction():
        stay = Stay.create(
            person=person,
            bed=bed,
            contact=contact,
            checked_in_at=checked_in,
            created_by=staff(),
        )
        for number in range(1, nights + 1):
            StayNight.create(
                stay=stay,
                bed=bed,
                night_date=first_night + timedelta(days=number - 1),
                night_number=number,
            )
    return int(stay.id)


def add_bed_request(when: datetime, reason: str = "ingen_ledig") -> None:
    """Log an unmet bed request at UTC ``when``."""
    BedRequest.create(requested_at=when, reason=reason, created_by=staff())


def row_counts(report: StatsReport, name: str) -> dict[str, Any]:
    """Table ``name`` of ``report`` as code → count."""
    table = report.table(name)
    code = table.columns.index("code")
    return {row[code]: row[code + 2] for row in table.rows}
