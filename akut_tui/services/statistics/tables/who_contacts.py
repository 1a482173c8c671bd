"""``who_contacts``: who called (the citizen, a relative about a citizen, a relative for their
own support, a partner, someone else)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import channel_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``caller``, every code of the caller list (issue 19 §4: relatives
    calling for their own support are ``paaroerende_egen_stoette``, apart)."""
    counts: Counter[str] = Counter()
    for who, _via, _partner, n in scope.shared(channel_cube):
        counts[who] += n
    codes = scope.codes("caller")
    return partition("who_contacts", "Hvem henvender sig", codes, counts, scope)


TABLE = TableSpec("who_contacts", 40, build)
