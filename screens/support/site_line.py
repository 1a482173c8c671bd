"""The on-site header line: warnings first and never cut, names shortened to fit.

"ALENE PÅ STEDET" (one person on site while someone is out) and "INGEN PÅ
STEDET" (nobody on site) come first, whole. Then who is on site and who is
out; when that does not fit, names are shortened step by step ("Mette H…"),
and as a last resort replaced by how many there are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from akut_tui.core.clock import local
from akut_tui.core.plural import fit_label
from akut_tui.services.night.dto import SiteStatus

ALONE = "ALENE PÅ STEDET"
NOBODY = "INGEN PÅ STEDET"


def warning(status: SiteStatus) -> str:
    """The warning the line must show in full ("" when none)."""
    if not status.on_site:
        return NOBODY
    return ALONE if status.alone else ""


def site_line(status: SiteStatus, tz: str, now: datetime, width: int) -> str:
    """Return the header line for ``status``, at most ``width`` characters, warning whole."""
    today = local(now, tz).date()

    def since(moment: datetime) -> str:
        here = local(moment, tz)
        clock = f"{here.hour:02d}:{here.minute:02d}"
        return clock if here.date() == today else f"{here.day:02d}-{here.month:02d} {clock}"

    first = warning(status)

    def build(short: Callable[[str], str], word: str) -> str:
        parts = [first] if first else []
        if status.on_site:
            parts.append("På stedet: " + ", ".join(short(n) for n in status.on_site))
        if status.out:
            out = ", ".join(f"{short(n)} {word}{since(at)}" for n, at in status.out)
            parts.append("Ude: " + out)
        return " · ".join(parts)

    names = (*status.on_site, *(n for n, _ in status.out))
    longest = max((len(n) for n in names), default=0)
    # Whole names with "siden", then without, then names shortened step by step.
    tries: list[tuple[Callable[[str], str], str]] = [(str, "siden "), (str, "")]
    tries += [(_shortener(size), "") for size in range(longest - 1, 2, -1)]
    for short, word in tries:
        line = build(short, word)
        if len(line) <= width:
            return line
    parts = [first] if first else []
    if status.on_site:
        parts.append(f"På stedet: {len(status.on_site)}")
    if status.out:
        parts.append(f"Ude: {len(status.out)} (fra {since(min(at for _, at in status.out))})")
    line = " · ".join(parts)
    return line if len(line) <= width else first


def _shortener(size: int) -> Callable[[str], str]:
    """A function that shortens a name to ``size`` characters (whole words when it can)."""
    return lambda name: fit_label(name, size)
