"""``escalation``: multi-value picks of the ``escalation`` list (who was contacted)."""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import picks_table
from akut_tui.services.statistics.tables.kit import Scope, TableSpec


def build(scope: Scope) -> RawTable:
    """Crisis contacts per escalation code; ``ikke_registreret`` = contacts with none."""
    return picks_table(scope, "escalation", "escalation", "Eskalering")


TABLE = TableSpec("escalation", 145, build)
