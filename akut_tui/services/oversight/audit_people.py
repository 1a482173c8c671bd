"""Who an audit filter names: a person by CPR or nickname, a day range as seq bounds.

A CPR number is turned into its keyed pseudonym and looked up; it is never
stored or logged in clear. A person that was merged into another counts with
it, so the report covers the references of every merged record.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from akut_tui.core.clock import zone
from akut_tui.core.cpr import CprError, parse_cpr, pseudonym
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight.audit_text import person_text
from db.models import AuditEvent, Person
from db.queries import fold, folded
from db.utctime import stored_utc

_CPR_SHAPE = frozenset("0123456789- ")


def _merged_family(root: int) -> list[int]:
    """``root`` and every person merged into it (directly or through others)."""
    family, todo = [root], [root]
    while todo:
        children = [int(p.id) for p in Person.select(Person.id).where(Person.merged_into.in_(todo))]
        children = [c for c in children if c not in family]
        family.extend(children)
        todo = children
    return family


def _root(person: Person) -> Person:
    seen: set[int] = set()
    while person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        person = Person.get_by_id(person.merged_into_id)
    return person


def resolve_person(rt: Runtime, text: str) -> tuple[list[int], str]:
    """The person ids ``text`` (CPR or nickname) names, and how the person is shown.

    Needs a connection. Raises :class:`ValidationError` for a malformed CPR and
    :class:`NotFound` when no person, or more than one, matches.
    """
    given = text.strip()
    if not given:
        raise ValidationError("Skriv et CPR-nummer eller et kaldenavn.", "person")
    if set(given) <= _CPR_SHAPE and any(c.isdigit() for c in given):
        try:
            cpr = parse_cpr(given, rt.today())
        except CprError as exc:
            raise ValidationError(f"{exc}.", "person") from None
        found = Person.get_or_none(Person.cpr_key == pseudonym(cpr.digits, rt.keys.pseudonym))
        if found is None:
            raise NotFound("Der er ingen borger med det CPR-nummer.")
        people = [_root(found)]
    else:
        people = list(
            Person.select().where(folded(Person.nickname) == fold(given),
                                  Person.merged_into.is_null())
        )  # fmt: skip
        if not people:
            raise NotFound("Der er ingen borger med det kaldenavn.")
        if len(people) > 1:
            raise NotFound(
                "Flere borgere har det kaldenavn; søg på CPR-nummeret eller flet dem under F7."
            )
    person = people[0]
    label = person_text(person.id, person.nickname, person.cpr_plain, bool(person.cpr_key))
    return _merged_family(int(person.id)), label


def day_start(rt: Runtime, day: date) -> datetime:
    """Local midnight at the start of ``day``, as the naive UTC the database stores."""
    return stored_utc(datetime.combine(day, time(), tzinfo=zone(rt.config.site.timezone)))


def seq_bounds(rt: Runtime, start: date | None, end: date | None) -> tuple[int | None, int | None]:
    """The (lowest, highest) seq inside local days ``start``..``end`` (``None``: open).

    Times never go backwards along the chain (:func:`audit.record`), so a day
    range is a seq range, found by two reads of the index on ``at``. The site
    identity (seq 0) stands outside the chain and its time, and is left out.
    """
    low = high = None
    if start is not None:
        first = (
            AuditEvent.select(AuditEvent.at)
            .where(AuditEvent.at >= day_start(rt, start), AuditEvent.seq > 0)
            .order_by(AuditEvent.at)
            .first()
        )
        low = _min_seq_at(first.at) if first is not None else 2**62
    if end is not None:
        after = (
            AuditEvent.select(AuditEvent.at)
            .where(AuditEvent.at >= day_start(rt, end + timedelta(days=1)), AuditEvent.seq > 0)
            .order_by(AuditEvent.at)
            .first()
        )
        high = _min_seq_at(after.at) - 1 if after is not None else None
    return low, high


def _min_seq_at(at: datetime) -> int:
    row = (
        AuditEvent.select(AuditEvent.seq)
        .where(AuditEvent.at == at, AuditEvent.seq > 0)
        .order_by(AuditEvent.seq)
        .first()
    )
    return int(row.seq) if row is not None else 0
