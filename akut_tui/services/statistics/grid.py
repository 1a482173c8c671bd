"""Suppressed statistics on the calendar grid: months, quarters, years (docs/export.md).

A year's grid (12 months, 4 quarters, the year) is counted once and suppressed
jointly (:mod:`akut_tui.services.statistics.joint_suppression`). Each month is
counted from the database once; a quarter, a year or a longer run merges its
cells' counts (:func:`cell_builder`). Every period Akut
publishes with suppression is one grid cell or a run of whole months; a run that
is not one cell is tiled by the largest cells (years, then quarters, then
months) and shows a count only where every tile shows it, so it tells nothing
the tiles do not. ``all`` is thereby the sum of its years.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from akut_tui.core.config import ShiftConfig
from akut_tui.services.statistics.dto import MULTI, RawTable
from akut_tui.services.statistics.joint_suppression import Decision, GridPeriods, decide
from akut_tui.services.statistics.monthly import MonthBatch, batch_of
from akut_tui.services.statistics.periods import Period, month_end, utc_bounds
from akut_tui.services.statistics.suppression import THRESHOLD
from akut_tui.services.statistics.tables.kit import Labeller, Scope, TableSpec
from akut_tui.services.statistics.year_cache import Answers, YearCache, YearFigures

RawBuilder = Callable[[Period, Sequence[TableSpec]], list[RawTable]]
"""Counts the given tables for one period, unsuppressed."""


@dataclass
class Published:
    """One period's tables before rendering, with what to hide in each."""

    raw: Sequence[RawTable]
    decisions: Sequence[Decision]


def _month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), month_end(year, month), f"{year}-{month:02d}")


def _quarter(year: int, q: int) -> Period:
    return Period(date(year, 3 * q - 2, 1), month_end(year, 3 * q), f"{year}Q{q}")


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def parts_of(period: Period) -> list[Period]:
    """The grid cells a run of whole months is made of: a year's quarters, a
    quarter's months, a longer run's tiles; none for a month."""
    tiles = tile(period)
    if len(tiles) > 1:
        return tiles
    year, first, last = period.first.year, period.first.month, period.last.month
    if last - first == 11:
        return [_quarter(year, q) for q in range(1, 5)]
    return [_month(year, m) for m in range(first, last + 1)] if last - first == 2 else []


class CellBuilder:
    """A :data:`RawBuilder` that also gives the :class:`Scope` of a period (the year cache
    hands a restored year's remembered answers to it)."""

    def __init__(self, build: RawBuilder, scope_of: Callable[[Period], Scope]) -> None:
        """``build`` counts tables; ``scope_of`` gives (and makes) a period's scope."""
        self.build, self.scope_of = build, scope_of

    def __call__(self, period: Period, specs: Sequence[TableSpec]) -> list[RawTable]:
        """Count ``specs`` for ``period`` (see :func:`cell_builder`)."""
        return self.build(period, specs)


