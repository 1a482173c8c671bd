"""``actions``: multi-value picks of the ``action`` list (a contact may count in several rows)."""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import picks_table
from akut_tui.services.statistics.tables.kit import Scope, TableSpec


def build(scope: Scope) -> RawTable:
    """Crisis contacts per action code; ``ikke_registreret`` = contacts with none."""
    return picks_table(scope, "actions", "action", "Tiltag")


TABLE = TableSpec("actions", 140, build)
