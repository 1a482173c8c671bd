"""``avoided``: staff's assessment of what the citizen would have done without the akuttilbud.

Multi-value picks of the ``avoided`` list (issue 19 §3): a contact may count in
several rows; ``ikke_registreret`` = contacts with no assessment. It is the staff's
assessment at the contact, not the citizen's statement, and the table says so.
"""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import picks_table
from akut_tui.services.statistics.tables.kit import MULTI_NOTE, Scope, TableSpec

NOTE = "Personalets vurdering ved henvendelsen (ikke borgerens eget svar). " + MULTI_NOTE


def build(scope: Scope) -> RawTable:
    """Crisis contacts per assessed alternative; ``ikke_registreret`` = contacts with none."""
    table = picks_table(
        scope,
        "avoided",
        "avoided",
        "Uden akuttilbuddet ville borgeren have … (personalets vurdering)",
    )
    table.note = NOTE
    return table


TABLE = TableSpec("avoided", 179, build)
