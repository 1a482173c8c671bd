"""Plain statistics values to JSON and back, types kept (for the year cache).

The cache (:mod:`akut_tui.services.statistics.year_cache`) stores unsuppressed tables,
suppression decisions and the merged answers of shared queries. JSON keeps numbers,
text and ``None``; every container becomes an array tagged by its kind (list, tuple,
dict, counter, date and time, decimal, one of the statistics dataclasses, whose fields
go by position), so a decoded value equals the one encoded. Nothing is executed or
imported on decoding: only the dataclasses named in :data:`CLASSES` are made.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, overload

from akut_tui.services.statistics.dto import Bound, Identity, RawRow, RawTable
from akut_tui.services.statistics.joint_suppression import Decision

CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (RawTable, RawRow, Identity, Bound, Decision)
}
"""The dataclasses a cached value may hold, by name."""


T = TypeVar("T")

LIST, TUPLE, DICT, COUNTER, DATETIME, DATE, DECIMAL, OBJECT = range(8)
"""Tags: every container is a JSON array whose first item says what it was."""


def encode(value: Any) -> Any:
    """``value`` as JSON-able data: scalars as they are, anything else a tagged array."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [LIST, *(encode(v) for v in value)]
    if isinstance(value, tuple):
        return [TUPLE, *(encode(v) for v in value)]
    if isinstance(value, dict):
        tag = COUNTER if isinstance(value, Counter) else DICT
        return [tag, [encode(k) for k in value], [encode(v) for v in value.values()]]
    if isinstance(value, datetime):
        return [DATETIME, value.isoformat()]
    if isinstance(value, date):
        return [DATE, value.isoformat()]
    if isinstance(value, Decimal):
        return [DECIMAL, str(value)]
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and CLASSES.get(name) is type(value):
        return [OBJECT, name, *(encode(getattr(value, f.name)) for f in dataclasses.fields(value))]
    raise TypeError(f"cannot cache a {name}")


def decode(data: Any) -> Any:
    """The value :func:`encode` was given."""
    if not isinstance(data, list):
        return data
    tag = data[0]
    if tag == LIST:
        return [decode(v) for v in data[1:]]
    if tag == TUPLE:
        return tuple(decode(v) for v in data[1:])
    if tag in (DICT, COUNTER):
        made = dict(zip((decode(k) for k in data[1]), (decode(v) for v in data[2]), strict=True))
        return Counter(made) if tag == COUNTER else made
    if tag == DATETIME:
        return datetime.fromisoformat(data[1])
    if tag == DATE:
        return date.fromisoformat(data[1])
    if tag == DECIMAL:
        return Decimal(data[1])
    return CLASSES[data[1]](*(decode(v) for v in data[2:]))


class Decoded(Sequence[T]):
    """A list of encoded items decoded one by one when first read: a cached year's
    tables are many, and a longer period reads few of them (a month's ``contacts`` only)."""

    def __init__(self, encoded: list[Any]) -> None:
        """``encoded``: each item as :func:`encode` made it."""
        self.encoded = encoded
        self.items: list[Any] = [None] * len(encoded)
        self.done = [False] * len(encoded)

    def __len__(self) -> int:
        """The number of items."""
        return len(self.encoded)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        """One item, decoded on first read (a slice: a plain list)."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not self.done[index]:
            self.items[index] = decode(self.encoded[index])
            self.done[index] = True
        item: T = self.items[index]
        return item

    def __iter__(self) -> Iterator[T]:
        """The items in order."""
        return (self[i] for i in range(len(self)))


def pack(data: Any) -> bytes:
    """JSON-able ``data`` (see :func:`encode`) as compressed JSON."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(blob: bytes) -> Any:
    """The JSON-able data :func:`pack` was given."""
    return json.loads(zlib.decompress(blob).decode("utf-8"))
