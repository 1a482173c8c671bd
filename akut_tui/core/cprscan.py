"""The one CPR detector: finds CPR-like numbers in free text, however they are spelled.

The text is first read as a *view* of digits, letters and separators:

* format and invisible characters are ignored (Unicode categories Cf, Mn and Me,
  which hold zero-width and direction marks, variation selectors, U+034F and the
  tag characters, plus fillers such as U+3164, U+115F, U+1160, U+FFA0, U+180E and
  U+2800);
* every character is NFKC-folded (full-width, superscript and circled digits,
  compatibility dashes) and a decimal digit of any script counts as a digit;
* any other character that is not a letter or digit is a separator.

Digits written without a separator between them form a *group*; groups joined by
runs of separators only (no letter) form a *chain*. A candidate is a run of whole
consecutive groups of a chain holding 10 digits (``DD MM YY NNNN``) or 12 digits
(``DD MM YYYY NNNN``) that

* is a whole token: only whitespace, a comma or a semicolon joins it to other digits;
* has separators only after the day, the month and the year, or in the middle of the
  last four when the year is set apart too and the split is not a clock time
  (``010190-12 34``, not ``24.11.25 18.40``); five separated pairs need one separator
  throughout and nothing else joined on; a number written digit by digit may be split
  anywhere;
* has no colon after the day or the month (``14:02:19.7645`` is a clock time);
* gives a real birth date not after today, the century coming from the seventh digit
  (a four-digit year must agree with it, so ``12.03.2026 10:30`` is not a CPR);
* holds no ``+45`` phone prefix inside it.

The false-positive rate on 1,000 realistic notes is printed by
``benchmarks/cpr_false_positives.py`` (corpus ``tests/data/cpr_false_positive_notes.txt``).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["REDACTED", "contains_cpr", "find_cpr", "redact_cpr"]

REDACTED = "XXXXXX-XXXX"

_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u180e\u2800\u17b4\u17b5")
_IGNORED_CATEGORIES = frozenset({"Cf", "Mn", "Me"})

_DIGIT, _LETTER, _SEPARATOR = "d", "l", "s"
_ASCII_DIGITS = "0123456789"


@dataclass(frozen=True, slots=True)
class _Group:
    """A run of digits written together, the separators before it and its original span.

    ``before`` holds the separator characters between the previous group of the
    chain and this one ("" for the first group of a chain).
    """

    digits: str
    start: int
    end: int
    before: str


def _classify(char: str) -> list[tuple[str, str]]:
    """Return the (kind, ascii digit or '') items one original character contributes."""
    if char.isascii():
        if char.isdigit():
            return [(_DIGIT, char)]
        return [(_LETTER, "")] if char.isalpha() else [(_SEPARATOR, "")]
    if char in _FILLERS or unicodedata.category(char) in _IGNORED_CATEGORIES:
        return []
    items: list[tuple[str, str]] = []
    for folded in unicodedata.normalize("NFKC", char):
        if folded in _FILLERS or unicodedata.category(folded) in _IGNORED_CATEGORIES:
            continue
        value = unicodedata.decimal(folded, None)
        if value is not None:
            items.append((_DIGIT, str(value)))
        elif folded.isalnum():
            items.append((_LETTER, ""))
        else:
            items.append((_SEPARATOR, ""))
    return items


def _view(text: str) -> tuple[str, list[int] | None]:
    """Return ``text`` as ASCII digits, letters (``a``) and separators, and each character's origin.

    ASCII text is its own view (``None`` for the index map). Otherwise invisible
    characters are dropped, digits of any script become ASCII digits, other letters
    ``a``, whitespace a space, and other separators their NFKC form if ASCII, else ``-``.
    """
    if text.isascii():
        return text, None
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            chars.append(char)
            origin.append(index)
            continue
        for kind, digit in _classify(char):
            if kind == _DIGIT:
                chars.append(digit)
            elif kind == _LETTER:
                chars.append("a")
            else:
                folded = unicodedata.normalize("NFKC", char)
                chars.append(" " if char.isspace() else folded if folded.isascii() else "-")
            origin.append(index)
    return "".join(chars), origin


_TOKEN = re.compile(r"([0-9]+)|([A-Za-z]+)|([^0-9A-Za-z]+)")


def _chains(text: str) -> list[list[_Group]]:
    """Split ``text`` into chains of digit groups joined only by separators."""
    view, origin = _view(text)
    chains: list[list[_Group]] = []
    chain: list[_Group] = []
    before = ""
    for token in _TOKEN.finditer(view):
        digits, letters, separators = token.groups()
        if digits:
            start, end = token.span()
            if origin is not None:
                start, end = origin[start], origin[end - 1] + 1
            chain.append(_Group(digits, start, end, before if chain else ""))
            before = ""
        elif letters:
            if chain:
                chains.append(chain)
                chain = []
            before = ""
        else:
            before = separators
    if chain:
        chains.append(chain)
    return chains


def _birth_date(digits: str) -> datetime.date | None:
    """Return the birth date 10 or 12 CPR-shaped digits give, or None if there is none yet.

    The century comes from the seventh digit of the number as in :mod:`akut_tui.core.cpr`;
    a date that does not exist or lies after today is not a CPR number.
    """
    year_digits = digits[4:-4]
    seventh = int(digits[-4])
    yy = int(year_digits[-2:])
    if seventh <= 3:
        year = 1900 + yy
    elif seventh in (4, 9):
        year = (2000 if yy <= 36 else 1900) + yy
    else:
        year = (2000 if yy <= 57 else 1800) + yy
    if len(year_digits) == 4 and int(year_digits) != year:
        return None
    try:
        born = datetime.date(year, int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return None
    return born if born <= datetime.date.today() else None


_TOKEN_BREAKS = frozenset(",;")
_TIME_MARKS = frozenset({":", "."})


def _breaks_token(separators: str) -> bool:
    """Return True if a separator run ends a token: it holds whitespace, a comma or a semicolon."""
    return any(c.isspace() or c in _TOKEN_BREAKS for c in separators)


def _splits_allowed(splits: dict[int, str], length: int, whole_chain: bool) -> bool:
    """Return True if separators at digit positions ``splits`` fit a CPR spelling.

    ``splits`` maps a digit position to the separators written there.
    """
    year_end = 6 if length == 10 else 8
    allowed = {2, 4, 6, year_end, year_end + 2}
    if not splits.keys() <= allowed:
        return False
    if any(":" in splits.get(position, "") for position in (2, 4)):
        return False  # a colon joins hours, minutes and seconds (14:02:19.7645), never a date
    last_four = splits.get(year_end + 2)
    if last_four is None:
        return True
    # A split last four needs the year set apart, and is not a clock time (18.40, 18:40).
    if year_end not in splits or last_four.strip() in _TIME_MARKS:
        return False
    # Five pairs in a row (``01 01 60 12 35``) only when nothing else is joined to them
    # and one separator is used throughout: two-digit pairs with mixed separators are
    # how phone numbers, dates and times are written (``05:05 17/01/26``).
    if length == 12 or len(splits) < 4:
        return True
    return whole_chain and len({sep.strip() or " " for sep in splits.values()}) == 1


def _is_cpr(
    chain: list[_Group], first: int, last: int, digits: str, splits: dict[int, str]
) -> bool:
    """Return True if groups ``first..last`` of ``chain`` (10 or 12 digits) read as a CPR number."""
    if _birth_date(digits) is None:
        return False
    if any(g.digits == "45" and g.before.endswith("+") for g in chain[first + 1 : last + 1]):
        return False  # a Danish phone number's country code starts a new number
    # The candidate is a whole token: nothing but a space, comma or semicolon joins it
    # to other digits (``19:15 06.05.2026`` is a time and a date, not a CPR).
    if first > 0 and not _breaks_token(chain[first].before):
        return False
    if last + 1 < len(chain) and not _breaks_token(chain[last + 1].before):
        return False
    if all(len(g.digits) == 1 for g in chain[first : last + 1]):
        return True  # spaced out digit by digit
    whole_chain = first == 0 and last == len(chain) - 1
    return _splits_allowed(splits, len(digits), whole_chain)


def find_cpr(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of every CPR-like substring in ``text``, merged and sorted.

    This is the one CPR detector used for login names, nicknames, notes, every
    free-text column (through the model layer), audit fields and error logs. Spans
    index the original text, invisible characters included.
    """
    if text.isascii() and sum(map(text.count, _ASCII_DIGITS)) < 10:
        return []  # fast path: every text column of every write passes through here
    spans: list[tuple[int, int]] = []
    for chain in _chains(text):
        for first in range(len(chain)):
            digits = ""
            splits: dict[int, str] = {}
            for last in range(first, len(chain)):
                if last > first:
                    splits[len(digits)] = chain[last].before
                digits += chain[last].digits
                if len(digits) > 12:
                    break
                if len(digits) in (10, 12) and _is_cpr(chain, first, last, digits, splits):
                    spans.append((chain[first].start, chain[last].end))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return ``spans`` sorted with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def contains_cpr(text: str) -> bool:
    """Return True if ``text`` holds a CPR-like number in any spelling :func:`find_cpr` knows."""
    return bool(find_cpr(text))


def redact_cpr(text: str) -> str:
    """Replace every CPR-like substring in ``text`` with ``XXXXXX-XXXX`` (nothing else changes)."""
    parts: list[str] = []
    position = 0
    for start, end in find_cpr(text):
        parts.append(text[position:start])
        parts.append(REDACTED)
        position = end
    parts.append(text[position:])
    return "".join(parts)
