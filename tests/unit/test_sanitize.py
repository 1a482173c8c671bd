"""Tests for terminal-safe text cleaning (docs/security.md rows 12 and 15)."""

from __future__ import annotations

import time

import pytest

from akut_tui.core.sanitize import clean_text, is_clean

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
C0_EXCEPT_NL_TAB = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
C1 = [chr(c) for c in range(0x80, 0xA0)]


def _forbidden(ch: str, *, multiline: bool) -> bool:
    c = ord(ch)
    if c in (0x09, 0x0A):
        return not multiline
    return (
        c < 0x20
        or 0x7F <= c <= 0x9F
        or 0x202A <= c <= 0x202E
        or 0x2066 <= c <= 0x2069
        or 0xD800 <= c <= 0xDFFF
    )


@pytest.mark.parametrize(
    ("raw", "single", "multi"),
    [
        ("Hej med dig", "Hej med dig", "Hej med dig"),
        ("æøå ÆØÅ é ü ß 😀", "æøå ÆØÅ é ü ß 😀", "æøå ÆØÅ é ü ß 😀"),
        ("\x1b[2J", "[2J", "[2J"),
        ("før\x1b[2Jefter", "før[2Jefter", "før[2Jefter"),
        ("\x1b]52;c;aGVqCg==\x07", "]52;c;aGVqCg==", "]52;c;aGVqCg=="),
        ("\x1b]0;titel\x1b\\", "]0;titel\\", "]0;titel\\"),
        ("\x1b[6n", "[6n", "[6n"),
        ("\x9b2J", "2J", "2J"),
        ("\x9d52;c;x\x9c", "52;c;x", "52;c;x"),
        ("abc\u202eevil\u202c", "abcevil", "abcevil"),
        ("\u2066isoleret\u2069", "isoleret", "isoleret"),
        ("a\x00b", "ab", "ab"),
        ("a\x7fb", "ab", "ab"),
        ("a\x08b", "ab", "ab"),
        ("linje1\nlinje2", "linje1 linje2", "linje1\nlinje2"),
        ("a\tb", "a b", "a\tb"),
        ("a\r\nb", "a b", "a\nb"),
        ("a\rb", "ab", "ab"),
        ("a\ud800b", "ab", "ab"),
        ("a\udfffb", "ab", "ab"),
        ("[@click=app.quit]Klik[/]", "[@click=app.quit]Klik[/]", "[@click=app.quit]Klik[/]"),
        ("[/]", "[/]", "[/]"),
        ("[b red]fed[/b red]", "[b red]fed[/b red]", "[b red]fed[/b red]"),
        ("\u200b\u200d\ufeff", "\u200b\u200d\ufeff", "\u200b\u200d\ufeff"),  # not in scope
        ("", "", ""),
    ],
)
def test_clean_text_table(raw: str, single: str, multi: str) -> None:
    assert clean_text(raw) == single
    assert clean_text(raw, multiline=True) == multi
    assert is_clean(single)
    assert is_clean(multi, multiline=True)
    assert is_clean(raw) == (raw == single)
    assert is_clean(raw, multiline=True) == (raw == multi)


@pytest.mark.parametrize("ch", C0_EXCEPT_NL_TAB + ["\x7f"] + C1 + BIDI + ["\ud800", "\udbff"])
def test_every_forbidden_code_point_removed(ch: str) -> None:
    assert clean_text(f"x{ch}y") == "xy"
    assert clean_text(f"x{ch}y", multiline=True) == "xy"
    assert not is_clean(ch)
    assert not is_clean(ch, multiline=True)


def test_newline_and_tab_depend_on_mode() -> None:
    assert not is_clean("a\nb")
    assert is_clean("a\nb", multiline=True)
    assert not is_clean("a\tb")
    assert is_clean("a\tb", multiline=True)


def test_no_forbidden_code_point_survives_full_range() -> None:
    text = "".join(chr(c) for c in range(0x0, 0x2100))
    for multiline in (False, True):
        cleaned = clean_text(text, multiline=multiline)
        assert not any(_forbidden(ch, multiline=multiline) for ch in cleaned)
        assert is_clean(cleaned, multiline=multiline)


def test_idempotent() -> None:
    raw = "a\x1b[31m\u202eb\n\tc\x9b\x00"
    once = clean_text(raw)
    assert clean_text(once) == once
    once_ml = clean_text(raw, multiline=True)
    assert clean_text(once_ml, multiline=True) == once_ml


@pytest.mark.parametrize(
    ("raw", "max_length", "expected"),
    [
        ("abcdef", 3, "abc"),
        ("abc", 3, "abc"),
        ("abc", 10, "abc"),
        ("abc", 0, ""),
        ("\x1b\x1b\x1babc", 3, "abc"),  # limit applies after cleaning
        ("æøåæøå", 4, "æøåæ"),
    ],
)
def test_max_length(raw: str, max_length: int, expected: str) -> None:
    assert clean_text(raw, max_length=max_length) == expected


def test_negative_max_length_rejected() -> None:
    with pytest.raises(ValueError):
        clean_text("abc", max_length=-1)


def test_one_megabyte_input() -> None:
    chunk = "Borgeren ringer\x1b[2J og er ked af det\u202e.\n"
    raw = chunk * (1_048_576 // len(chunk) + 1)
    assert len(raw) >= 1_048_576
    start = time.perf_counter()
    cleaned = clean_text(raw, multiline=True)
    single = clean_text(raw)
    elapsed = time.perf_counter() - start
    removed_per_chunk = 2  # ESC and RLO
    n = raw.count(chunk)
    assert len(cleaned) == len(raw) - removed_per_chunk * n
    assert len(single) == len(cleaned)
    assert "\n" not in single
    assert elapsed < 1.0


def test_one_megabyte_clean_input_unchanged() -> None:
    raw = "a" * 1_048_576
    assert clean_text(raw) == raw
    assert len(clean_text(raw, max_length=1000)) == 1000
