"""The year cache's codec knows every dataclass a raw table can hold.

A field added to ``RawTable`` with a dataclass the codec does not know made every
store fail quietly (the cache falls back to counting afresh): ``dto.Bound`` did so
when bounds were added. This test names the gap instead.
"""

from __future__ import annotations

import dataclasses
import typing

from akut_tui.services.statistics import codec, dto


def _dataclasses_in(cls: type, seen: set[type]) -> set[type]:
    """``cls`` and every dataclass its fields' types name, recursively."""
    if cls in seen or not dataclasses.is_dataclass(cls):
        return seen
    seen.add(cls)
    hints = typing.get_type_hints(cls)
    for hint in hints.values():
        for arg in _named_types(hint):
            _dataclasses_in(arg, seen)
    return seen


def _named_types(hint: object) -> list[type]:
    """Every class a type hint names, inside containers and unions too."""
    found = [hint] if isinstance(hint, type) else []
    for arg in typing.get_args(hint):
        found += _named_types(arg)
    return found


def test_every_dataclass_of_a_raw_table_can_be_cached() -> None:
    needed = _dataclasses_in(dto.RawTable, set())
    assert dto.Bound in needed and dto.Identity in needed
    missing = {cls.__name__ for cls in needed} - set(codec.CLASSES)
    assert not missing, f"codec.CLASSES lacks {sorted(missing)}: such a year is never cached"


def test_a_raw_table_with_bounds_survives_the_codec() -> None:
    table = dto.RawTable(
        name="t",
        title="T",
        kind="partition",
        denominator=3,
        rows=[dto.RawRow(code="a", label="A", count=3)],
        bounds=(dto.Bound(left=(("", ("a",)),), right=(("", (dto.TOTAL,)),)),),
    )
    assert codec.decode(codec.encode(table)) == table
