"""``referral_target``: where crisis contacts were referred (the referral directory, issue 19)."""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import picks_table
from akut_tui.services.statistics.tables.kit import Scope, TableSpec


def build(scope: Scope) -> RawTable:
    """Crisis contacts per referral target; ``ikke_registreret`` = contacts with no referral."""
    return picks_table(scope, "referral_target", "referral_target", "Henvist videre til")


TABLE = TableSpec("referral_target", 175, build)
