"""``referred_to``: where crisis contacts outside the target group were helped on to."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition
from akut_tui.services.statistics.tables.recorded import recorded_cube

REST = ("ikke_henvist", "Ikke henvist videre")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``referred_to`` (the partner list); ``ikke_henvist`` for none."""
    counts: Counter[str] = Counter()
    for _housing, _coordination, referred, n in scope.shared(recorded_cube):
        if referred:
            counts[str(referred)] += n
    codes = scope.codes("partner_type")
    return partition("referred_to", "Henvist til", codes, counts, scope, REST)


TABLE = TableSpec("referred_to", 174, build)
