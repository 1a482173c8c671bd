"""Crisis-level texts (docs/domain.md §1, the model description's wording), banners, pick lines."""

from __future__ import annotations

from rich.text import Text

from akut_tui.core.clock import format_date, local
from akut_tui.core.plural import count
from akut_tui.services.base.dto import RepeatInfo

LEVEL_HOTKEYS: dict[str, str] = {"1": "let", "2": "middel", "3": "alvorlig", "0": "ikke_krise"}
"""One key per crisis level."""

LEVEL_TEXT: dict[str, str] = {
    "let": "LET",
    "middel": "MIDDELSVÆR",
    "alvorlig": "ALVORLIG",
    "ikke_krise": "IKKE KRISE",
    "": "IKKE VURDERET",
}
"""Levels as text, so they read on monochrome terminals too."""

LEVEL_STYLE: dict[str, str] = {
    "let": "green",
    "middel": "yellow",
    "alvorlig": "bold red",
    "ikke_krise": "",
    "": "dim",
}

LEVEL_HELP: dict[str, str] = {
    "alvorlig": (
        "Alvorlig: selvmordstruet, selvskadende og/eller tæt på indlæggelse eller behov for "
        "behandling. Brug for hjælp straks: 'købe tid', dæmpe situationen eller hjælpe til "
        "indlæggelse."
    ),
    "middel": (
        "Middelsvær: brug for beroligelse og omsorg, fx panik-/angstanfald eller "
        "selvmordstanker. Selvmordstanker alene er ikke høj risiko, hvis borgeren kan indgå "
        "aftaler og tage afstand fra planer."
    ),
    "let": (
        "Let: brug for omsorg, tryghed og støtte til at håndtere situationen. Fokus: "
        "forebygge at krisen udvikler sig og støtte mestring."
    ),
    "ikke_krise": "Ikke kriserelateret: henvendelsen handler ikke om en krise.",
}


def repeat_banner(info: RepeatInfo, tz: str) -> str:
    """One line about a recognised person: counts, last contact, stay, follow-up, flag."""
    parts = [f"Kendt borger: {count(info.earlier_contacts, 'tidligere henvendelse')}"]
    if info.last_contact is not None:
        level = LEVEL_TEXT.get(info.last_level or "", "").lower()
        parts.append(f"senest {format_date(local(info.last_contact, tz).date())} ({level})")
    if info.active_stay:
        parts.append("overnatter nu")
    if info.open_followup:
        parts.append("åben opfølgning")
    if info.special_attention_until:
        parts.append(f"SÆRLIG OPMÆRKSOMHED til {info.special_attention_until}")
    return " · ".join(parts)


SHORT_LABELS = {
    "angst": "Angst",
    "nedtrykt": "Nedtrykt",
    "ensomhed": "Ensomhed",
    "isolation": "Isolation",
    "panikanfald": "Panik",
    "selvmordstanker": "Selvmordst.",
    "selvskade": "Selvskade",
    "soevnloeshed": "Søvnløs",
    "uro": "Uro",
    "rusmidler": "Rusmidler",
    "psykotiske_symptomer": "Psykotisk",
    "andet": "Andet",
    "ingen_tiltag": "Ingen",
    "ny_samtale": "Ny samtale",
    "opfordret_fremmoede": "Fremmøde",
    "opfordret_netvaerk": "Netværk",
    "overnatning": "Overnat",
    "hjulpet_videre": "Videre",
    "laege": "Læge",
    "indlaeggelse": "Indlæggelse",
    "politi_112": "Politi/112",
    "udkoerende_besoeg": "Udkørende",
    "underretning": "Underretn.",
    "112": "112",
    "psykiatrisk_skadestue": "Psyk.skadestue",
    "vagtlaege": "Vagtlæge",
    "politi": "Politi",
}


def short_label(code: str, label: str) -> str:
    """A value's label short enough for a quick-log pick line."""
    return SHORT_LABELS.get(code, label[:12])


def picks_line(title: str, keys: str, options: list[tuple[str, str]], chosen: list[str]) -> Text:
    """One quick-log pick line ("Symptom a[x]Angst b[ ]Nedtrykt ..."), wrapped at 78."""
    text = Text(title.ljust(8), style="bold")
    column = 8
    for key, (code, label) in zip(keys, options, strict=False):
        item = f"{key}[{'x' if code in chosen else ' '}]{short_label(code, label)} "
        if column + len(item) > 78:
            text.append("\n" + " " * 8)
            column = 8
        text.append(item, style="reverse" if code in chosen else "")
        column += len(item)
    return text
