"""Text sanitising for every value that enters or leaves the UI.

Drops code points that can manipulate a terminal or hide text (docs/security.md
rows 12 and 15): C0 control characters (keeping newline and tab only in
multi-line fields), DEL, C1 control characters, the bidirectional embedding,
override and isolate controls, and lone surrogates.

This is *not* markup escaping: text such as ``[@click=app.quit]`` or ``[/]``
is kept literally and must be escaped separately wherever it is rendered as
Textual markup.
"""

from __future__ import annotations

import re

from akut_tui.core.cpr import contains_cpr

__all__ = ["clean_text", "is_clean", "text_problem"]


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


def text_problem(text: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """Return a Danish description of why ``text`` cannot be stored as typed, or ``""``.

    The value is refused rather than silently changed (docs/security.md row 12): a
    NUL, another control character, a lone surrogate, a direction override or
    too much text is named so the user can correct it; nothing is stripped.
    """
    for char in text:
        point = ord(char)
        if point == 0:
            return "indeholder et NUL-tegn (U+0000)"
        if 0xD800 <= point <= 0xDFFF:
            return f"indeholder et ugyldigt tegn (enlig surrogat U+{point:04X})"
        if 0x202A <= point <= 0x202E or 0x2066 <= point <= 0x2069:
            return f"indeholder et skjult retningstegn (U+{point:04X})"
        if char in "\n\t":
            if not multiline:
                return "må ikke indeholde linjeskift eller tabulator"
            continue
        if point < 0x20 or 0x7F <= point <= 0x9F:
            return f"indeholder et kontroltegn (U+{point:04X})"
    if max_length is not None and len(text) > max_length:
        return f"har for mange tegn ({len(text)}; højst {max_length})"
    return ""


def free_text_problem(
    text: str, what: str, *, multiline: bool = False, max_length: int | None = None
) -> str:
    """Return a complete Danish refusal for a free-text field ``what`` (e.g. "Noten"), or ``""``.

    Refuses what :func:`text_problem` names, and any CPR-like number
    (:func:`akut_tui.core.cpr.contains_cpr`): free text is stored in clear and
    listed unmasked, so a CPR belongs only in the CPR field.
    """

    problem = text_problem(text, multiline=multiline, max_length=max_length)
    if problem:
        return f"{what} {problem}. Ret teksten; intet er ændret."
    if contains_cpr(text):
        return (
            f"{what} indeholder noget der ligner et CPR-nummer. CPR må kun stå i "
            "CPR-feltet, hvor det er beskyttet."
        )
    return ""
