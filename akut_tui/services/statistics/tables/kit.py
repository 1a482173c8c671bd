"""Building blocks shared by the statistics table modules.

A table module (one per published table, see :mod:`akut_tui.services.statistics.tables`)
declares a :class:`TableSpec`: its name, its place in the export and a ``build``
function that asks the database (through :class:`Scope`) and shapes the rows.
Queries that several tables share (a "cube" grouped by a few columns) are run
once per period through :meth:`Scope.shared`. A period made of whole smaller
periods (a quarter of its months, a year of its quarters, ``all`` of its years)
has those as its ``parts``: a shared query registered with :func:`merged_by`
is then merged from the parts' answers instead of asking the database again,
so each contact is counted once per export, in its month.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import peewee as pw

from akut_tui.core.config import ShiftConfig
from akut_tui.services.statistics.dto import (
    CRISIS_DENOMINATOR,
    FIGURES,
    MULTI,
    OWN_DENOMINATOR,
    PARTITION,
    RawRow,
    RawTable,
)
from akut_tui.services.statistics.monthly import BY_MONTH, MonthBatch
from db.models import Contact
from db.value_lists import codes as list_codes

Labeller = Callable[[str, str], str]
"""(list name, code) -> Danish label."""
Merge = Callable[[list[Any]], Any]
"""Combines a shared query's answers for disjoint periods into the answer for their union."""

MERGES: dict[Callable[..., Any], Merge] = {}
"""Shared query -> how its answers for the parts of a period make the period's answer."""

CRISIS = "krise"
NOT_REGISTERED = ("ikke_registreret", "Ikke registreret")
NOT_ASSESSED = ("ikke_vurderet", "Ikke vurderet")
SHIFTS = (("dag", "Dag"), ("aften", "Aften"), ("nat", "Nat"))
MULTI_NOTE = "Flere værdier pr. henvendelse: andelene summerer ikke til 1."


@dataclass
class Scope:
    """One period being counted: its bounds, labels and the queries already run."""

    first: date
    """Inclusive local dates of the period."""
    last: date
    lo: datetime
    """Naive UTC [lo, hi) bounds of the local period."""
    hi: datetime
    tz: str
    lab: Labeller
    cache: dict[Any, Any] = field(default_factory=dict)
    stored: dict[str, list[str]] = field(default_factory=dict)
    """List name → every stored code in order, retired and leader-added ones included."""
    shifts: ShiftConfig = field(default_factory=ShiftConfig)
    """The site's shift start times (a shift's contacts are the sum of its hours)."""
    parts: tuple[Scope, ...] = ()
    """Consecutive periods that make up exactly this one (empty: ask the database)."""
    batch: MonthBatch | None = None
    """The months counted together with this month (a shared query registered with
    :func:`~akut_tui.services.statistics.monthly.by_month` is asked for all at once)."""

    def shared(self, query: Callable[..., Any], *args: Any) -> Any:
        """Run ``query(self, *args)`` once for this period and remember the result.

        With ``parts`` and a merge registered for ``query``, the result is merged
        from the parts' results (each asked, or remembered, in its own period).
        """
        key = (query, args)
        if key not in self.cache:
            merge = MERGES.get(query) if self.parts else None
            if self.batch is not None and query in BY_MONTH:
                self.cache[key] = self.batch.answer(query, args, self.first)
            elif merge is not None:
                self.cache[key] = merge([part.shared(query, *args) for part in self.parts])
            else:
                self.cache[key] = query(self, *args)
        return self.cache[key]

    @property
    def crisis_contacts(self) -> int:
        """The number of crisis contacts: every table's denominator but ``contacts``."""
        types: dict[Any, int] = self.shared(contact_types)
        return int(types.get(CRISIS, 0))

    def codes(self, list_name: str) -> list[tuple[str, str]]:
        """(code, label) of a value list, in its order: the stored codes when known
        (a retired value is still counted under its code), else the packaged ones."""

        codes = self.stored.get(list_name) or list_codes(list_name)
        return [(c, self.lab(list_name, c)) for c in codes]


def merged_by(merge: Merge) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``merge`` for a shared query: its answer for a period is the merge
    of its answers for the period's parts (see :attr:`Scope.parts`)."""

    def register(query: Callable[..., Any]) -> Callable[..., Any]:
        MERGES[query] = merge
        return query

    return register


