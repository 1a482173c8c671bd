"""``referral_consent``: per referral, consent to contact the target on the citizen's behalf."""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.referral_rows import referral_table


def build(scope: Scope) -> RawTable:
    """The period's referrals by consent (``ja``, ``nej``, ``ikke_spurgt``); the unit is a
    referral (a contact with two targets counts twice), ``ikke_registreret`` = not asked
    about or not recorded."""
    title = "Samtykke til at kontakte henvisningsstedet"
    return referral_table(scope, "referral_consent", title, "consent", "consent")


TABLE = TableSpec("referral_consent", 176, build)
