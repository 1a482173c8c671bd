"""Textual's terminal parser keeps a burst's keys in order (issue 7 item 1).

The keys of a one-read burst were lost or reordered *after* parsing, in Textual's
key dispatch (see akut_tui/tui_kit/typeahead.py); this pins down that the parser is not
the cause, so a Textual upgrade that changes it is noticed.
"""

from __future__ import annotations

from textual import events
from textual._xterm_parser import XTermParser


def _keys(data: str) -> list[str]:
    parser = XTermParser()
    return [m.key for m in parser.feed(data) if isinstance(m, events.Key)]


def test_f2_burst_parses_in_order() -> None:
    assert _keys("\x1bOQ2a\x13") == ["f2", "2", "a", "ctrl+s"]


def test_backspace_then_digits_parse_in_order() -> None:
    assert _keys("\x7f\x7f45\x7f7") == ["backspace", "backspace", "4", "5", "backspace", "7"]
