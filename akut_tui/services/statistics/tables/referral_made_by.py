"""``referral_made_by``: per referral, whether staff made the contact or advised the citizen to."""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.referral_rows import referral_table


def build(scope: Scope) -> RawTable:
    """The period's referrals by who made the contact (``personale``: staff contacted the
    target, ``borger_raadet``: the citizen was advised to); the unit is a referral."""
    title = "Hvem tog kontakt til henvisningsstedet"
    return referral_table(scope, "referral_made_by", title, "made_by", "referral_by")


TABLE = TableSpec("referral_made_by", 177, build)
