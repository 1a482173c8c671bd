"""Text and dialogs of the bed board: cell texts, input parsing, the check-in dialog."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from akut_tui.clock import format_date, local, zone
from akut_tui.errors import ValidationError
from akut_tui.services import nights, stays
from akut_tui.services.dto import SessionInfo
from akut_tui.services.night_dto import (
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    RESERVED,
    BedCell,
    StayResult,
)
from akut_tui.services.runtime import Runtime
from screens.dialogs.night import YES_NO, NightDialog, choice_field, text_field, yes_no

SHORT_DECISION = {"forlaeng": "Forlæng", "afslut": "Afslut", "henvist": "Henvist"}


def cell_text(cell: BedCell, tonight: bool) -> str:
    """The text of one board cell; tonight's occupied beds show the decision."""
    text = cell.label()
    if tonight and cell.status == OCCUPIED:
        text += " · " + (
            "MANGLER" if cell.decision is None else SHORT_DECISION.get(cell.decision, "")
        )
    return text


def detail_text(name: str, cell: BedCell) -> str:
    """The line under the table for the selected bed (tonight)."""
    if cell.status == FREE:
        return f"{name}: ledig i nat. t tjekker ind, e reserverer."
    if cell.status == OUT_OF_SERVICE:
        return f"{name}: ude af drift" + (f" ({cell.reason})" if cell.reason else "") + "."
    who = f"{cell.guest} ({cell.cpr_masked})"
    if cell.status == RESERVED:
        return f"{name}: reserveret til {who}. a ankommet, c annullér."
    if cell.overdue:
        night = cell.night_label
        return f"{name}: {who} blev aldrig tjekket ud efter nat {night}. x tjek ud, d beslut."
    decision = (
        "beslutning for i nat mangler (d)"
        if cell.decision_missing
        else f"i nat: {SHORT_DECISION.get(cell.decision or '', '')}"
    )
    return f"{name}: {who} · nat {cell.night_label} · ud {cell.checkout} · {decision}"


def parse_contact(text: str) -> int | None:
    """An optional contact number (ASCII digits)."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValidationError("Henvendelsesnummeret skal være et tal.", "contact")
    return int(text)


def parse_clock(text: str, now: datetime, tz_name: str) -> datetime:
    """``TT:MM`` today (or yesterday, if that time has not come yet) as an aware time."""
    value = text.strip()
    parts = value.split(":")
    if (
        len(parts) != 2
        or not all(p.isascii() and p.isdigit() and len(p) == 2 for p in parts)
        or int(parts[0]) > 23
        or int(parts[1]) > 59
    ):
        raise ValidationError("Skriv tidspunktet som TT:MM.", "at")
    here = local(now, tz_name)
    moment = here.replace(hour=int(parts[0]), minute=int(parts[1]), second=0, microsecond=0)
    if moment > here:
        moment -= timedelta(days=1)
    return moment.astimezone(zone("UTC"))


def check_in_dialog(
    rt: Runtime,
    session: SessionInfo,
    bed_id: int,
    name: str,
    nights_: tuple[date, ...],
    reserve: bool,
    contact_id: int | None = None,
) -> NightDialog:
    """The check-in (or reservation) dialog for one bed."""
    fields = [
        text_field("cpr_text", "CPR (påkrævet)", placeholder="DDMMÅÅ-NNNN"),
        text_field("nickname", "Kaldenavn"),
    ]
    if reserve:
        options = [(n.isoformat(), format_date(n)) for n in nights_]
        fields.append(choice_field("night", "Nat", options))
    else:
        fields += [
            choice_field("intoxicated", "Påvirket?", YES_NO),
            choice_field("threatening", "Truende?", YES_NO),
            choice_field("disturbing", "Til gene for andre?", YES_NO),
        ]
    fields += [
        text_field("contact", "Henvendelse nr.", str(contact_id) if contact_id else ""),
        text_field("override_reason", "Undtagelse, grund"),
    ]

    def submit(values: dict[str, str]) -> StayResult:
        form = stays.CheckInInput(
            bed_id=bed_id,
            cpr_text=values["cpr_text"],
            nickname=values["nickname"],
            intoxicated=yes_no(values.get("intoxicated", "")),
            threatening=yes_no(values.get("threatening", "")),
            disturbing=yes_no(values.get("disturbing", "")),
            contact_id=parse_contact(values["contact"]),
            override_reason=values["override_reason"],
            reserve=reserve,
            night=date.fromisoformat(values["night"]) if reserve else None,
        )
        return stays.check_in(rt, session, form)

    what = "Reservér" if reserve else "Tjek ind i"
    return NightDialog(
        f"{what} {name}",
        fields,
        submit,
        dialog=f"beds.{'reserve' if reserve else 'check_in'}:{bed_id}",
        note="Afvist CPR kan ikke bruges ved overnatning. Undtagelse: kun leder.",
    )


DECISIONS = [("forlaeng", "Forlæng"), ("afslut", "Afslut"), ("henvist", "Henvist videre")]


def decision_dialog(rt: Runtime, session: SessionInfo, cell: BedCell) -> NightDialog:
    """Tonight's decision for the guest in ``cell``."""
    assert cell.stay_id is not None
    stay_id = cell.stay_id

    def submit(values: dict[str, str]) -> StayResult:
        return nights.decide_night(
            rt,
            session,
            stay_id,
            values["decision"],
            referred_to=values["referred_to"],
            override_reason=values["override_reason"],
        )

    fields = [
        choice_field("decision", "Beslutning", DECISIONS, cell.decision or ""),
        text_field("referred_to", "Henvist til"),
        text_field("override_reason", "Undtagelse, grund"),
    ]
    title = f"Beslutning for i nat: {cell.guest}, nat {cell.night_label}"
    return NightDialog(
        title,
        fields,
        submit,
        dialog=f"beds.decide:{stay_id}",
        note="Ud over max nætter: kun leder.",
    )
