"""The on-site header line at 80 columns (issue 14 §6): warnings first, whole; names fit."""

from __future__ import annotations

from datetime import UTC, datetime

from akut_tui.services.night.dto import SiteStatus
from screens.support.site_line import site_line

TZ = "Europe/Copenhagen"
NOW = datetime(2026, 11, 21, 0, 50, tzinfo=UTC)  # 01:50 local
OUT = datetime(2026, 11, 21, 0, 40, tzinfo=UTC)  # 01:40 local
WIDTH = 76


def _status(on_site: tuple[str, ...], out: tuple[str, ...]) -> SiteStatus:
    return SiteStatus(
        on_site, tuple((n, OUT) for n in out), "", alone=len(on_site) == 1 and bool(out)
    )


def test_short_names_are_shown_whole() -> None:
    line = site_line(_status(("Mette",), ("Jonas",)), TZ, NOW, WIDTH)
    assert line == "ALENE PÅ STEDET · På stedet: Mette · Ude: Jonas siden 01:40"


def test_nobody_on_site_is_a_warning() -> None:
    line = site_line(_status((), ("Jonas", "Mette")), TZ, NOW, WIDTH)
    assert line == "INGEN PÅ STEDET · Ude: Jonas siden 01:40, Mette siden 01:40"
    assert site_line(_status((), ()), TZ, NOW, WIDTH) == "INGEN PÅ STEDET"


def test_long_names_are_shortened_and_the_warning_stays_whole() -> None:
    status = _status(
        ("Mette Christensen-Andersen",),
        ("Jonas Østergaard Pedersen", "Karoline Bach-Johannessen"),
    )
    line = site_line(status, TZ, NOW, WIDTH)
    assert len(line) <= WIDTH
    assert line.startswith("ALENE PÅ STEDET · På stedet: Mette")
    assert "Jonas" in line and "Karoline" in line and "01:40" in line


def test_too_many_names_become_counts() -> None:
    many = tuple(f"Kollega nummer {i}" for i in range(12))
    line = site_line(_status(("Mette",), many), TZ, NOW, WIDTH)
    assert line == "ALENE PÅ STEDET · På stedet: Mette · Ude: 12 (fra 01:40)" or (
        line.startswith("ALENE PÅ STEDET · ") and len(line) <= WIDTH
    )
