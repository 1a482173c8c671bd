"""The statistics of docs/domain.md §5: every table, for the export and the statistics screen.

Each table is defined in one module of :mod:`akut_tui.services.statistics.tables`
(its query, its shaping, its name and labels); this module resolves the period,
builds every table for it, applies small-count suppression
(:mod:`akut_tui.services.statistics.suppression`) and returns plain data. Non-data calls
(silent, wrong number, test) appear only in the ``contacts`` table; every other
table counts crisis contacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date
from typing import Any

from akut_tui import __version__
from akut_tui.core.clock import local
from akut_tui.core.gc_pause import gc_paused
from akut_tui.services.accounts.auth import require
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection
from akut_tui.services.base.value_lists import label_for, stored_value_lists
from akut_tui.services.statistics import suppression
from akut_tui.services.statistics.dto import RawTable, StatsReport, StatTable
from akut_tui.services.statistics.grid import Grid, Published, RawBuilder, cell_builder
from akut_tui.services.statistics.joint_suppression import Decision
from akut_tui.services.statistics.periods import (
    Period,
    on_grid,
    parse_period,
    require_grid,
    split,
)
from akut_tui.services.statistics.tables import table_specs
from akut_tui.services.statistics.tables.kit import Labeller
from akut_tui.services.statistics.year_cache import YearCache
from db import stats_queries as q  # started_range for the period ``all``

VERSION = __version__


StoredLists = dict[str, list[tuple[str, str, bool]]]
"""List name -> (code, label, in use) as stored (``stored_value_lists``)."""


def _labeller(rt: Runtime, stored: StoredLists | None = None) -> Labeller:
    """Labels as stored (a leader may relabel), retired values included (issue 18 §6)."""

    labels = {
        name: {code: label for code, label, _ in items}
        for name, items in (stored if stored is not None else stored_value_lists(rt)).items()
    }

    def lab(list_name: str, code: str) -> str:
        return labels.get(list_name, {}).get(code) or label_for(list_name, code)

    return lab


def local_today(rt: Runtime) -> date:
    """Today's date in the site's time zone."""
    return local(rt.now(), rt.config.site.timezone).date()


def resolve_period(rt: Runtime, text: str) -> Period:
    """Parse a period name; ``all`` runs from the first to the last contact's local date."""
    today = local_today(rt)
    all_range = None
    if text.strip().lower() == "all":
        with connection():
            first, last = q.started_range()
        tz = rt.config.site.timezone
        if first is not None and last is not None:
            all_range = (local(first, tz).date(), local(last, tz).date())
    return parse_period(text, today, all_range)


def _builder(
    rt: Runtime, lab: Labeller, stored: StoredLists | None = None, *, whole_months: bool = False
) -> RawBuilder:
    """Count the given tables for one period, unsuppressed (:func:`grid.cell_builder`;
    ``whole_months``: every period it is given is a run of whole months)."""
    lists = stored if stored is not None else stored_value_lists(rt)
    codes = {name: [c for c, _, _ in items] for name, items in lists.items()}
    return cell_builder(
        rt.config.site.timezone, lab, codes, whole_months=whole_months, shifts=rt.config.shifts
    )


def _render(
    raw: RawTable, decision: Decision | None
) -> tuple[tuple[tuple[Any, ...], ...], int | None, int]:
    """(rows, shown denominator, hidden cell count); ``decision`` None shows everything."""
    hidden = decision.rows if decision else [False] * len(raw.rows)
    d: int | None = None if decision and decision.denominator else raw.denominator
    groups = _group_totals(raw, hidden)
    rows = []
    for row, hide in zip(raw.rows, hidden, strict=True):
        count = None if hide else row.count
        share = None
        wanted = raw.share_codes is None or row.code in raw.share_codes
        base = groups.get(row.dims) if raw.share_within_dims else d
        if count is not None and d and base and wanted:
            share = round(count / base, 4)
        extra = tuple(None if hide or v is None else round(v, 1) for v in row.extra)
        rows.append((*row.dims, row.code, row.label, count, share, *extra))
    return tuple(rows), d, sum(hidden)


def _group_totals(raw: RawTable, hidden: Sequence[bool]) -> dict[tuple[str, ...], int]:
    """Totals of the row groups (same ``dims``) whose every cell is shown.

    A share within a group (the crisis level within a shift) gives its total away,
    so only a group shown in full, whose total is the sum of what is shown anyway,
    gets shares; a group with a hidden cell gets none.
    """
    totals: dict[tuple[str, ...], int] = {}
    partial: set[tuple[str, ...]] = set()
    for row, hide in zip(raw.rows, hidden, strict=True):
        totals[row.dims] = totals.get(row.dims, 0) + row.count
        if hide:
            partial.add(row.dims)
    return {dims: n for dims, n in totals.items() if dims not in partial}