def cell_builder(
    tz: str,
    lab: Labeller,
    codes: dict[str, list[str]],
    *,
    whole_months: bool,
    shifts: ShiftConfig | None = None,
) -> CellBuilder:
    """Count the given tables for one period, unsuppressed (``codes``: the stored lists).

    With ``whole_months`` (every period asked for is a run of whole months: the
    grid's cells and tiles, an export's months and blocks) a period made of grid
    cells (a quarter of its months, a year of its quarters, ``all`` of its
    years) merges its cells' shared queries
    (:attr:`~akut_tui.services.statistics.tables.kit.Scope.parts`), so each
    contact is read from the database once per export, in its month; the
    bounds of such a period are its first cell's start and its last cell's end.
    What a folded cell remembered is let go once the longer cell holds it.
    """
    known: dict[tuple[date, date], Scope] = {}
    batches: dict[int, MonthBatch | None] = {}

    def batch(period: Period) -> MonthBatch | None:
        """A grid month's year, its months counted together (:mod:`...statistics.monthly`)."""
        if not whole_months or tile(period) != [period] or period.first.month != period.last.month:
            return None
        year = period.first.year
        if year not in batches:
            months = [_month(year, m) for m in range(1, 13)]
            batches[year] = batch_of([(m.first, *utc_bounds(m, tz)) for m in months], tz)
        return batches[year]

    def scope_of(period: Period) -> Scope:
        key = (period.first, period.last)
        if key not in known:
            parts = tuple(scope_of(p) for p in parts_of(period)) if whole_months else ()
            lo, hi = (parts[0].lo, parts[-1].hi) if parts else utc_bounds(period, tz)
            known[key] = Scope(
                period.first,
                period.last,
                lo,
                hi,
                tz,
                lab,
                stored=codes,
                parts=parts,
                shifts=shifts or ShiftConfig(),
                batch=None if parts else batch(period),
            )
        return known[key]

    def build(period: Period, specs: Sequence[TableSpec]) -> list[RawTable]:
        scope = scope_of(period)
        tables = [spec.build(scope) for spec in specs]
        if scope.parts and len(tile(period)) == 1:
            for part in scope.parts:  # a quarter's months, a year's quarters: folded in
                part.cache.clear()
            folded = batches.get(period.first.year) if period.first.month == 1 else None
            if folded is not None and period.last == date(period.first.year, 12, 31):
                folded.forget()  # the year is folded: its months' batch answers too
        return tables

    return CellBuilder(build, scope_of)


def sum_tables(parts: Sequence[RawTable]) -> RawTable:
    """The cell-by-cell sum of one table over several periods (a summable table)."""
    first = parts[0]
    rows = [
        replace(row, count=sum(p.rows[i].count for p in parts)) for i, row in enumerate(first.rows)
    ]
    return replace(first, rows=rows, denominator=sum(p.denominator for p in parts))


