"""Bed-board dialogs about bookings: arrival, check-out, cancelling and moving.

Kept apart from the screen so that the screen only picks the bed and shows
results; each function here builds a dialog or runs a service call.
"""

from __future__ import annotations

from datetime import date

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds, bookings, nights, stays
from akut_tui.services.night.dto import (
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    RESERVED,
    BedBoard,
    BedRow,
    StayResult,
)
from screens.blocks.bed_text import parse_clock
from screens.dialogs.night import YES_NO, Field, NightDialog, choice_field, text_field, yes_no


def arrival_fields() -> list[Field]:
    """The exclusion checks asked when a reserved guest arrives (new widgets each time)."""
    return [
        choice_field("intoxicated", "Påvirket?", YES_NO),
        choice_field("threatening", "Truende?", YES_NO),
        choice_field("disturbing", "Generer andre?", YES_NO),
    ]


def arrive(rt: Runtime, session: SignedInUser, stay_id: int, values: dict[str, str]) -> StayResult:
    """Check a reserved guest in with the answered exclusion checks."""
    return stays.arrive(
        rt,
        session,
        stay_id,
        intoxicated=yes_no(values["intoxicated"]),
        threatening=yes_no(values["threatening"]),
        disturbing=yes_no(values["disturbing"]),
    )


def check_out(
    rt: Runtime, session: SignedInUser, stay_id: int, values: dict[str, str]
) -> StayResult:
    """Check a guest out at the typed ``TT:MM``."""
    moment = parse_clock(values["at"], rt.now(), rt.config.site.timezone)
    return nights.check_out(rt, session, stay_id, moment)


def short_date(night: date) -> str:
    """``dd-mm``."""
    return f"{night.day:02d}-{night.month:02d}"


def bookings_of(board: BedBoard, row: BedRow, *statuses: str) -> list[tuple[int, str]]:
    """(stay id, "guest, natten til dd-mm") of a bed's stays in ``statuses``, first night first."""
    found: dict[int, str] = {}
    for night, cell in zip(board.nights, row.cells, strict=True):
        if cell.status in statuses and cell.stay_id is not None:
            found.setdefault(cell.stay_id, f"{cell.guest}, natten til {short_date(night)}")
    return list(found.items())


def cancel(rt: Runtime, session: SignedInUser, stay_id: int) -> str:
    """Cancel a reservation; return the message for the board."""
    nights.cancel_reservation(rt, session, stay_id)
    return "Reservationen er annulleret."


def cancel_dialog(
    rt: Runtime, session: SignedInUser, row: BedRow, reservations: list[tuple[int, str]]
) -> NightDialog:
    """Pick which of a bed's reservations to cancel."""
    field = choice_field("stay", "Reservation", [(str(i), t) for i, t in reservations])
    return NightDialog(
        f"Annullér en reservation i {row.name}",
        [field],
        lambda values: cancel(rt, session, int(values["stay"])),
        dialog=f"beds.cancel:{row.bed_id}",
    )


def move_dialog(
    rt: Runtime, session: SignedInUser, board: BedBoard, row: BedRow
) -> NightDialog | str:
    """The dialog that moves one of the bed's bookings, or why there is nothing to move."""
    booked = bookings_of(board, row, OCCUPIED, RESERVED)
    if not booked:
        return f"{row.name} har ingen booking at flytte."
    targets = [
        (str(r.bed_id), r.name)
        for r in board.rows
        if r.bed_id != row.bed_id and not r.out_of_service
    ]
    if not targets:
        return "Der er ingen anden seng i drift."
    fields = [
        choice_field("stay", "Booking", [(str(i), t) for i, t in booked]),
        choice_field("bed", "Til seng", targets),
    ]
    return NightDialog(
        f"Flyt en booking fra {row.name}",
        fields,
        lambda values: bookings.move_stay(rt, session, int(values["stay"]), int(values["bed"])),
        dialog=f"beds.move:{row.bed_id}",
    )


STATUS_WORDS = {
    FREE: "ledig",
    OCCUPIED: "optaget",
    RESERVED: "reserveret",
    OUT_OF_SERVICE: "ude af drift",
}
"""Bed state → the word in "Seng 1 er ikke ... i nat"."""


def not_status(name: str, statuses: tuple[str, ...], board: BedBoard | None, column: int) -> str:
    """ "Seng 1 er ikke ledig i nat." (naming the night in the morning)."""
    words = {
        FREE: "ledig",
        OCCUPIED: "optaget",
        RESERVED: "reserveret",
        OUT_OF_SERVICE: "ude af drift",
    }
    need = " eller ".join(words[s] for s in statuses)
    when = "i nat"
    if board is not None and board.morning:
        when = "sidste nat" if column == 0 else f"i nat ({short_date(board.nights[column])})"
    return f"{name} er ikke {need} {when}."


def out_of_service_dialog(
    rt: Runtime, session: SignedInUser, name: str, bed_id: int
) -> NightDialog:
    """Ask why the bed goes out of service (leader; a booked bed is refused by the service)."""

    def submit(values: dict[str, str]) -> str:
        beds.set_out_of_service(rt, session, bed_id, values["reason"])
        return f"{name} er ude af drift."

    fields = [text_field("reason", "Grund")]
    key = f"beds.out_of_service:{bed_id}"
    return NightDialog(f"{name} ude af drift", fields, submit, dialog=key)


def back_in_service(rt: Runtime, session: SignedInUser, name: str, bed_id: int) -> str:
    """Put an out-of-service bed back in service (leader); return the Danish confirmation."""
    beds.set_out_of_service(rt, session, bed_id, None)
    return f"{name} er i drift igen."


def first_free(row: BedRow, coming: int) -> int:
    """The first night column from ``coming`` on where ``row`` is free (else ``coming``)."""
    free = [i for i, c in enumerate(row.cells) if i >= coming and c.status == FREE]
    return free[0] if free else coming
