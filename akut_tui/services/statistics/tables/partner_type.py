"""``partner_type``: which partner called, when a partner called."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import channel_cube
from akut_tui.services.statistics.tables.kit import NOT_REGISTERED, Scope, TableSpec, partition

NOT_A_PARTNER = ("ikke_samarbejdspartner", "Ikke henvendt af samarbejdspartner")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``partner_type`` (everyone else under ``ikke_samarbejdspartner``)."""
    counts: Counter[str] = Counter()
    for who, _via, partner, n in scope.shared(channel_cube):
        if who == "samarbejdspartner":
            counts[partner or NOT_REGISTERED[0]] += n
        else:
            counts[NOT_A_PARTNER[0]] += n
    codes = [*scope.codes("partner_type"), NOT_A_PARTNER]
    table = partition("partner_type", "Samarbejdspartner", codes, counts, scope)
    partners = tuple(r.code for r in table.rows if r.code != NOT_A_PARTNER[0])
    table.linked = ((partners, "who_contacts", ("samarbejdspartner",)),)
    return table


TABLE = TableSpec("partner_type", 50, build)
