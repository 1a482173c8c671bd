"""``channel``: the contact form as registered (telefon, fremmøde, virtuel)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import channel_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition

CODES = ("telefon", "fremmoede", "virtuel")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``channel``."""
    counts: Counter[str] = Counter()
    for _caller, via, _partner, n in scope.shared(channel_cube):
        counts[via] += n
    codes = [(c, scope.lab("channel", c)) for c in CODES]
    return partition("channel", "Kontaktform (som registreret)", codes, counts, scope)


TABLE = TableSpec("channel", 20, build)
