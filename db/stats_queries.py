"""Statistics query machinery that depends on the backend or on the storage layout.

The tables themselves (their queries and shaping) live one per module in
:mod:`akut_tui.services.statistics.tables`; this module holds what they share and
what must stay in the database layer: cutting a timestamp to the hour (the one
backend difference, :func:`_hour_bucket`), and counting contact values with an
id range when the period's contacts are one contiguous id run (the usual case:
contacts are inserted in time order) and with a join otherwise. Every function
returns aggregated rows only, never one row per contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import peewee as pw

from db.database import database, is_sqlite
from db.models import Contact, ContactValue

CRISIS = "krise"


def _in_period(lo: datetime, hi: datetime) -> Any:
    return (Contact.started_at >= lo) & (Contact.started_at < hi)


def _crisis(lo: datetime, hi: datetime) -> Any:
    return (Contact.contact_type == CRISIS) & _in_period(lo, hi)


def _rows(query: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in query.tuples()]


def _hour_bucket() -> Any:
    """The UTC hour of ``started_at`` as ``YYYY-MM-DD HH`` text (both backends)."""
    if is_sqlite():
        # Literal arguments: a bound parameter would not match the expression index.
        return pw.fn.substr(Contact.started_at, pw.SQL("1"), pw.SQL("13"))
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


def _month_bucket() -> Any:
    """The UTC month of ``started_at`` as ``YYYY-MM`` text (both backends)."""
    if is_sqlite():
        # Literal arguments: a bound parameter would not match the expression indexes.
        return pw.fn.substr(Contact.started_at, pw.SQL("1"), pw.SQL("7"))
    return pw.fn.to_char(Contact.started_at, "YYYY-MM")


def crisis_by_utc_month(
    first: datetime,
    end: datetime,
    slices: Sequence[tuple[datetime, datetime]],
    columns: Sequence[Any],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Crisis contacts grouped by ``columns`` per UTC month of [first, end) (whole UTC months),
    and per UTC hour inside ``slices`` (the hours between a local and a UTC month start).

    Returns ((``YYYY-MM``, *columns, count) rows, (``YYYY-MM-DD HH``, *columns, count) rows).
    On SQLite the month rows stream from an index led by (contact_type, UTC month, columns)
    (:data:`db.stats_indexes.STATS_INDEXES`) without sorting.
    """
    month = _month_bucket()
    if is_sqlite():
        start, stop = first.strftime("%Y-%m"), end.strftime("%Y-%m")
        where = (Contact.contact_type == CRISIS) & (month >= start) & (month < stop)
    else:
        where = _crisis(first, end)
    main = Contact.select(month, *columns, pw.fn.COUNT(Contact.id)).where(where)
    out = database.execute(main.group_by(month, *columns)).fetchall()
    fixes: list[tuple[Any, ...]] = []
    if slices:
        hour = _hour_bucket()
        # One part per slice (UNION ALL): each seeks its own range of the covering index.
        parts = [
            Contact.select(hour, *columns, pw.fn.COUNT(Contact.id))
            .where(_crisis(lo, hi))
            .group_by(hour, *columns)
            for lo, hi in slices
        ]
        fixes = _union_rows(parts)
    return [tuple(r) for r in out], [tuple(r) for r in fixes]


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


SMALL_PERIOD = 50_000
"""Periods with fewer contacts pick their values by joining (the id-run check reads
index entries outside the period, which costs more than the join for a month)."""


def value_scope(lo: datetime, hi: datetime) -> ValueScope:
    """How to pick the period's contact values; compute once per period."""
    if Contact.select(Contact.id).where(_in_period(lo, hi)).count() < SMALL_PERIOD:
        return None, None
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


def started_range() -> tuple[datetime | None, datetime | None]:
    """(first, last) ``started_at`` of any contact (for the period ``all``)."""
    row = Contact.select(pw.fn.MIN(Contact.started_at), pw.fn.MAX(Contact.started_at)).tuples()
    first, last = row.first() or (None, None)
    return _as_datetime(first), _as_datetime(last)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


COMPOUND = 400
"""Parts per UNION ALL statement (SQLite allows 500)."""


def _tag(k: int) -> Any:
    """A literal integer column telling apart the parts of a UNION ALL (never user input)."""
    return pw.SQL(str(int(k)))


