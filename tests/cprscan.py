"""Test helper: the text of an audit row as scanned for CPR numbers.

The ``mac`` and ``prev_hash`` columns are 64 hex digits from HMAC-SHA256;
they are excluded because a run of ten decimal digits inside random hex can
look like a date-plausible CPR about once in 400 digests, which would make
the scans flaky. Every other column is included.
"""

from __future__ import annotations

from typing import Any

DIGEST_COLUMNS = ("mac", "prev_hash")


def row_text(data: dict[str, Any]) -> str:
    """Join every non-digest value of a model's ``__data__`` with spaces."""
    return " ".join(str(v) for k, v in data.items() if k not in DIGEST_COLUMNS)
