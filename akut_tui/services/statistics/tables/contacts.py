"""``contacts``: every contact of the period by type (the only table with non-crisis calls)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import OWN_DENOMINATOR, RawTable
from akut_tui.services.statistics.tables.kit import (
    CRISIS,
    Scope,
    TableSpec,
    contact_types,
    partition,
)
from db.value_lists import VALUE_LISTS


def build(scope: Scope) -> RawTable:
    """Contacts by ``contact_type``; the crisis count is every other table's denominator."""

    types: dict[object, int] = scope.shared(contact_types)
    table = partition(
        "contacts",
        "Henvendelser efter type (alle)",
        VALUE_LISTS["contact_type"],
        Counter({str(k): v for k, v in types.items() if k is not None}),
        sum(types.values()),
    )
    table.public_codes = (CRISIS,)  # published as every other table's denominator
    table.denominator_key = OWN_DENOMINATOR
    return table


TABLE = TableSpec("contacts", 10, build)
