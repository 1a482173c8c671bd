"""``crisis_level``: the assessed crisis level (unassessed as ``ikke_vurderet``)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import level_cube
from akut_tui.services.statistics.tables.kit import NOT_ASSESSED, Scope, TableSpec, partition

LEVELS = ("alvorlig", "middel", "let", "ikke_krise")


def level_code(level: object) -> str:
    """The published code of a stored crisis level (anything unknown is not assessed)."""
    return str(level) if level in LEVELS else NOT_ASSESSED[0]


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``crisis_level``."""
    counts: Counter[str] = Counter()
    for _shift, level, _duration, n in scope.shared(level_cube):
        counts[level_code(level)] += n
    codes = [(c, scope.lab("crisis_level", c)) for c in LEVELS]
    return partition("crisis_level", "Kriseniveau", codes, counts, scope, NOT_ASSESSED)


TABLE = TableSpec("crisis_level", 60, build)
