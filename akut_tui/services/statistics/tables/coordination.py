"""``coordination``: crisis contacts where coordination with others was needed.

The form's field is a yes/no box that starts unticked, so only a tick is an
answer: the rest is "not marked", never "no".
"""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition
from akut_tui.services.statistics.tables.recorded import recorded_cube

CODES = (("koordinering_noedvendig", "Koordinering nødvendig"),)
REST = ("ikke_markeret", "Ikke markeret")


def build(scope: Scope) -> RawTable:
    """Crisis contacts with ``coordination_needed`` ticked; the rest not marked."""
    counts: Counter[str] = Counter()
    for _housing, coordination, _referred, n in scope.shared(recorded_cube):
        if coordination:
            counts[CODES[0][0]] += n
    return partition("coordination", "Koordinering nødvendig", CODES, counts, scope, REST)


TABLE = TableSpec("coordination", 172, build)
