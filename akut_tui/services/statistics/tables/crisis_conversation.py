"""``crisis_conversation``: krisesamtale held, ja / nej / not registered.

An explicit choice in every form (no default); contacts registered before that
rule keep what they held, which :func:`reliable_since` names in the note.
"""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import method_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition
from akut_tui.services.statistics.tables.recorded import reliable_since

CODES = (("ja", "Ja"), ("nej", "Nej"))


def build(scope: Scope) -> RawTable:
    """Crisis contacts by their krisesamtale answer."""
    counts: Counter[str] = Counter()
    for _stabilisation, _turned, talk, *_rest, n in scope.shared(method_cube):
        counts[str(talk)] += n
    table = partition("crisis_conversation", "Krisesamtale", CODES, counts, scope)
    table.note = reliable_since(scope, "conversation_explicit")
    return table


TABLE = TableSpec("crisis_conversation", 168, build)
