"""``method``: crisis conversation, crisis plan, progression goal, follow-up wanted.

Krisesamtale counts the contacts where it was answered ja (``crisis_conversation``
splits ja / nej / not registered).
"""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import method_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, multi

METHODS = (
    ("krisesamtale", "Krisesamtale"),
    ("kriseplan", "Kriseplan"),
    ("progressionsmaal", "Progressionsmål"),
    ("opfoelgning_oensket", "Opfølgning ønsket"),
)


def build(scope: Scope) -> RawTable:
    """Crisis contacts per method used (multi-value); none as ``ikke_registreret``."""
    counts: Counter[str] = Counter()
    with_any = 0
    for _stabilisation, _turned, talk, plan, goal, follow, *_recorded, n in scope.shared(
        method_cube
    ):
        flags = [talk == "ja", plan, goal, follow]
        for (code, _label), flag in zip(METHODS, flags, strict=True):
            if flag:
                counts[code] += n
        if any(flags):
            with_any += n
    table = multi("method", "Metode", METHODS, counts, scope, with_any)
    table.linked = ((("krisesamtale",), "crisis_conversation", ("ja",)),)  # the same contacts
    return table


TABLE = TableSpec("method", 170, build)
