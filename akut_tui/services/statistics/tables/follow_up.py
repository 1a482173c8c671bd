"""``follow_up``: the wanted 14-day follow-ups, by result (or not done yet)."""

from __future__ import annotations

from collections import Counter

import peewee as pw

from akut_tui.services.statistics.dto import OWN_DENOMINATOR, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, crisis, partition, rows
from db.models import Contact, FollowUp

NOT_DONE = ("ikke_udfoert", "Ikke udført endnu")
DONE_WITHOUT_RESULT = ("udfoert_uden_resultat", "Udført uden resultat")


def build(scope: Scope) -> RawTable:
    """Follow-ups of the period's crisis contacts; the denominator is all of them."""
    done = pw.Case(None, [(FollowUp.done_at.is_null(False), 1)], 0)
    query = (
        FollowUp.select(done, FollowUp.result, pw.fn.COUNT(FollowUp.id))
        .join(Contact)
        .where(crisis(scope))
        .group_by(done, FollowUp.result)
    )
    counts: Counter[str] = Counter()
    for is_done, result, n in rows(query):
        counts[(result or DONE_WITHOUT_RESULT[0]) if is_done else NOT_DONE[0]] += n
    table = partition(
        "follow_up",
        "Opfølgning efter 14 dage (af ønskede)",
        [*scope.codes("followup_result"), NOT_DONE],
        counts,
        sum(counts.values()),
        DONE_WITHOUT_RESULT,
    )
    table.denominator_key = OWN_DENOMINATOR
    table.note = "Målbar = forbedret + uændret + forværret, af de udførte opfølgninger."
    return table


TABLE = TableSpec("follow_up", 180, build)
