"""Plain data handed out by the statistics service (export and screen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PARTITION = "partition"
"""Rows split the denominator; shares add up to 1."""
MULTI = "multi"
"""Multi-value picks: a contact may count in several rows (plus a 'none' row)."""
CROSS = "cross"
"""A two-way table (a leading dimension per row); all cells add up to the denominator."""
FIGURES = "figures"
"""Separate figures of one subject (overnight, persons); not a split."""


@dataclass
class RawRow:
    """One unsuppressed row: dimension values, code, label, count and extra figures."""

    code: str
    label: str
    count: int
    dims: tuple[str, ...] = ()
    extra: tuple[float | None, ...] = ()


@dataclass
class RawTable:
    """A table before suppression."""

    name: str
    title: str
    kind: str
    denominator: int
    rows: list[RawRow]
    dim_columns: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()
    note: str = ""
    public_codes: tuple[str, ...] = ()
    share_codes: tuple[str, ...] | None = None
    """Rows that get a share (None: all); overnight shows only the occupancy."""
    share_within_dims: bool = False
    """Shares of the row's group (same ``dims``), not of the denominator: the crisis
    level within each shift. Cross suppression treats those margins as known."""
    withheld: bool = False
    """Hide every cell when suppressing (bed figures for periods shorter than a month)."""
    """Codes whose count is published elsewhere and so cannot hide another cell."""


@dataclass(frozen=True)
class StatTable:
    """A finished table: ``rows`` follow ``columns``; hidden counts and shares are ``None``."""

    name: str
    title: str
    denominator: int | None
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    hidden_cells: int = 0
    denominators: dict[str, int | None] = field(default_factory=dict)
    """With a breakdown: the denominator of each block (month or quarter)."""


@dataclass(frozen=True)
class StatsReport:
    """Every table for one period."""

    first: str
    """ISO date, inclusive."""
    last: str
    label: str
    site: str
    generated_at: str
    suppression_applied: bool
    threshold: int
    by: str | None
    tables: tuple[StatTable, ...]
    monthly: tuple[tuple[str, int], ...] = ()
    """(``YYYY-MM``, crisis contacts) for a sparkline; unsuppressed counts of a public total."""

    def table(self, name: str) -> StatTable:
        """Return the table called ``name`` (KeyError if absent)."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)
