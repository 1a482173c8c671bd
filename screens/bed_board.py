"""The bed board (Senge): every bed for tonight and the next three nights, live.

Status is text (Ledig / Optaget 2/3 / Reserveret / Ude af drift), never colour
alone. The board reloads only when the change token moved (another terminal
booked, decided or checked out) or a reservation lapsed, and then updates only
the cells whose text changed: an idle board writes nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from akut_tui.core.clock import format_date
from akut_tui.services.accounts import may
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds, changes, nights
from akut_tui.services.night.dto import (
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    RESERVED,
    BedBoard,
    BedCell,
    BedRow,
    StayResult,
)
from screens.blocks import bed_bookings
from screens.blocks.ask_first import confirm_then
from screens.blocks.bed_text import (
    NIGHT_WIDTH,
    TONIGHT_WIDTH,
    cell_text,
    check_in_dialog,
    clock_field,
    column_label,
    decision_dialog,
    detail_text,
)
from screens.blocks.live_screen import LiveScreen
from screens.blocks.no_bed import ask_no_bed, undo_no_bed
from screens.dialogs.night import Field, NightDialog
from screens.support.gate import open_if_allowed
from screens.support.host import acting_user, host, run_signed_in
from screens.support.row_message import RowMessage
from screens.support.workers import run_service
from screens.widgets.night_watch import SiteHeader
from screens.widgets.text import Plain

HELP = (
    "t tjek ind · d beslutning · x tjek ud · n ønsket, ingen ledig · e reservér\n"
    "a ankommet · c annullér reserv. · m flyt · g ude af drift · Esc tilbage · F1"
)


class BedBoardScreen(LiveScreen):
    """Beds as rows, nights as columns; actions on the selected bed's night tonight."""

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="beds.back"),
        Binding("t", "check_in", "Tjek ind", id="beds.check_in"),
        Binding("d", "decide", "Beslutning for i nat", id="beds.decide"),
        Binding("x", "check_out", "Tjek ud", id="beds.check_out"),
        Binding("n", "no_bed", "Ønsket, ingen ledig seng", id="beds.no_bed"),
        Binding("e", "reserve", "Reservér", id="beds.reserve"),
        Binding("a", "arrive", "Reserveret gæst ankommet", id="beds.arrive"),
        Binding("c", "cancel_reservation", "Annullér reservation", id="beds.cancel"),
        Binding("m", "move", "Flyt booking til en anden seng", id="beds.move"),
        Binding("g", "out_of_service", "Ude af drift (leder)", id="beds.out_of_service"),
        Binding("N", "undo_no_bed", "Fortryd seneste ønsket, ingen ledig", id="beds.undo_no_bed"),
    ]
    RELOAD_PARTS = frozenset({changes.BEDS, "clock"})

    def __init__(self) -> None:
        super().__init__()
        self.board: BedBoard | None = None
        self.cells: dict[tuple[str, str], str] = {}
        """(row key, column key) → the text on screen."""
        self._detail = ""
        self._summary = ""
        self.loads = 0
        """How many times the board was fetched (tests check idle polls fetch nothing)."""
        self._about = RowMessage()
        """Which bed the message line is about (cleared when it moves or changes)."""

    def compose(self) -> ComposeResult:
        yield Plain("Senge", id="beds-title")
        yield SiteHeader(id="beds-site")
        yield DataTable(id="beds-table", cursor_type="row", zebra_stripes=False)
        yield Plain("Henter sengene…", id="beds-detail")
        yield Plain("", id="beds-summary")
        yield Plain("", id="beds-message")
        yield Plain(HELP, id="beds-help")
        yield from self.compose_quick_log()

    # --- loading and drawing -------------------------------------------------------
    def reload(self) -> None:
        """Fetch the board in a worker and redraw what changed."""
        if run_signed_in(
            self,
            beds.board,
            self._show,
            lambda text: self._set("#beds-message", f"Sengene kunne ikke hentes: {text}"),
            group="beds-load",
        ):
            self.loads += 1

    def _set(self, selector: str, text: str) -> None:
        self.query_one(selector, Plain).set_text(text)

    def _show(self, board: BedBoard) -> None:
        self.watcher.due_at = board.valid_until
        table = self.query_one(DataTable)
        columns = ["bed", *(f"n{i}" for i in range(len(board.nights)))]
        wanted = {
            (str(row.bed_id), col): (
                row.name if col == "bed" else cell_text(row.cells[int(col[1:])], col == "n0")
            )
            for row in board.rows
            for col in columns
        }
        same_shape = (
            self.board is not None
            and self.board.nights == board.nights
            and self.board.coming == board.coming
            and [r.bed_id for r in self.board.rows] == [r.bed_id for r in board.rows]
        )
        if not same_shape:
            self._rebuild(table, board, wanted)
        else:
            for key, text in wanted.items():
                if self.cells.get(key) != text:
                    table.update_cell(key[0], key[1], Text(text))
        self.cells = wanted
        self.board = board
        title = f"Senge · i nat {format_date(board.nights[board.coming])}"
        if board.morning:
            title += f" · sidste nat slutter {host(self).config.beds.checkout_time}"
        if str(self.query_one("#beds-title", Plain).render()) != title:
            self._set("#beds-title", title)
        summary = f"Ledige i nat: {board.free_tonight} · Mangler beslutning: "
        summary += str(board.missing_decisions)
        if summary != self._summary:
            self._summary = summary
            self._set("#beds-summary", summary)
        self._update_detail()
        self._clear_stale()

    def _rebuild(self, table: DataTable[Any], board: BedBoard, wanted: dict[Any, str]) -> None:
        table.clear(columns=True)
        table.add_column("Seng", key="bed", width=8)
        for index in range(len(board.nights)):
            width = TONIGHT_WIDTH if index == 0 else NIGHT_WIDTH
            table.add_column(column_label(board, index), key=f"n{index}", width=width)
        for row in board.rows:
            key = str(row.bed_id)
            table.add_row(
                *(Text(wanted[(key, c)]) for c in ["bed", *(f"n{i}" for i in range(4))]),
                key=key,
            )

    def _update_detail(self) -> None:
        cell = self._selected_cell()
        text = detail_text(cell[0], cell[1]) if cell else ""
        if text != self._detail:
            self._detail = text
            self._set("#beds-detail", text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.board is not None:
            self._update_detail()
            self._clear_stale()

    def _selected_row(self) -> BedRow | None:
        board = self.board
        table = self.query_one(DataTable)
        if board is None or not 0 <= table.cursor_row < len(board.rows):
            return None
        return board.rows[table.cursor_row]

    def _selected_cell(self, column: int = 0) -> tuple[str, BedCell, int] | None:
        row = self._selected_row()
        if row is None:
            return None
        return row.name, row.cells[column], row.bed_id

    def _row_texts(self, bed_id: int) -> tuple[str, ...]:
        return tuple(text for (key, _col), text in self.cells.items() if key == str(bed_id))

    # --- messages about a row ------------------------------------------------------
    def _message(self, text: str, *, bed_id: int | None = None, after_reload: bool = False) -> None:
        """Show ``text``; about bed ``bed_id``, it goes when the cursor or that bed changes."""
        state = self._row_texts(bed_id) if bed_id is not None else ()
        self._about.about(bed_id, state, after_reload=after_reload)
        self._set("#beds-message", text)

    def _clear_stale(self) -> None:
        """Clear a message about a bed once the cursor left it or its state changed."""
        bed_id = self._about.row
        if bed_id is None:
            return
        row = self._selected_row()
        state = self._row_texts(int(str(bed_id)))
        if self._about.stale(row.bed_id if row is not None else None, state):
            self._set("#beds-message", "")

    # --- actions -------------------------------------------------------------------
    def _need(self, *statuses: str, column: int = 0) -> tuple[str, BedCell, int] | None:
        selected = self._selected_cell(column)
        if selected is None:
            self._message("Vælg en seng.")
            return None
        if selected[1].status not in statuses:
            text = bed_bookings.not_status(selected[0], statuses, self.board, column)
            self._message(text, bed_id=selected[2])
            return None
        return selected

    def _need_stay(
        self, *statuses: str, column: int = 0
    ) -> tuple[tuple[str, BedCell, int], int] | None:
        """The selected bed (as :meth:`_need`) and its stay's id, when it has a stay."""
        selected = self._need(*statuses, column=column)
        if selected is None or selected[1].stay_id is None:
            return None
        return selected, selected[1].stay_id

    def _after(self, result: Any) -> None:
        row = self._selected_row()
        about = row.bed_id if row is not None else None
        if isinstance(result, StayResult):
            self._message(result.message, bed_id=about, after_reload=True)
        elif isinstance(result, str):
            self._message(result, bed_id=about, after_reload=True)
        self.watcher.poll()

    def _confirm(self, question: str, call: Callable[[], Any]) -> None:
        confirm_then(self, question, call, self._after, self._message, group="beds-action")

    def _open(self, dialog: NightDialog) -> None:
        def closed(result: Any) -> None:
            if result is not None:
                self._after(result)

        self.app.push_screen(dialog, closed)

    def action_check_in(self, reserve: bool = False) -> None:
        """Check a guest in (or reserve) in the selected bed."""
        if self.board is None:
            return
        coming = self.board.coming
        row = self._selected_row()
        column = bed_bookings.first_free(row, coming) if reserve and row else coming
        selected = self._need(FREE, column=column)
        if selected is None:
            return
        rt, session = acting_user(self)
        nights_ = self.board.nights

        def offer(contact_id: int | None) -> None:
            dialog = check_in_dialog(
                rt, session, selected[2], selected[0], nights_, reserve, contact_id, coming
            )
            self._open(dialog)

        # A contact of this shift marked "Overnatning" is offered as the one to start from.
        run_service(
            self,
            lambda: nights.overnight_contact(rt, session),
            offer,
            lambda _message: offer(None),
            group="beds-action",
        )

    def action_reserve(self) -> None:
        """Reserve the selected bed for a night."""
        self.action_check_in(reserve=True)

    def _stay_dialog(
        self,
        status: str,
        kind: str,
        title: Callable[[str, BedCell], str],
        fields: list[Field],
        submit: Callable[[Runtime, SignedInUser, int, dict[str, str]], StayResult],
        column: int = 0,
    ) -> None:
        """Ask about the selected bed's stay; ``submit`` runs the service with the answers."""
        chosen = self._need_stay(status, column=column)
        if chosen is None:
            return
        (bed, cell, _bed_id), stay_id = chosen
        rt, session = acting_user(self)
        self._open(
            NightDialog(
                title(bed, cell),
                fields,
                lambda values: submit(rt, session, stay_id, values),
                dialog=f"beds.{kind}:{stay_id}",
            )
        )

    def action_arrive(self) -> None:
        """The reserved guest arrived: ask the exclusion checks and check in."""
        row = self._selected_row()
        column = 0
        if row is not None and self.board is not None and row.cells[0].status != RESERVED:
            column = self.board.coming  # in the morning: the coming night's reservation
        self._stay_dialog(
            RESERVED,
            "arrive",
            lambda bed, cell: f"{cell.guest} ankommet til {bed}",
            bed_bookings.arrival_fields(),
            bed_bookings.arrive,
            column,
        )

    def action_decide(self) -> None:
        """Record tonight's decision for the selected bed's guest."""
        chosen = self._need_stay(OCCUPIED)
        if chosen is None:
            return
        rt, session = acting_user(self)
        which = "sidste nat" if self.board is not None and self.board.morning else "i nat"
        self._open(decision_dialog(rt, session, chosen[0][1], which))

    def action_check_out(self) -> None:
        """Check the selected bed's guest out at a time (default now)."""
        fields = [clock_field("at", "Tidspunkt", host(self).runtime)]
        self._stay_dialog(
            OCCUPIED,
            "check_out",
            lambda _bed, cell: f"Tjek {cell.guest} ud",
            fields,
            bed_bookings.check_out,
        )

    def action_no_bed(self) -> None:
        """Log "Ønsket, ingen ledig seng" after j/n (counts unmet demand; N undoes)."""
        ask_no_bed(self, *acting_user(self), self._after, self._message)

    def action_undo_no_bed(self) -> None:
        """Undo your newest "ønsket, ingen ledig" of this shift (after j/n; audited)."""
        undo_no_bed(self, *acting_user(self), self._after, self._message)

    def action_cancel_reservation(self) -> None:
        """Cancel one of the selected bed's reservations, tonight's or a coming night's."""
        row = self._selected_row()
        if row is None or self.board is None:
            return
        reservations = bed_bookings.bookings_of(self.board, row, RESERVED)
        if not reservations:
            self._message(f"{row.name} har ingen reservation.", bed_id=row.bed_id)
            return
        rt, session = acting_user(self)
        if len(reservations) > 1:
            self._open(bed_bookings.cancel_dialog(rt, session, row, reservations))
            return
        stay_id, what = reservations[0]
        cancel = partial(bed_bookings.cancel, rt, session, stay_id)
        self._confirm(f"Annullér reservationen for {what}?", cancel)

    def action_move(self) -> None:
        """Move a booking of the selected bed (a stay or a reservation) to another bed."""
        row = self._selected_row()
        if row is None or self.board is None:
            return
        rt, session = acting_user(self)
        dialog = bed_bookings.move_dialog(rt, session, self.board, row)
        if isinstance(dialog, str):
            self._message(dialog, bed_id=row.bed_id)
        else:
            self._open(dialog)

    def action_out_of_service(self) -> None:
        """Take the selected bed out of service with a reason, or put it back (leader)."""
        selected = self._selected_cell()
        if selected is None:
            return
        name, cell, bed_id = selected
        rt, session = acting_user(self)

        def ask() -> None:
            if cell.status == OUT_OF_SERVICE:
                back = partial(bed_bookings.back_in_service, rt, session, name, bed_id)
                self._confirm(f"Sæt {name} i drift igen?", back)
            else:
                self._open(bed_bookings.out_of_service_dialog(rt, session, name, bed_id))

        # Asked before anything opens: staff never type a reason only to be refused after.
        open_if_allowed(self, lambda: may.check(rt, session, "beds.configure"), ask, self._message)
