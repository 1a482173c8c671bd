"""Plain text of the handover screen: figures, item rows and details, key lines, questions."""

from __future__ import annotations

from datetime import date

from akut_tui.core.clock import SHIFT_LABELS, format_date, format_time
from akut_tui.core.errors import ValidationError
from akut_tui.services.night.dto import DerivedFigures, HandoverItem, HandoverView
from akut_tui.services.night.handover import ShiftRef

HELP = (
    "t tilstand · a handling · p hvis-så · x kryds af · f fastgør · l løst\n"
    "Del slet · Enter vis · k kvittér · v forrige/denne · o historik · Esc · F1"
)
READ_ONLY_HELP = (
    "Kun læsning: Enter vis punkt · x kryds af · k kvittér\n"
    "v forrige/denne · o historik · Esc tilbage · F1 alle"
)

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


def deleted_line(item: HandoverItem, tz: str) -> str:
    """The line a deleted item leaves: "slettet af Mette kl. 03:12"."""
    when = format_time(item.deleted_at, tz) if item.deleted_at else ""
    return f"slettet af {item.deleted_by} kl. {when}"


def item_cells(item: HandoverItem, tz: str, pinned: bool) -> list[str]:
    """Table cells of one written item (a deleted one keeps only its "slettet af" line)."""
    kind = KIND_LABELS.get(item.category, item.category)
    if pinned:
        kind = "Fastgjort"
    if item.deleted_at is not None:
        return [kind, deleted_line(item, tz), "", "NY" if item.new else ""]
    who = ""
    if item.category == "handling":
        who = f"{item.owner} {format_time(item.due_at, tz) if item.due_at else ''}".strip()
    status = ""
    if item.new:
        status = "NY"  # added or changed after the signature: sign again
    elif item.resolved_at:
        status = "løst"
    elif item.done_at:
        status = f"✓ {item.done_by}"[:12]
    elif item.pinned_until:
        status = f"til {item.pinned_until.day:02d}-{item.pinned_until.month:02d}"
    return [kind, item.body.replace("\n", " "), who, status]


def item_detail(item: HandoverItem, tz: str) -> tuple[str, str, str]:
    """(title, facts, whole text) of one item, for the Enter overlay."""
    kind = KIND_LABELS.get(item.category, item.category)
    title = f"{kind} · {SHIFT_LABELS.get(item.shift, item.shift)} {format_date(item.shift_date)}"
    facts = [f"Skrevet af: {item.author or 'ukendt'}"]
    if item.category == "handling":
        due = format_time(item.due_at, tz) if item.due_at else ""
        facts.append(f"Ansvarlig: {item.owner} kl. {due}")
    if item.new:
        facts.append("NY efter kvitteringen: kvittér igen (k)")
    if item.done_at:
        facts.append(f"Krydset af: {item.done_by} kl. {format_time(item.done_at, tz)}")
    if item.pinned_until:
        facts.append(f"Fastgjort til og med {format_date(item.pinned_until)}")
    if item.resolved_at:
        facts.append("Løst")
    text = deleted_line(item, tz).capitalize() if item.deleted_at else item.body
    return title, " · ".join(facts[:2]) + "".join(f"\n{f}" for f in facts[2:]), text


def acks_line(view: HandoverView) -> str:
    """Who signed; a change after the signature asks for a new one."""
    if view.acked_by:
        return "Kvitteret af: " + ", ".join(view.acked_by)
    if view.earlier_acks:
        who = ", ".join(view.earlier_acks)
        return f"NY efter kvittering ({who}): kvittér igen (k)"
    return "Kvitteret af: ingen endnu (k kvitterer)"


def parse_date(text: str) -> date | None:
    """A dd-mm-åååå date, or None for an empty field."""
    value = text.strip()
    if not value:
        return None
    parts = value.split("-")
    try:
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError(value)
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise ValidationError("Skriv datoen som dd-mm-åååå.", "until") from None


def delete_question(item: HandoverItem) -> str:
    """The j/n question before an item is deleted."""
    kind = KIND_LABELS.get(item.category, item.category).lower()
    text = item.body if len(item.body) <= 60 else item.body[:59] + "…"
    return f"Slet {kind} “{text}”? Linjen “slettet af” bliver stående."


def dialog_ref(target: ShiftRef) -> str:
    """A handover's part of a dialog draft key: ``nat-2026-11-20``."""
    return f"{target.shift}-{target.shift_date.isoformat()}"
