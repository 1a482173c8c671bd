"""Text columns that refuse a value the CPR detector has not passed (issue 15 §5).

The db layer imports nothing of ours, so the detector is installed from outside
(:mod:`akut_tui.services.base.storage` does it on import) with :func:`install_text_check`.
Every free-text or coded text column of every model is a :class:`CheckedCharField`
or :class:`CheckedTextField`: each value is checked in ``db_value``, the one place
Peewee converts a value for ``INSERT`` and ``UPDATE`` (``save``, ``create``,
``insert_many``, ``update`` and :mod:`db.bulk` alike). Until a check is installed
no text can be stored at all (fail closed). Comparisons in ``WHERE`` clauses are not
checked (``_coerce = False``): looking a value up stores nothing.

The few columns that hold a CPR, a digest or a typed form by design are plain
Peewee fields, listed with their reason in :data:`db.models.UNCHECKED_TEXT_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee as pw

__all__ = ["CheckedCharField", "CheckedTextField", "TextRefused", "install_text_check"]

TextCheck = Callable[[str], bool]
"""Returns True when the text may be stored (it holds nothing CPR-like)."""

_check: list[TextCheck] = []


class TextRefused(ValueError):
    """A text column was given a value its check refused; names the column, never the value."""

    def __init__(self, column: str, field_name: str) -> None:
        super().__init__(f"text refused for column {column}: it holds a CPR-like number")
        self.column = column
        self.field_name = field_name


def install_text_check(check: TextCheck) -> None:
    """Install ``check`` as the one test every checked text column applies."""
    _check[:] = [check]


def _checked(field: pw.Field, value: Any) -> Any:
    """Return ``value`` if it may be stored in ``field``; raise :class:`TextRefused` if not."""
    if isinstance(value, str) and value:
        column = f"{field.model._meta.table_name}.{field.column_name}"
        if not _check:
            raise RuntimeError(f"no text check installed; refusing to store {column}")
        if not _check[0](value):
            raise TextRefused(column, field.name)
    return value


def _as_text(value: Any) -> Any:
    """Coerce a value to text as Peewee's text fields do (None stays None)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


class CheckedCharField(pw.CharField):
    """A ``CharField`` whose stored values must pass the installed text check."""

    _coerce = False

    def db_value(self, value: Any) -> Any:
        """Convert as ``CharField`` does, then refuse a value the check does not pass."""
        return _checked(self, _as_text(value))


class CheckedTextField(pw.TextField):
    """A ``TextField`` whose stored values must pass the installed text check."""

    _coerce = False

    def db_value(self, value: Any) -> Any:
        """Convert as ``TextField`` does, then refuse a value the check does not pass."""
        return _checked(self, _as_text(value))
