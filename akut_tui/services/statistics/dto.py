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
CRISIS_DENOMINATOR = "crisis"
OWN_DENOMINATOR = "own"
FIXED_DENOMINATOR = "fixed"

TOTAL = "#total"
"""A term's code for the table's denominator (in ``denominator_hidden_with``)."""
Term = tuple[str, tuple[str, ...]]
"""(table name, row codes) in an :class:`Identity`: the sum of those rows of that table in
the same period; ``""`` names the declaring table. A code matches a row by its code or, in
a cross table, by its dimension value (``"nat"``: every crisis level of the night shift)."""


@dataclass(frozen=True)
class Identity:
    """A linear identity between published cells of one period: sum(left) = sum(right).

    Every relation a reader can compute from the definitions must be declared (on one of
    its tables), or the joint suppression cannot protect against it (docs/export.md,
    "Declaring a table's relations").
    """

    left: tuple[Term, ...]
    right: tuple[Term, ...]


@dataclass(frozen=True)
class Bound:
    """A linear bound between published cells of one period:
    sum(left) <= sum(right) + ``slack``.

    A term may name a table's denominator with :data:`TOTAL`; a term named twice counts
    twice. Like an :class:`Identity`, every true bound a reader can know from the
    definitions must be declared, or the joint suppression cannot account for it.
    """

    left: tuple[Term, ...]
    right: tuple[Term, ...]
    slack: int = 0


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
    level within each shift. Only a group shown in full gets shares (a share would
    give a partly hidden group's total away)."""
    withheld: bool = False
    """Hide every cell when suppressing (bed figures for periods shorter than a month)."""
    denominator_key: str = OWN_DENOMINATOR
    """Where the denominator comes from: the crisis count (``crisis``), the table's own
    total (``own``, e.g. all contacts, referrals, persons) or a public constant (``fixed``,
    bed capacity). The helpers of :mod:`.tables.kit` set it from what they are given: the
    :class:`~.tables.kit.Scope` (the crisis count) or a number (the table's own total)."""
    additive_codes: tuple[str, ...] | None = None
    """Rows whose counts add up over time (None: every row); distinct counts do not."""
    linked: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    """Identities with other tables of the period: the sum of these codes equals the sum
    of those codes of the named table (e.g. partners calling = ``samarbejdspartner``)."""
    identities: tuple[Identity, ...] = ()
    """Further identities with other tables (sums across several tables, cross-table dims)."""
    bounds: tuple[Bound, ...] = ()
    """Inequalities with other tables (admissions lie between the actions' and the
    escalations' ``indlaeggelse`` and their sum)."""
    margin_of: str = ""
    """Cross tables: the table whose rows are the sums over this table's dimension."""
    row_floor: str = ""
    """Cross tables: a table whose row for each dimension value (e.g. a shift's contacts
    with a duration) is at least that value's row sum here; its last row is the gap."""
    denominator_hidden_with: tuple[Term, ...] = ()
    """Cells whose hiding hides this table's denominator too, as terms (:data:`TOTAL` for a
    table's denominator): a total that bounds them or that they bound (the contacts with a
    referral lie between the largest target and the referrals)."""
    together: tuple[str, ...] = ()
    """Codes hidden together: one follows from the others (the persons figures)."""


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
    monthly: tuple[tuple[str, int | None], ...] = ()
    """(``YYYY-MM``, crisis contacts) for a sparkline: each month's published count
    (None where that month's export hides it)."""

    def table(self, name: str) -> StatTable:
        """Return the table called ``name`` (KeyError if absent)."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)
