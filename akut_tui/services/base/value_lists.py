"""Value lists (codes and Danish labels) as stored in the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import ValueItem
from db.value_lists import label

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


def stored_value_lists(rt: Runtime) -> dict[str, list[tuple[str, str, bool]]]:
    """Return list name → (code, label, in use) of every stored value, retired ones included.

    For ``akut codes`` and the statistics: a retired value is still counted under its code.
    """
    lists: dict[str, list[tuple[str, str, bool]]] = {}
    with connection():
        query = (
            ValueItem.select(ValueItem.list_name, ValueItem.code, ValueItem.label, ValueItem.active)
            .order_by(ValueItem.list_name, ValueItem.sort_order, ValueItem.id)
            .tuples()
        )
        for list_name, code, label, active in cast(Iterable[tuple[str, str, str, bool]], query):
            lists.setdefault(list_name, []).append((code, label, bool(active)))
    return lists


def codes_by_list() -> dict[str, list[str]]:
    """Return list name → every code stored for it (active or not), in database order.

    Runs on the caller's connection (inside its transaction).
    """
    codes: dict[str, list[str]] = {}
    query = ValueItem.select(ValueItem.list_name, ValueItem.code).tuples()
    for list_name, code in cast(Iterable[tuple[str, str]], query):
        codes.setdefault(list_name, []).append(code)
    return codes


def label_for(list_name: str, code: str) -> str:
    """Return the packaged Danish label of ``code`` (the code itself if unknown).

    For display of stored codes where the database lists are not at hand.
    """
    found = known_label(list_name, code)
    return code if found is None else found


def known_label(list_name: str, code: str) -> str | None:
    """Return the packaged Danish label of ``code``, or ``None`` if list or code is unknown.

    The one label look-up; :func:`label_for` is its display form.
    """

    try:
        return label(list_name, code)
    except KeyError:
        return None