def _columns(raw: RawTable, by: str | None) -> tuple[str, ...]:
    lead = (by,) if by else ()
    return (*lead, *raw.dim_columns, "code", "label", "count", "share", *raw.extra_columns)


def _crisis_count(published: Published) -> int | None:
    """The published crisis count of a period (None where hidden)."""
    for table, decision in zip(published.raw, published.decisions, strict=True):
        for row, hide in zip(table.rows, decision.rows, strict=True):
            if row.code in table.public_codes:
                return None if hide else row.count
    return None


def _figures(
    rt: Runtime, period: Period, blocks: Sequence[Period], suppress: bool
) -> tuple[Published, list[Published], list[tuple[str, int | None]]]:
    """The period's and each block's tables with what to hide, and the monthly counts."""
    with connection():
        stored = stored_value_lists(rt)  # read once: the labels and the codes of every table
        if suppress:
            require_grid(period)
            whole, parts, months = counting_grid(rt, stored).figures(period, blocks)
            return whole, parts, [(label, _crisis_count(cell)) for label, cell in months]
        lab, specs = _labeller(rt, stored), table_specs()
        # Months and blocks of a run of whole months are whole months too.
        build = _builder(rt, lab, stored, whole_months=on_grid(period))
        whole = Published(build(period, specs), [])
        parts = [Published(build(b, specs), []) for b in blocks] if len(blocks) > 1 else [whole]
        monthly = [(m.label, _count_of(build(m, specs[:1])[0])) for m in split(period, "month")]
        return whole, parts, monthly


def counting_grid(rt: Runtime, stored: StoredLists) -> Grid:
    """The calendar grid that counts the suppressed figures, keeping closed years in the
    database (``stored``: the value lists as stored, read once per count)."""
    codes = {name: [c for c, _, _ in items] for name, items in stored.items()}
    tz = rt.config.site.timezone
    cache = YearCache(local_today(rt), tz, rt.config.shifts, stored)
    specs = table_specs()
    return Grid.counting(
        tz, _labeller(rt, stored), codes, specs, shifts=rt.config.shifts, cache=cache
    )


def _count_of(contacts: RawTable) -> int | None:
    """The crisis count in an unsuppressed ``contacts`` table."""
    return next((r.count for r in contacts.rows if r.code in contacts.public_codes), 0)


def compute(
    rt: Runtime, period: Period, *, by: str | None = None, suppress: bool = True
) -> StatsReport:
    """Compute every table for ``period`` (optionally per month or quarter).

    With suppression the period must be whole months (ValidationError otherwise):
    the figures are the calendar grid's (:mod:`akut_tui.services.statistics.grid`).
    """
    blocks = split(period, by) if by else [period]
    with gc_paused():  # many long-lived cells, no cycles: akut_tui.core.gc_pause
        whole, parts, monthly = _figures(rt, period, blocks, suppress)
    tables = []
    for index, first_raw in enumerate(whole.raw):
        rows: list[tuple[Any, ...]] = []
        hidden_total = 0
        denominators: dict[str, int | None] = {}
        for block, part in zip(blocks, parts, strict=True):
            decision = part.decisions[index] if suppress else None
            block_rows, d, hidden = _render(part.raw[index], decision)
            hidden_total += hidden
            lead = (block.label,) if by else ()
            rows += [(*lead, *row) for row in block_rows]
            denominators[block.label] = d
        _, total, _ = _render(first_raw, whole.decisions[index] if suppress else None)
        tables.append(
            StatTable(
                name=first_raw.name,
                title=first_raw.title,
                denominator=total,
                columns=_columns(first_raw, by),
                rows=tuple(rows),
                note=first_raw.note,
                hidden_cells=hidden_total,
                denominators=denominators if by else {},
            )
        )
    return StatsReport(
        first=period.first.isoformat(),
        last=period.last.isoformat(),
        label=period.label,
        site=rt.config.site.name,
        generated_at=rt.now().astimezone(UTC).isoformat(timespec="seconds"),
        suppression_applied=suppress,
        threshold=suppression.THRESHOLD,
        by=by,
        tables=tuple(tables),
        monthly=tuple(monthly),
    )


def view_statistics(rt: Runtime, session: SignedInUser, text: str) -> StatsReport:
    """The statistics screen's figures: same tables and suppression as the export.

    Leaders and coordinators only (checked against the database); a bad period
    raises :class:`~akut_tui.core.errors.ValidationError` with a Danish message.
    """

    with connection():
        require(session, "stats.view")
    return compute(rt, resolve_period(rt, text), suppress=True)


def compute_named(
    rt: Runtime, period: Period | str, *, by: str | None = None, suppress: bool = True
) -> StatsReport:
    """:func:`compute` for a period given by name (resolved by :func:`resolve_period`) or
    already made: the export's one entry call."""
    if isinstance(period, str):
        period = resolve_period(rt, period)
    return compute(rt, period, by=by, suppress=suppress)
