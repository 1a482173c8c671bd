"""Aggregate queries behind the statistics (export and screen).

Every function counts in SQL and returns aggregated rows only, never one row
per contact. The queries are plain GROUP BY / COUNT / SUM and run unchanged on
SQLite and PostgreSQL; the one backend difference (cutting a timestamp to the
hour) lives in :func:`_hour_bucket`.

Speed: each "cube" query groups by a few low-cardinality columns that match a
covering index (:data:`db.stats_indexes.STATS_INDEXES`), so SQLite reads the index in order and
never sorts; a period is a range on ``started_at`` (UTC bounds of the local
period). Contact-value counts use an id range when the period's contacts are
one contiguous id run (the usual case: contacts are inserted in time order)
and a join otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

import peewee as pw

from db.database import database, is_sqlite
from db.models import BedRequest, Contact, ContactValue, FollowUp, Stay, StayNight

CRISIS = "krise"


def _in_period(lo: datetime, hi: datetime) -> Any:
    return (Contact.started_at >= lo) & (Contact.started_at < hi)


def _crisis(lo: datetime, hi: datetime) -> Any:
    return (Contact.contact_type == CRISIS) & _in_period(lo, hi)


def _rows(query: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in query.tuples()]


def _crisis_count(lo: datetime, hi: datetime, *columns: Any) -> list[tuple[Any, ...]]:
    """(*columns, count) over the period's crisis contacts, grouped by ``columns``."""
    query = (
        Contact.select(*columns, pw.fn.COUNT(Contact.id)).where(_crisis(lo, hi)).group_by(*columns)
    )
    return _rows(query)


def contact_types(lo: datetime, hi: datetime, known: Sequence[str]) -> list[tuple[Any, ...]]:
    """(contact_type, count) for every contact in the period; unknown types as ``None``.

    Asking for the known types by name lets the database seek the
    (contact_type, started_at) index instead of reading every row of the period.
    """
    query = (
        Contact.select(Contact.contact_type, pw.fn.COUNT(Contact.id))
        .where(Contact.contact_type.in_(list(known)), _in_period(lo, hi))
        .group_by(Contact.contact_type)
    )
    rows = _rows(query)
    total = Contact.select(Contact.id).where(_in_period(lo, hi)).count()
    rest = int(total) - sum(int(r[1]) for r in rows)
    return rows + ([(None, rest)] if rest else [])