def sum_cells(parts: list[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """Merge of cubes of (*key, count) rows: the counts of equal keys added up."""
    cells: Counter[tuple[Any, ...]] = Counter()
    for rows_ in parts:
        for *key, n in rows_:
            cells[tuple(key)] += int(n)
    return [(*key, n) for key, n in cells.items()]


def sum_counts(parts: list[Any]) -> Any:
    """Merge of counters (or dicts of counts): the counts of equal keys added up."""
    total: Counter[Any] = Counter()
    for counts in parts:
        total.update(counts)
    return total


@dataclass(frozen=True)
class TableSpec:
    """One published table: where it stands in the export and how it is built."""

    name: str
    position: int
    """Sort key of the table in every export (gaps leave room for new tables)."""
    build: Callable[[Scope], RawTable]
    summable: bool = True
    """True if a quarter's or a year's table is the cell-by-cell sum of its months'
    (then it is built from them without asking the database again)."""


def shift_hours(shifts: ShiftConfig) -> dict[str, tuple[str, ...]]:
    """Shift code -> the local hours (``00``..``23``) it is made of, or {} if a shift
    starts within an hour (then an hour is split between two shifts)."""
    starts = (shifts.day, shifts.evening, shifts.night)
    if any(t.minute for t in starts):
        return {}
    out: dict[str, list[str]] = {code: [] for code, _ in SHIFTS}
    for hour in range(24):
        if shifts.day.hour <= hour < shifts.evening.hour:
            out["dag"].append(f"{hour:02d}")
        elif shifts.evening.hour <= hour < shifts.night.hour:
            out["aften"].append(f"{hour:02d}")
        else:
            out["nat"].append(f"{hour:02d}")
    return {code: tuple(hours) for code, hours in out.items()}


def in_period(scope: Scope) -> Any:
    """Contacts that started in the period."""
    return (Contact.started_at >= scope.lo) & (Contact.started_at < scope.hi)


def crisis(scope: Scope) -> Any:
    """Crisis contacts that started in the period."""
    return (Contact.contact_type == CRISIS) & in_period(scope)


def rows(query: Any) -> list[tuple[Any, ...]]:
    """A Peewee query's rows as plain tuples."""
    return [tuple(row) for row in query.tuples()]


def crisis_count(scope: Scope, *columns: Any) -> list[tuple[Any, ...]]:
    """(*columns, count) over the period's crisis contacts, grouped by ``columns``."""
    query = (
        Contact.select(*columns, pw.fn.COUNT(Contact.id)).where(crisis(scope)).group_by(*columns)
    )
    return rows(query)


@merged_by(lambda parts: dict(sum_counts(parts)))
def contact_types(scope: Scope) -> dict[Any, int]:
    """contact_type -> count for every contact in the period; unknown types under ``None``.

    Asking for the known types by name lets the database seek the
    (contact_type, started_at) index instead of reading every row of the period.
    """

    query = (
        Contact.select(Contact.contact_type, pw.fn.COUNT(Contact.id))
        .where(Contact.contact_type.in_(list_codes("contact_type")), in_period(scope))
        .group_by(Contact.contact_type)
    )
    found = {k: int(n) for k, n in rows(query)}
    total = Contact.select(Contact.id).where(in_period(scope)).count()
    rest = int(total) - sum(found.values())
    if rest:
        found[None] = rest
    return found


def denominator_of(of: int | Scope) -> tuple[int, str]:
    """(denominator, its key) of what a table divides by.

    The :class:`Scope` stands for the period's crisis contacts (the ``krise`` cell of
    ``contacts``, every other table's denominator); a number is the table's own total
    (all contacts, referrals, persons, ...), a published cell of its own whose identities
    with other tables the table declares (``linked``, ``identities``).
    """
    if isinstance(of, Scope):
        return of.crisis_contacts, CRISIS_DENOMINATOR
    return int(of), OWN_DENOMINATOR


def partition(
    name: str,
    title: str,
    codes: Sequence[tuple[str, str]],
    counts: Counter[str],
    of: int | Scope,
    rest: tuple[str, str] = NOT_REGISTERED,
) -> RawTable:
    """A split table: one row per code, then ``rest`` holding everything else.

    ``of`` is the scope (the table splits the crisis contacts) or the table's own total.
    """
    denominator, key = denominator_of(of)
    out = [RawRow(code, label, counts.get(code, 0)) for code, label in codes]
    known = sum(r.count for r in out)
    out.append(RawRow(rest[0], rest[1], denominator - known))
    return RawTable(name, title, PARTITION, denominator, out, denominator_key=key)


def multi(
    name: str,
    title: str,
    codes: Sequence[tuple[str, str]],
    counts: Counter[str],
    scope: Scope,
    with_any: int,
) -> RawTable:
    """A multi-value table over the crisis contacts: contacts per code, then contacts with none."""
    denominator = scope.crisis_contacts
    out = [RawRow(code, label, counts.get(code, 0)) for code, label in codes]
    out.append(RawRow(*NOT_REGISTERED, denominator - with_any))
    return RawTable(
        name,
        title,
        MULTI,
        denominator,
        out,
        note=MULTI_NOTE,
        denominator_key=CRISIS_DENOMINATOR,
    )


def figures(name: str, title: str, of: int | Scope, out: list[RawRow], note: str) -> RawTable:
    """A table of separate figures (overnight, persons); ``of`` as for :func:`partition`."""
    denominator, key = denominator_of(of)
    return RawTable(name, title, FIGURES, denominator, out, note=note, denominator_key=key)