class Grid:
    """The suppressed grids of the years asked for so far (one export or screen)."""

    def __init__(
        self, build: RawBuilder, specs: Sequence[TableSpec], cache: YearCache | None = None
    ) -> None:
        """``build`` counts tables for one period; ``specs`` are every table, in order;
        ``cache`` keeps closed years' grids in the database (with a :class:`CellBuilder`)."""
        self.build = build
        self.specs = tuple(specs)
        self.years: dict[int, dict[str, Published]] = {}
        self.cache = cache if isinstance(build, CellBuilder) else None

    def _combine(self, period: Period, parts: Sequence[Sequence[RawTable]]) -> list[RawTable]:
        """A longer period's tables: summable ones added up, the others counted afresh."""
        others = [s for s in self.specs if not s.summable]
        fresh = iter(self.build(period, others)) if others else iter(())
        return [
            sum_tables([p[t] for p in parts]) if spec.summable else next(fresh)
            for t, spec in enumerate(self.specs)
        ]

    def year(self, year: int) -> dict[str, Published]:
        """Every period of ``year``'s grid, counted and jointly suppressed (cached)."""
        if year in self.years:
            return self.years[year]
        gens = None
        if self.cache is not None and self.cache.storable(year):
            found = self.cache.restore(year)
            if not isinstance(found, list):
                return self._restored(year, *found)
            gens = found  # read before counting: a write meanwhile makes the entry stale
        months = [_month(year, m) for m in range(1, 13)]
        raw = {p.label: self.build(p, self.specs) for p in months}
        quarters = []
        for q in range(1, 5):
            period = _quarter(year, q)
            labels = tuple(m.label for m in months[3 * q - 3 : 3 * q])
            raw[period.label] = self._combine(period, [raw[x] for x in labels])
            quarters.append((period.label, labels))
        whole = _year(year)
        raw[whole.label] = self._combine(whole, [raw[x] for x, _ in quarters])
        periods = GridPeriods(
            tuple(m.label for m in months),
            tuple(quarters),
            (whole.label, tuple(x for x, _ in quarters)),
        )
        decided = decide(raw, periods)
        self.years[year] = {
            label: Published(tables, [decided[(label, t)] for t in range(len(tables))])
            for label, tables in raw.items()
        }
        if gens is not None and self.cache is not None and isinstance(self.build, CellBuilder):
            figures = {k: (p.raw, p.decisions) for k, p in self.years[year].items()}
            answers = self.build.scope_of(whole).cache
            self.cache.keep(year, gens, figures, answers)
        return self.years[year]

    def _restored(self, year: int, figures: YearFigures, answers: Answers) -> dict[str, Published]:
        """A stored year's grid; its merged answers go to the year's scope, so a longer
        period (``all``) merges them instead of counting the year's months."""
        if isinstance(self.build, CellBuilder):
            self.build.scope_of(_year(year)).cache.update(answers)
        self.years[year] = {k: Published(raw, dec) for k, (raw, dec) in figures.items()}
        return self.years[year]

    @classmethod
    def counting(
        cls,
        tz: str,
        lab: Labeller,
        codes: dict[str, list[str]],
        specs: Sequence[TableSpec],
        *,
        shifts: ShiftConfig | None = None,
        cache: YearCache | None = None,
    ) -> Grid:
        """A grid that counts its cells itself (:func:`cell_builder`, whole months;
        ``shifts``: the site's shift starts, default the standard ones; ``cache``: closed
        years kept in the database)."""
        grid = cls(cell_builder(tz, lab, codes, whole_months=True, shifts=shifts), specs)
        grid.cache = cache
        return grid

    def figures(
        self, period: Period, blocks: Sequence[Period]
    ) -> tuple[Published, list[Published], list[tuple[str, Published]]]:
        """One export's figures: the period's, each block's (``--by``), and each month's."""
        whole = self.publish(period)
        parts = [self.publish(b) for b in blocks] if len(blocks) > 1 else [whole]
        months = []
        year, month = period.first.year, period.first.month
        while date(year, month, 1) <= period.last:
            cell = _month(year, month)
            months.append((cell.label, self.publish(cell)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return whole, parts, months

    def publish(self, period: Period) -> Published:
        """The suppressed figures of a run of whole months (one cell, or tiled by cells)."""
        tiles = tile(period)
        if len(tiles) == 1:
            return self.year(tiles[0].first.year)[tiles[0].label]
        parts = [self.year(t.first.year)[t.label] for t in tiles]
        raw = self._combine(period, [p.raw for p in parts])
        decisions = []
        for t, table in enumerate(raw):
            rows = [any(p.decisions[t].rows[i] for p in parts) for i in range(len(table.rows))]
            if not self.specs[t].summable:  # counted afresh: small counts of its own too
                rows = [h or 0 < r.count < THRESHOLD for h, r in zip(rows, table.rows, strict=True)]
            whole = any(p.decisions[t].whole for p in parts)
            denominator = any(p.decisions[t].denominator for p in parts)
            if whole or (not self.specs[t].summable and 0 < table.denominator < THRESHOLD):
                rows, whole, denominator = [True] * len(rows), True, True
            decisions.append(Decision(_grouped(table, rows, denominator), denominator, whole))
        return Published(raw, decisions)


def _grouped(table: RawTable, rows: list[bool], denominator: bool) -> list[bool]:
    """Apply the multi-value ``none`` rule and ``together`` groups to a hidden mask."""
    rows = list(rows)
    if table.kind == MULTI and (any(rows[:-1]) or denominator) and table.rows[-1].count > 0:
        rows[-1] = True
    group = [i for i, r in enumerate(table.rows) if r.code in table.together]
    if any(rows[i] for i in group):
        for i in group:
            rows[i] = rows[i] or table.rows[i].count > 0
    return rows


def tile(period: Period) -> list[Period]:
    """Cut a run of whole months into the largest grid cells: years, quarters, months."""
    out = []
    year, month = period.first.year, period.first.month
    while date(year, month, 1) <= period.last:
        if month == 1 and date(year, 12, 31) <= period.last:
            out.append(_year(year))
            year += 1
            continue
        q = (month - 1) // 3 + 1
        if month == 3 * q - 2 and month_end(year, 3 * q) <= period.last:
            out.append(_quarter(year, q))
            month += 3
        else:
            out.append(_month(year, month))
            month += 1
        if month > 12:
            year, month = year + 1, 1
    return out