def channel_cube(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(caller, channel, partner_type, count) over crisis contacts."""
    return _crisis_count(lo, hi, Contact.caller, Contact.channel, Contact.partner_type)


def stay_channel_moves(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(channel, count) of citizen-initiated crisis contacts that led to a stay.

    An overnight guest counts as an in-person contact in the ministry table. The
    (few) contacts with a stay are looked up by id, so a big contact table costs nothing.
    """
    linked = Stay.select(Stay.contact).where(Stay.contact.is_null(False)).distinct()
    ids = sorted(int(row[0]) for row in cast(Iterable[tuple[int]], linked.tuples()))
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        query = (
            Contact.select(Contact.channel, pw.fn.COUNT(Contact.id))
            .where(
                Contact.id.in_(ids[start : start + 500]),
                _crisis(lo, hi),
                Contact.caller == "borger",
                Contact.channel != "fremmoede",
            )
            .group_by(Contact.channel)
        )
        for channel, n in _rows(query):
            counts[channel] = counts.get(channel, 0) + int(n)
    return list(counts.items())


def level_cube(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(shift, crisis_level, duration_min, count) over crisis contacts (a histogram)."""
    return _crisis_count(lo, hi, Contact.shift, Contact.crisis_level, Contact.duration_min)


def municipality(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(home_municipality, count) over crisis contacts."""
    return _crisis_count(lo, hi, Contact.home_municipality)


def person_cube(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(gender, age_band, under18_notified, cpr_status, count) over crisis contacts."""
    return _crisis_count(
        lo, hi, Contact.gender, Contact.age_band, Contact.under18_notified, Contact.cpr_status
    )


def method_cube(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(stabilisation, turned_away, conversation, plan, goal, followup_wanted, count)."""
    fields = (
        Contact.stabilisation,
        Contact.turned_away,
        Contact.crisis_conversation,
        Contact.crisis_plan,
        Contact.progression_goal,
        Contact.followup_wanted,
    )
    query = (
        Contact.select(*fields, pw.fn.COUNT(Contact.id)).where(_crisis(lo, hi)).group_by(*fields)
    )
    return _rows(query)


def persons(lo: datetime, hi: datetime) -> tuple[int, int, int, int]:
    """(distinct persons, repeat persons, contacts from repeat persons, top-5 contacts)."""
    per_person = (
        Contact.select(Contact.person, pw.fn.COUNT(Contact.id).alias("n"))
        .where(_crisis(lo, hi), Contact.person.is_null(False))
        .group_by(Contact.person)
    )
    sub = per_person.alias("pp")
    many = pw.Case(None, [(sub.c.n > 1, 1)], 0)
    many_n = pw.Case(None, [(sub.c.n > 1, sub.c.n)], 0)
    row = (
        pw.Select([sub], [pw.fn.COUNT(pw.SQL("*")), pw.fn.SUM(many), pw.fn.SUM(many_n)])
        .bind(database)
        .tuples()
        .first()
    )
    top = per_person.order_by(pw.SQL("n").desc()).limit(5).alias("top")
    top5 = pw.Select([top], [pw.fn.SUM(top.c.n)]).bind(database).scalar()
    distinct, repeat, repeat_n = row if row else (0, 0, 0)
    return int(distinct or 0), int(repeat or 0), int(repeat_n or 0), int(top5 or 0)


def _hour_bucket() -> Any:
    """The UTC hour of ``started_at`` as ``YYYY-MM-DD HH`` text (both backends)."""
    if is_sqlite():
        return pw.fn.substr(Contact.started_at, 1, 13)
    return pw.fn.to_char(Contact.started_at, "YYYY-MM-DD HH24")


def hour_buckets(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(UTC hour ``YYYY-MM-DD HH``, count) of crisis contacts; local time is derived from these.

    The bounds of a local period are whole UTC hours, so the filter can be put on
    the bucket itself; on SQLite an index on that expression then serves the
    filter and the grouping without sorting.
    """
    bucket = _hour_bucket()
    if lo.minute or lo.second or hi.minute or hi.second:
        where = _crisis(lo, hi)  # a zone with a half-hour offset: filter on the column
    else:
        first, last = lo.strftime("%Y-%m-%d %H"), hi.strftime("%Y-%m-%d %H")
        where = (Contact.contact_type == CRISIS) & (bucket >= first) & (bucket < last)
    query = Contact.select(bucket, pw.fn.COUNT(Contact.id)).where(where).group_by(bucket)
    # Up to 24 rows a day: fetch them plainly, without building a Peewee row for each.
    return [tuple(row) for row in database.execute(query).fetchall()]


def _no_strays(lo: datetime, hi: datetime, first: int, last: int) -> bool:
    """True if no contact outside the period has an id in [first, last].

    ("+ 0" keeps the planner on the started_at index, which holds the ids, so
    only index entries outside the period are read, and the first stray stops it.)
    """
    inside = (Contact.id + 0).between(first, last)
    return not any(
        Contact.select(Contact.id).where(outside, inside).exists()
        for outside in (Contact.started_at < lo, Contact.started_at >= hi)
    )


def _id_run(lo: datetime, hi: datetime) -> tuple[int, int] | None:
    """The id range holding exactly the period's contacts, or None if they are not contiguous."""
    # Two queries: SQLite answers a lone MIN or MAX of the key from the b-tree's ends.
    low = Contact.select(pw.fn.MIN(Contact.id)).scalar()
    high = Contact.select(pw.fn.MAX(Contact.id)).scalar()
    if low is None or high is None:
        return None
    if _no_strays(lo, hi, int(low), int(high)):
        return int(low), int(high)  # the period holds every contact
    row = (
        Contact.select(pw.fn.MIN(Contact.id), pw.fn.MAX(Contact.id))
        .where(_in_period(lo, hi))
        .tuples()
        .first()
    )
    if not row or row[0] is None:
        return None
    first, last = int(row[0]), int(row[1])
    return (first, last) if _no_strays(lo, hi, first, last) else None


ValueScope = tuple[tuple[int, int] | None, Any]
"""(contiguous id run or None, non-crisis filter to subtract or None): see :func:`value_scope`."""


def value_scope(lo: datetime, hi: datetime) -> ValueScope:
    """How to pick the period's contact values; compute once per period."""
    run = _id_run(lo, hi)
    if run is not None:
        return run, (Contact.contact_type < CRISIS) | (Contact.contact_type > CRISIS)
    return None, None


def _value_where(lo: datetime, hi: datetime, scope: ValueScope, *, seek: bool) -> Any:
    run = scope[0]
    if run is None:
        return ContactValue.contact.in_(Contact.select(Contact.id).where(_crisis(lo, hi)))
    if seek:
        return ContactValue.contact.between(*run)
    # "+ 0" keeps the planner off the (contact_id, ...) index, whose range would
    # need sorting; the (list_name, code, contact_id) index streams the groups.
    return (ContactValue.contact + 0).between(*run)


def value_counts(lo: datetime, hi: datetime, scope: ValueScope) -> list[tuple[Any, ...]]:
    """(list_name, code, contacts) over crisis contacts' multi-value picks."""
    where, other = _value_where(lo, hi, scope, seek=False), scope[1]
    query = (
        ContactValue.select(ContactValue.list_name, ContactValue.code, pw.fn.COUNT(ContactValue.id))
        .where(where)
        .group_by(ContactValue.list_name, ContactValue.code)
    )
    counts = {(r[0], r[1]): int(r[2]) for r in _rows(query)}
    if other is not None:
        fix = (
            ContactValue.select(
                ContactValue.list_name, ContactValue.code, pw.fn.COUNT(ContactValue.id)
            )
            .join(Contact)
            .where(other, _in_period(lo, hi))
            .group_by(ContactValue.list_name, ContactValue.code)
        )
        for list_name, code, n in _rows(fix):
            counts[(list_name, code)] -= int(n)
    return [(k[0], k[1], v) for k, v in counts.items()]


def value_contacts(
    lo: datetime, hi: datetime, scope: ValueScope, lists: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(list_name, contacts with at least one pick) over crisis contacts.

    One DISTINCT per list over the (list_name, contact_id) index, read in order.
    """
    where, other = _value_where(lo, hi, scope, seek=True), scope[1]
    out = []
    for list_name in lists:
        ids = (
            ContactValue.select(ContactValue.contact)
            .where(ContactValue.list_name == list_name, where)
            .distinct()
        )
        n = ids.count()
        if other is not None:
            n -= (
                ContactValue.select(ContactValue.contact)
                .join(Contact)
                .where(ContactValue.list_name == list_name, other, _in_period(lo, hi))
                .distinct()
                .count()
            )
        out.append((list_name, int(n)))
    return out


def admissions(lo: datetime, hi: datetime) -> int:
    """Crisis contacts that led to a psychiatric admission (action or escalation)."""
    picked = ContactValue.select(ContactValue.contact).where(
        ContactValue.code == "indlaeggelse",
        ContactValue.list_name.in_(["action", "escalation"]),
    )
    return int(Contact.select().where(_crisis(lo, hi), Contact.id.in_(picked)).count())


def followups(lo: datetime, hi: datetime) -> list[tuple[Any, ...]]:
    """(done, result, count) of follow-ups of crisis contacts in the period."""
    done = pw.Case(None, [(FollowUp.done_at.is_null(False), 1)], 0)
    query = (
        FollowUp.select(done, FollowUp.result, pw.fn.COUNT(FollowUp.id))
        .join(Contact)
        .where(_crisis(lo, hi))
        .group_by(done, FollowUp.result)
    )
    return _rows(query)


def overnight(lo: datetime, hi: datetime, first: date, last: date) -> dict[str, int]:
    """Bed figures: nights by local night date, stays and guests by check-in, requests by reason.

    Reservations not (yet) checked in are not stays and their nights are not bed-nights.
    """
    nights = (
        StayNight.select()
        .join(Stay)
        .where(StayNight.night_date.between(first, last), Stay.reserved == False)  # noqa: E712
        .count()
    )
    stay_row = (
        Stay.select(pw.fn.COUNT(Stay.id), pw.fn.COUNT(pw.fn.DISTINCT(Stay.person)))
        .where(Stay.checked_in_at >= lo, Stay.checked_in_at < hi, Stay.reserved == False)  # noqa: E712
        .tuples()
        .first()
    )
    requests = _rows(
        BedRequest.select(BedRequest.reason, pw.fn.COUNT(BedRequest.id))
        .where(BedRequest.requested_at >= lo, BedRequest.requested_at < hi)
        .group_by(BedRequest.reason)
    )
    result = {"nights": int(nights), "stays": 0, "guests": 0}
    if stay_row:
        result["stays"], result["guests"] = int(stay_row[0] or 0), int(stay_row[1] or 0)
    for reason, n in requests:
        result[f"request:{reason}"] = int(n)
    return result


def started_range() -> tuple[datetime | None, datetime | None]:
    """(first, last) ``started_at`` of any contact (for the period ``all``)."""
    row = Contact.select(pw.fn.MIN(Contact.started_at), pw.fn.MAX(Contact.started_at)).tuples()
    first, last = row.first() or (None, None)
    return _as_datetime(first), _as_datetime(last)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def count_in(lo: datetime, hi: datetime, types: Sequence[str]) -> int:
    """Contacts of the given types in the period."""
    return int(
        Contact.select().where(_in_period(lo, hi), Contact.contact_type.in_(list(types))).count()
    )
