"""The statistics of docs/domain.md §5: every table, for the export and the statistics screen.

Each table is defined in one module of :mod:`akut_tui.services.statistics.tables`
(its query, its shaping, its name and labels); this module resolves the period,
builds every table for it, applies small-count suppression
(:mod:`akut_tui.services.statistics.suppression`) and returns plain data. Non-data calls
(silent, wrong number, test) appear only in the ``contacts`` table; every other
table counts crisis contacts.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date
from typing import Any

from akut_tui import __version__
from akut_tui.core.clock import local
from akut_tui.services.accounts.auth import require
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection
from akut_tui.services.base.value_lists import label_for, stored_value_lists
from akut_tui.services.statistics import suppression
from akut_tui.services.statistics.dto import CROSS, FIGURES, MULTI, RawTable, StatsReport, StatTable
from akut_tui.services.statistics.periods import Period, parse_period, split, utc_bounds
from akut_tui.services.statistics.tables import table_specs
from akut_tui.services.statistics.tables.cubes import local_buckets
from akut_tui.services.statistics.tables.kit import Labeller, Scope
from db import stats_queries as q  # started_range for the period ``all``

VERSION = __version__


def _labeller(rt: Runtime) -> Labeller:
    """Labels as stored (a leader may relabel), retired values included (issue 18 §6)."""

    stored = {
        name: {code: label for code, label, _ in items}
        for name, items in stored_value_lists(rt).items()
    }

    def lab(list_name: str, code: str) -> str:
        return stored.get(list_name, {}).get(code) or label_for(list_name, code)

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


def _scope(rt: Runtime, period: Period, lab: Labeller) -> Scope:
    lo, hi = utc_bounds(period, rt.config.site.timezone)
    stored = {name: [c for c, _, _ in items] for name, items in stored_value_lists(rt).items()}
    return Scope(period.first, period.last, lo, hi, rt.config.site.timezone, lab, stored=stored)


def _raw_tables(rt: Runtime, period: Period, lab: Labeller) -> tuple[list[RawTable], Counter[int]]:
    """Compute every table of one period, unsuppressed, and the crisis contacts per month."""
    scope = _scope(rt, period, lab)
    tables = [spec.build(scope) for spec in table_specs()]
    _hours, _days, months = scope.shared(local_buckets)
    return tables, months


def _finish(raw: RawTable, apply: bool) -> tuple[tuple[tuple[Any, ...], ...], int | None, int]:
    """Suppress (if asked) and return (rows, shown denominator, hidden cell count)."""
    counts = [r.count for r in raw.rows]
    hidden = [False] * len(counts)
    d: int | None = raw.denominator
    if apply:
        if raw.kind == CROSS:
            dims = list(dict.fromkeys(r.dims for r in raw.rows))
            codes = list(dict.fromkeys(r.code for r in raw.rows))
            at = {(r.dims, r.code): i for i, r in enumerate(raw.rows)}
            matrix = [[raw.rows[at[(dm, c)]].count for c in codes] for dm in dims]
            mask = suppression.suppress_cross(matrix)
            for ri, dm in enumerate(dims):
                for ci, c in enumerate(codes):
                    hidden[at[(dm, c)]] = mask[ri][ci]
        elif raw.kind in (MULTI, FIGURES):
            hidden = suppression.primary(counts)
        else:
            public = [i for i, r in enumerate(raw.rows) if r.code in raw.public_codes]
            hidden, hide_total = suppression.suppress_partition(counts, public=public)
            if hide_total:
                d = None
        if raw.withheld:
            hidden = [True] * len(counts)
        if 0 < raw.denominator < suppression.THRESHOLD:
            d = None
            hidden = [True] * len(counts)  # zeros too: they would show where the few are
    groups: Counter[tuple[str, ...]] = Counter()
    if raw.share_within_dims:
        for row in raw.rows:
            groups[row.dims] += row.count
    rows = []
    for row, hide in zip(raw.rows, hidden, strict=True):
        count = None if hide else row.count
        share = None
        wanted = raw.share_codes is None or row.code in raw.share_codes
        base = groups[row.dims] if raw.share_within_dims else d
        if count is not None and d and base and wanted:
            share = round(count / base, 4)
        extra = tuple(None if hide or v is None else round(v, 1) for v in row.extra)
        rows.append((*row.dims, row.code, row.label, count, share, *extra))
    return tuple(rows), d, sum(hidden)


def _columns(raw: RawTable, by: str | None) -> tuple[str, ...]:
    lead = (by,) if by else ()
    return (*lead, *raw.dim_columns, "code", "label", "count", "share", *raw.extra_columns)


def compute(
    rt: Runtime, period: Period, *, by: str | None = None, suppress: bool = True
) -> StatsReport:
    """Compute every table for ``period`` (optionally per month or quarter)."""
    blocks = split(period, by) if by else [period]
    with connection():
        lab = _labeller(rt)
        per_block = [(block, *_raw_tables(rt, block, lab)) for block in blocks]
    names = [t.name for t in per_block[0][1]]
    tables = []
    for index, name in enumerate(names):
        rows: list[tuple[Any, ...]] = []
        hidden_total = 0
        denominators: dict[str, int | None] = {}
        first_raw = per_block[0][1][index]
        total = 0
        for block, raws, _ in per_block:
            raw = raws[index]
            block_rows, d, hidden = _finish(raw, suppress)
            hidden_total += hidden
            total += raw.denominator
            lead = (block.label,) if by else ()
            rows += [(*lead, *row) for row in block_rows]
            denominators[block.label] = d
        shown_total: int | None = total
        if suppress and 0 < total < suppression.THRESHOLD:
            shown_total = None
        tables.append(
            StatTable(
                name=name,
                title=first_raw.title,
                denominator=shown_total if by else denominators[blocks[0].label],
                columns=_columns(first_raw, by),
                rows=tuple(rows),
                note=first_raw.note,
                hidden_cells=hidden_total,
                denominators=denominators if by else {},
            )
        )
    months: Counter[int] = Counter()
    for _, _, m in per_block:
        months.update(m)
    keys = []
    year, month = period.first.year, period.first.month
    while (year, month) <= (period.last.year, period.last.month):
        keys.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    monthly = tuple(
        (
            f"{k // 100}-{k % 100:02d}",
            0 if suppress and 0 < months[k] < suppression.THRESHOLD else months[k],
        )
        for k in keys
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
        monthly=monthly,
    )


def view_statistics(rt: Runtime, session: SignedInUser, text: str) -> StatsReport:
    """The statistics screen's figures: same tables and suppression as the export.

    Leaders and coordinators only (checked against the database); a bad period
    raises :class:`~akut_tui.core.errors.ValidationError` with a Danish message.
    """

    with connection():
        require(session, "stats.view")
    return compute(rt, resolve_period(rt, text), suppress=True)
