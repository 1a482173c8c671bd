"""Text sanitising for every value that enters or leaves the UI.

Drops code points that can manipulate a terminal or hide text (SECURITY.md
rows 12 and 15): C0 control characters (keeping newline and tab only in
multi-line fields), DEL, C1 control characters, the bidirectional embedding,
override and isolate controls, and lone surrogates.

This is *not* markup escaping: text such as ``[@click=app.quit]`` or ``[/]``
is kept literally and must be escaped separately wherever it is rendered as
Textual markup.
"""

from __future__ import annotations

import re

__all__ = ["clean_text", "is_clean"]


def _removed_code_points() -> list[int]:
    """Return every code point that is always removed, regardless of mode."""
    points: list[int] = []
    points.extend(c for c in range(0x00, 0x20) if c not in (0x09, 0x0A))  # C0 incl. NUL
    points.append(0x7F)  # DEL
    points.extend(range(0x80, 0xA0))  # C1
    points.extend(range(0x202A, 0x202F))  # LRE, RLE, PDF, LRO, RLO
    points.extend(range(0x2066, 0x206A))  # LRI, RLI, FSI, PDI
    points.extend(range(0xD800, 0xE000))  # lone surrogates
    return points


_REMOVED: frozenset[int] = frozenset(_removed_code_points())

_MULTILINE_TABLE: dict[int, int | None] = dict.fromkeys(_REMOVED)
_SINGLE_LINE_TABLE: dict[int, int | None] = {
    **_MULTILINE_TABLE,
    0x09: 0x20,
    0x0A: 0x20,
}

_UNSAFE_MULTILINE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_text(text: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """Return ``text`` with terminal-unsafe code points removed.

    Removes C0 controls (including NUL), DEL, C1 controls, the bidi controls
    U+202A-U+202E and U+2066-U+2069, and lone surrogates. With
    ``multiline=True`` newline and tab are kept; otherwise each is replaced
    by a single space. If ``max_length`` is given the cleaned result is cut
    to at most that many code points.
    """
    if max_length is not None and max_length < 0:
        raise ValueError("max_length must be >= 0")
    if multiline:
        if _UNSAFE_MULTILINE.search(text) is not None:
            text = text.translate(_MULTILINE_TABLE)
    elif _UNSAFE_SINGLE_LINE.search(text) is not None:
        text = text.translate(_SINGLE_LINE_TABLE)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length]
    return text


def is_clean(text: str, *, multiline: bool = False) -> bool:
    """Return True if ``clean_text(text, multiline=multiline)`` would not change ``text``.

    Length limits are not considered.
    """
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_SINGLE_LINE
    return pattern.search(text) is None
