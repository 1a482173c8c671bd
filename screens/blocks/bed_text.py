"""Text and dialogs of the bed board: cell texts, input parsing, the check-in dialog."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

from akut_tui.core.clock import AHEAD_GRACE, format_date, local, zone
from akut_tui.core.errors import ValidationError
from akut_tui.core.plural import fit_label
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import nights, stays
from akut_tui.services.night.dto import (
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    RESERVED,
    SLEPT,
    BedBoard,
    BedCell,
    StayResult,
)
from screens.dialogs.night import (
    YES_NO,
    Field,
    NightDialog,
    choice_field,
    text_field,
    yes_no,
)

TONIGHT_WIDTH = 24
"""Width of the board's first night column."""
NIGHT_WIDTH = 12
"""Width of the other night columns."""
SHORT_DECISION = {"forlaeng": "Forlæng", "afslut": "Afslut", "henvist": "Henvist"}


CHECK_IN_NOTE = (
    "CPR er påkrævet ved overnatning, også for en leder. Undtagelse fra "
    "reglerne om nætter: kun leder, med begrundelse."
)
"""What the check-in dialog says about CPR and the leader's exception (they agree with
:func:`akut_tui.services.night.stays.check_in`)."""


def column_label(board: BedBoard, index: int) -> str:
    """The header of night column ``index``: which night it is, in words in the morning."""
    night = board.nights[index]
    day = f"{night.day:02d}-{night.month:02d}"
    if board.morning and index == 0:
        return f"Sidste nat {day}"
    if index == board.coming:
        return f"I nat {day}"
    return day


def cell_text(cell: BedCell, tonight: bool) -> str:
    """The text of one board cell; tonight's occupied beds show the decision.

    A reservation shows whom it is for, on every night ("Res. Bo").
    """
    text = cell.label()
    if tonight and cell.status == OCCUPIED:
        text += " · " + (
            "MANGLER" if cell.decision is None else SHORT_DECISION.get(cell.decision, "")
        )
    if cell.status == RESERVED and cell.guest:
        if tonight:
            return fit_label(f"{text} · {cell.guest}", TONIGHT_WIDTH)
        return fit_label(f"Res. {cell.guest}", NIGHT_WIDTH)
    return text


def detail_text(name: str, cell: BedCell) -> str:
    """The line under the table for the selected bed (tonight)."""
    if cell.status == FREE:
        return f"{name}: ledig i nat. t tjekker ind, e reserverer."
    if cell.status == SLEPT:
        return f"{name}: gæsten har sovet her i nat og er tjekket ud."
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
    """``TT:MM`` today (or yesterday, if that time has not come yet) as an aware time.

    A time at most a minute ahead of ``now`` is today's (the services take it
    as now): typing the next minute never turns into yesterday.
    """
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
    if moment > here + AHEAD_GRACE:
        moment -= timedelta(days=1)
    return moment.astimezone(zone("UTC"))


def other_day_question(label: str, text: str, now: datetime, tz_name: str) -> str | None:
    """The j/n question when ``TT:MM`` would fall on another day than today, else None."""
    try:
        moment = parse_clock(text, now, tz_name)
    except ValidationError:
        return None  # the service names the format error
    day = local(moment, tz_name).date()
    today = local(now, tz_name).date()
    if day == today:
        return None
    which = "i går" if day == today - timedelta(days=1) else "en anden dag"
    return (
        f"{label} {text.strip()} bliver {which}, {format_date(day)} "
        f"(klokken er nu {local(now, tz_name):%H:%M}). Er det rigtigt?"
    )


def clock_field(name: str, label: str, rt: Runtime) -> Field:
    """A ``TT:MM`` field (now by default) that asks j/n when the time falls on another day."""
    tz = rt.config.site.timezone
    now = local(rt.now(), tz)
    field = text_field(name, label, f"{now.hour:02d}:{now.minute:02d}")
    field.ask = lambda text: other_day_question(label, text, rt.now(), tz)
    return field


def check_in_dialog(
    rt: Runtime,
    session: SignedInUser,
    bed_id: int,
    name: str,
    nights_: tuple[date, ...],
    reserve: bool,
    contact_id: int | None = None,
    coming: int = 0,
) -> NightDialog:
    """The check-in (or reservation) dialog for one bed.

    ``coming`` is the index in ``nights_`` of the night a check-in books; in
    the morning (``coming`` 1) last night can be chosen, never by default.
    """
    fields = [
        text_field("cpr_text", "CPR (påkrævet)", placeholder="DDMMÅÅ-NNNN"),
        text_field("nickname", "Kaldenavn"),
    ]
    if reserve:
        options = [(n.isoformat(), format_date(n)) for n in nights_[coming:]]
        fields.append(choice_field("night", "Nat", options))
    else:
        if coming:
            options = [
                (nights_[coming].isoformat(), f"I nat {format_date(nights_[coming])}"),
                (nights_[0].isoformat(), f"Sidste nat {format_date(nights_[0])}"),
            ]
            fields.append(choice_field("night", "Nat", options))
        fields += [
            choice_field("intoxicated", "Påvirket?", YES_NO),
            choice_field("threatening", "Truende?", YES_NO),
            choice_field("disturbing", "Generer andre?", YES_NO),
        ]
    fields += [
        text_field("contact", "Henvendelse nr.", str(contact_id) if contact_id else ""),
        text_field("override_reason", "Undtagelse, grund"),
    ]
    attempt = uuid4().hex  # this dialog is one attempt: a refusal is logged once

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
            night=date.fromisoformat(values["night"]) if values.get("night") else None,
            attempt=attempt,
        )
        return stays.check_in(rt, session, form)

    what = "Reservér" if reserve else "Tjek ind i"
    return NightDialog(
        f"{what} {name}",
        fields,
        submit,
        dialog=f"beds.{'reserve' if reserve else 'check_in'}:{bed_id}",
        note=CHECK_IN_NOTE,
    )


DECISIONS = [("forlaeng", "Forlæng"), ("afslut", "Afslut"), ("henvist", "Henvist videre")]


def decision_dialog(
    rt: Runtime, session: SignedInUser, cell: BedCell, which: str = "i nat"
) -> NightDialog:
    """The decision for the guest in ``cell``; ``which`` is "i nat" or, mornings, "sidste nat"."""
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
    title = f"Beslutning for {which}: {cell.guest}, nat {cell.night_label}"
    return NightDialog(
        title,
        fields,
        submit,
        dialog=f"beds.decide:{stay_id}",
        note="Ud over max nætter: kun leder.",
    )
