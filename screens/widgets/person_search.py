"""A one-row field for a nickname or a CPR number that hides a typed CPR once searched.

When Enter searches with a CPR number in the field, the field shows it masked
(``010190-XXXX``) from then on and keeps the digits only in memory, so the
full number does not stay on the screen. Enter again with the masked text
unchanged searches with the kept number; any edit starts afresh.
"""

from __future__ import annotations

import re
from typing import Any

from akut_tui.core.cpr import mask_cpr
from screens.widgets.text import TextInput

_TYPED_CPR = re.compile(r"\s*(\d{6})[- ]?(\d{4})\s*")


class PersonSearchInput(TextInput):
    """A search field whose typed CPR is masked once it has been searched for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: tuple[str, str] | None = None
        """(masked text shown, the number as typed)."""

    def take(self) -> str:
        """The text to search for; a typed CPR is masked in the field from now on."""
        value = self.value
        if self._kept is not None and value == self._kept[0]:
            return self._kept[1]
        match = _TYPED_CPR.fullmatch(value)
        if match is None:
            self._kept = None
            return value
        masked = mask_cpr(match[1] + match[2])
        self._kept = (masked, value)
        self.value = masked
        self.cursor_position = len(masked)
        return value