def _union_rows(parts: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``parts`` (selects of the same shape, no ORDER BY or LIMIT), a few
    hundred per UNION ALL statement.

    The statement is joined from each part's own SQL: Peewee nests a compound query one
    level per part (``a + b + c`` is ``(a + b) + c``) and renders it recursively, so a few
    hundred parts exceeded Python's recursion limit (an export of a demo site's year).
    """
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(parts), COMPOUND):
        texts: list[str] = []
        params: list[Any] = []
        for part in parts[i : i + COMPOUND]:
            text, args = part.sql()
            texts.append(text)
            params.extend(args)
        cursor = database.execute_sql(" UNION ALL ".join(texts), params)
        out.extend(tuple(r) for r in cursor.fetchall())
    return out


def id_runs(bounds: Sequence[tuple[datetime, datetime]]) -> list[tuple[int, int] | None]:
    """For each [lo, hi): the id range holding exactly its contacts (of any type), or None
    when it holds none or they are not one contiguous run of ids (ids are unique, so a
    range as long as the count holds nothing else)."""
    parts = [
        Contact.select(
            pw.Value(k), pw.fn.MIN(Contact.id), pw.fn.MAX(Contact.id), pw.fn.COUNT(Contact.id)
        ).where(_in_period(lo, hi))
        for k, (lo, hi) in enumerate(bounds)
    ]
    found = {int(k): (low, high, n) for k, low, high, n in _union_rows(parts)}
    out: list[tuple[int, int] | None] = []
    for k in range(len(bounds)):
        low, high, n = found.get(k, (None, None, 0))
        whole = low is not None and int(high) - int(low) + 1 == int(n)
        out.append((int(low), int(high)) if whole else None)
    return out


def other_picks(lo: datetime, hi: datetime) -> list[tuple[int, str, str]]:
    """(contact id, list_name, code) of every pick of the non-crisis contacts in [lo, hi)
    (silent calls rarely have any). The contacts are found on the (contact_type,
    started_at) index: the types either side of the crisis type, and none."""
    other = (
        (Contact.contact_type < CRISIS)
        | (Contact.contact_type > CRISIS)
        | Contact.contact_type.is_null()
    )
    ids = Contact.select(Contact.id).where(other, _in_period(lo, hi))
    query = ContactValue.select(
        ContactValue.contact, ContactValue.list_name, ContactValue.code
    ).where(ContactValue.contact.in_(ids))
    return [(int(c), str(a), str(b)) for c, a, b in database.execute(query).fetchall()]


def run_value_counts(runs: Sequence[tuple[int, int]]) -> list[dict[tuple[str, str], int]]:
    """For each id run: (list_name, code) -> picks of its contacts (of any type), each
    code counted by an index range on (list_name, code, contact_id)."""
    if not runs:
        return []
    keys = _rows(
        ContactValue.select(ContactValue.list_name, ContactValue.code)
        # The runs ascend in time, not necessarily in id: span them from both ends.
        .where(ContactValue.contact.between(min(r[0] for r in runs), max(r[1] for r in runs)))
        .distinct()
    )
    n = pw.fn.COUNT(ContactValue.id)
    terms = [(k, name, code) for k in range(len(runs)) for name, code in keys]
    parts = [
        ContactValue.select(_tag(i), n).where(
            ContactValue.list_name == name,
            ContactValue.code == code,
            ContactValue.contact.between(*runs[k]),
        )
        for i, (k, name, code) in enumerate(terms)
    ]
    counts = [dict[tuple[str, str], int]() for _ in runs]
    for i, picks in _union_rows(parts):
        k, name, code = terms[int(i)]
        if picks:
            counts[k][(str(name), str(code))] = int(picks)
    return counts


def run_value_contacts(runs: Sequence[tuple[int, int]], list_name: str) -> list[int]:
    """For each id run: its contacts (of any type) with at least one pick from
    ``list_name`` (the (list_name, contact_id) index read in order)."""
    distinct = pw.fn.COUNT(pw.fn.DISTINCT(ContactValue.contact))
    parts = [
        ContactValue.select(_tag(k), distinct).where(
            ContactValue.list_name == list_name, ContactValue.contact.between(*run)
        )
        for k, run in enumerate(runs)
    ]
    out = [0] * len(runs)
    for k, n in _union_rows(parts) if parts else []:
        out[int(k)] = int(n)
    return out
