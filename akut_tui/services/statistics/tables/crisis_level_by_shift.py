"""``crisis_level_by_shift``: shift x crisis level, a cross table."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import (
    CRISIS_DENOMINATOR,
    CROSS,
    Identity,
    RawRow,
    RawTable,
)
from akut_tui.services.statistics.tables.crisis_level import LEVELS, level_code
from akut_tui.services.statistics.tables.cubes import level_cube
from akut_tui.services.statistics.tables.kit import (
    NOT_ASSESSED,
    SHIFTS,
    Scope,
    TableSpec,
    shift_hours,
)


def build(scope: Scope) -> RawTable:
    """Crisis contacts by (shift, crisis level); each share is of that shift's contacts."""
    cross: Counter[tuple[str, str]] = Counter()
    for shift, level, _duration, n in scope.shared(level_cube):
        cross[(shift, level_code(level))] += n
    levels = [*((c, scope.lab("crisis_level", c)) for c in LEVELS), NOT_ASSESSED]
    out = [
        RawRow(code, label, cross.get((shift, code), 0), dims=(shift,))
        for shift, _ in SHIFTS
        for code, label in levels
    ]
    return RawTable(
        "crisis_level_by_shift",
        "Kriseniveau pr. vagt",
        CROSS,
        scope.crisis_contacts,
        out,
        dim_columns=("shift",),
        note="Andele af vagtens krisehenvendelser (niveauerne i en vagt summerer til 1); "
        "ingen andele i en vagt med et skjult tal.",
        share_within_dims=True,
        margin_of="crisis_level",  # the sums over shifts are that table's rows
        row_floor="duration_by_shift",  # a shift's contacts with a duration
        denominator_key=CRISIS_DENOMINATOR,
        # A shift is made of whole hours (by default): its contacts are hour_of_day's.
        identities=tuple(
            Identity((("", (shift,)),), (("hour_of_day", hours),))
            for shift, hours in shift_hours(scope.shifts).items()
        ),
    )


TABLE = TableSpec("crisis_level_by_shift", 70, build)
