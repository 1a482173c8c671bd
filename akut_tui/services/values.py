"""Value lists (codes and Danish labels) as stored in the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from akut_tui.services.runtime import Runtime
from db.database import connection
from db.models import ValueItem

ValueLists = dict[str, list[tuple[str, str]]]
"""List name → ordered (code, label) pairs."""


def load_value_lists(rt: Runtime) -> ValueLists:
    """Return every active value list, in display order."""
    lists: ValueLists = {}
    with connection():
        query = (
            ValueItem.select(ValueItem.list_name, ValueItem.code, ValueItem.label)
            .where(ValueItem.active == True)  # noqa: E712 - Peewee expression
            .order_by(ValueItem.list_name, ValueItem.sort_order, ValueItem.id)
            .tuples()
        )
        rows = cast(Iterable[tuple[str, str, str]], query)
        for list_name, code, label in rows:
            lists.setdefault(list_name, []).append((code, label))
    return lists


def label_for(list_name: str, code: str) -> str:
    """Return the packaged Danish label of ``code`` (the code itself if unknown).

    For display of stored codes where the database lists are not at hand.
    """
    from db.values import label

    try:
        return label(list_name, code)
    except KeyError:
        return code
