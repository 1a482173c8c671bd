"""Plain-text rendering of a handover: the derived figures and the item rows."""

from __future__ import annotations

from akut_tui.clock import format_time
from akut_tui.services.night_dto import DerivedFigures, HandoverItem

KIND_LABELS = {
    "situation": "Situation",
    "fri": "Fri tekst",
    "handling": "Handling",
    "hvis_saa": "Hvis-så",
}


def figures_text(figures: DerivedFigures, tz: str) -> str:
    """The derived part as a few plain lines."""
    levels = " · ".join(f"{label} {n}" for label, n in figures.contacts_by_level) or "ingen"
    lines = [f"Henvendelser {figures.contacts_total}: {levels}"]
    extra = [f"{label} {n}" for label, n in figures.escalations]
    line = f"Alvorlige: {figures.severe}" + (" · Eskaleret: " + ", ".join(extra) if extra else "")
    turned = ", ".join(f"{label} {n}" for label, n in figures.turned_away)
    lines.append(line + (f" · Afvist: {turned}" if turned else ""))
    beds = (
        f"{name} {text.replace(' · beslutning mangler', ' MANGLER').replace(' · ', ' ')}"
        for name, text in figures.beds
    )
    lines.append("Senge: " + " | ".join(beds))
    lines.append(
        f"Opfølgninger til og med i morgen: {figures.followups_due} · "
        f"Ønsket seng, ingen ledig: {figures.unmet_bed_requests}"
    )
    trips = ", ".join(
        f"{t.user} {format_time(t.departed_at, tz)}–"
        + (format_time(t.returned_at, tz) if t.returned_at else "ude")
        for t in figures.trips
    )
    lines.append("Udkørsel: " + (trips or "ingen"))
    return "\n".join(lines)


def item_cells(item: HandoverItem, tz: str, pinned: bool) -> list[str]:
    """Table cells of one written item."""
    kind = KIND_LABELS.get(item.category, item.category)
    if pinned:
        kind = "Fastgjort"
    who = ""
    if item.category == "handling":
        who = f"{item.owner} {format_time(item.due_at, tz) if item.due_at else ''}".strip()
    status = ""
    if item.resolved_at:
        status = "løst"
    elif item.done_at:
        status = f"✓ {item.done_by}"[:12]
    elif item.pinned_until:
        status = f"til {item.pinned_until.day:02d}-{item.pinned_until.month:02d}"
    return [kind, item.body.replace("\n", " "), who, status]
