"""Every statistics table, one module each.

A table module holds everything about its table: its query (or the shared cube
it reads, :mod:`.cubes`), how the rows are shaped, its name, title and labels,
and its place in the export, as a module-level ``TABLE``
(:class:`~akut_tui.services.statistics.tables.kit.TableSpec`). Adding a table is
adding one module here: :func:`table_specs` finds it. Suppression and the
export formats work on the shaped rows (:mod:`akut_tui.services.statistics.dto`)
and need no change for a new table.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from akut_tui.services.statistics.tables.kit import TableSpec

NOT_TABLES = frozenset({"kit", "cubes", "recorded", "people", "referral_rows"})
"""Modules of this package that hold building blocks, not a table."""


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Every table's spec, in export order (by ``position``)."""
    specs = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in NOT_TABLES:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "TABLE", None)
        if not isinstance(spec, TableSpec):
            raise TypeError(f"{module.__name__} defines no TABLE = TableSpec(...)")
        if spec.name != info.name:
            raise ValueError(f"{module.__name__}: TABLE.name must be {info.name!r}")
        specs.append(spec)
    positions = [s.position for s in specs]
    if len(set(positions)) != len(positions):
        raise ValueError("two statistics tables share a position")
    return tuple(sorted(specs, key=lambda s: s.position))
