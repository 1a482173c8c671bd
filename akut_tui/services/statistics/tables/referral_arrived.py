"""``referral_arrived``: "kom borgeren frem?" at the 14-day follow-up, per referral."""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.referral_rows import referral_table

NOT_FOLLOWED_UP = ("ikke_fulgt_op", "Ikke fulgt op")


def build(scope: Scope) -> RawTable:
    """The period's referrals by the follow-up's answer; the unit is a referral (a contact
    with two targets counts twice), referrals with no answer are ``ikke_fulgt_op``."""
    title = "Kom borgeren frem (opfølgning)"
    return referral_table(
        scope, "referral_arrived", title, "arrived", "referral_arrived", NOT_FOLLOWED_UP
    )


TABLE = TableSpec("referral_arrived", 178, build)
