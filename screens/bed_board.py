"""The bed board (Senge): every bed for tonight and the next three nights, live.

Status is text (Ledig / Optaget 2/3 / Reserveret / Ude af drift), never colour
alone. The board reloads only when the change token moved (another terminal
booked, decided or checked out) or a reservation lapsed, and then updates only
the cells whose text changed: an idle board writes nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from akut_tui.clock import format_date, local
from akut_tui.services import beds, changes, nights, stays
from akut_tui.services.dto import SessionInfo
from akut_tui.services.night_dto import (
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    RESERVED,
    BedBoard,
    BedCell,
    StayResult,
)
from akut_tui.services.runtime import Runtime
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.night import (
    YES_NO,
    Field,
    NightDialog,
    choice_field,
    text_field,
    yes_no,
)
from screens.support.bed_text import (
    cell_text,
    check_in_dialog,
    decision_dialog,
    detail_text,
    parse_clock,
)
from screens.support.host import acting_user, host, run_signed_in
from screens.support.live_screen import LiveScreen
from screens.support.workers import run_service
from screens.widgets.night_watch import SiteHeader
from screens.widgets.text import Plain

HELP = (
    "t tjek ind · d beslutning · x tjek ud · n ønsket, ingen ledig · e reservér\n"
    "a ankommet · c annullér reservation · g ude af drift · Esc tilbage · F1 alle"
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
        Binding("g", "out_of_service", "Ude af drift (leder)", id="beds.out_of_service"),
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
        title = f"Senge · i nat {format_date(board.nights[0])}"
        if str(self.query_one("#beds-title", Plain).render()) != title:
            self._set("#beds-title", title)
        summary = f"Ledige i nat: {board.free_tonight} · Mangler beslutning: "
        summary += str(board.missing_decisions)
        if summary != self._summary:
            self._summary = summary
            self._set("#beds-summary", summary)
        self._update_detail()

    def _rebuild(self, table: DataTable[Any], board: BedBoard, wanted: dict[Any, str]) -> None:
        table.clear(columns=True)
        table.add_column("Seng", key="bed", width=8)
        for index, night in enumerate(board.nights):
            label = f"I nat {night.day:02d}-{night.month:02d}" if index == 0 else _short(night)
            table.add_column(label, key=f"n{index}", width=24 if index == 0 else 12)
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

    def _selected_cell(self) -> tuple[str, BedCell, int] | None:
        board = self.board
        table = self.query_one(DataTable)
        if board is None or not 0 <= table.cursor_row < len(board.rows):
            return None
        row = board.rows[table.cursor_row]
        return row.name, row.cells[0], row.bed_id

    # --- actions -------------------------------------------------------------------
    def _message(self, text: str) -> None:
        self._set("#beds-message", text)

    def _need(self, *statuses: str) -> tuple[str, BedCell, int] | None:
        selected = self._selected_cell()
        if selected is None:
            self._message("Vælg en seng.")
            return None
        if selected[1].status not in statuses:
            wanted = {
                FREE: "ledig",
                OCCUPIED: "optaget",
                RESERVED: "reserveret",
                OUT_OF_SERVICE: "ude af drift",
            }
            need = " eller ".join(wanted[s] for s in statuses)
            self._message(f"{selected[0]} er ikke {need} i nat.")
            return None
        return selected

    def _need_stay(self, *statuses: str) -> tuple[tuple[str, BedCell, int], int] | None:
        """The selected bed (as :meth:`_need`) and its stay's id, when it has a stay."""
        selected = self._need(*statuses)
        if selected is None or selected[1].stay_id is None:
            return None
        return selected, selected[1].stay_id

    def _after(self, result: Any) -> None:
        if isinstance(result, StayResult):
            self._message(result.message)
        elif isinstance(result, str):
            self._message(result)
        self.watcher.poll()

    def _open(self, dialog: NightDialog) -> None:
        def closed(result: Any) -> None:
            if result is not None:
                self._after(result)

        self.app.push_screen(dialog, closed)

    def action_check_in(self, reserve: bool = False) -> None:
        """Check a guest in (or reserve) in the selected bed."""
        selected = self._need(FREE)
        if selected is None or self.board is None:
            return
        rt, session = acting_user(self)
        nights_ = self.board.nights

        def offer(contact_id: int | None) -> None:
            dialog = check_in_dialog(
                rt, session, selected[2], selected[0], nights_, reserve, contact_id
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
        submit: Callable[[Runtime, SessionInfo, int, dict[str, str]], StayResult],
    ) -> None:
        """Ask about the selected bed's stay; ``submit`` runs the service with the answers."""
        chosen = self._need_stay(status)
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
        self._stay_dialog(
            RESERVED,
            "arrive",
            lambda bed, cell: f"{cell.guest} ankommet til {bed}",
            arrival_fields(),
            _arrive,
        )

    def action_decide(self) -> None:
        """Record tonight's decision for the selected bed's guest."""
        chosen = self._need_stay(OCCUPIED)
        if chosen is None:
            return
        rt, session = acting_user(self)
        self._open(decision_dialog(rt, session, chosen[0][1]))

    def action_check_out(self) -> None:
        """Check the selected bed's guest out at a time (default now)."""
        rt = host(self).runtime
        now = local(rt.now(), rt.config.site.timezone)
        fields = [text_field("at", "Tidspunkt", f"{now.hour:02d}:{now.minute:02d}")]
        self._stay_dialog(
            OCCUPIED, "check_out", lambda _bed, cell: f"Tjek {cell.guest} ud", fields, _check_out
        )

    def action_no_bed(self) -> None:
        """Log "Ønsket, ingen ledig seng" (one key; counts unmet demand)."""
        rt, session = acting_user(self)
        run_service(
            self,
            lambda: beds.log_bed_request(rt, session),
            lambda _id: self._after("Registreret: ønsket overnatning, ingen ledig seng."),
            self._message,
            group="beds-action",
        )

    def action_cancel_reservation(self) -> None:
        """Cancel the selected bed's reservation (after j/n)."""
        chosen = self._need_stay(RESERVED)
        if chosen is None:
            return
        selected, stay_id = chosen
        rt, session = acting_user(self)

        def answered(yes: bool | None) -> None:
            if yes:
                run_service(
                    self,
                    lambda: nights.cancel_reservation(rt, session, stay_id),
                    lambda _: self._after("Reservationen er annulleret."),
                    self._message,
                    group="beds-action",
                )

        self.app.push_screen(
            ConfirmDialog(f"Annullér reservationen for {selected[1].guest}?"), answered
        )

    def action_out_of_service(self) -> None:
        """Take the selected bed out of service with a reason, or put it back (leader)."""
        selected = self._selected_cell()
        if selected is None:
            return
        name, cell, bed_id = selected
        rt, session = acting_user(self)
        if cell.status == OUT_OF_SERVICE:

            def back(yes: bool | None) -> None:
                if yes:
                    run_service(
                        self,
                        lambda: beds.set_out_of_service(rt, session, bed_id, None),
                        lambda _: self._after(f"{name} er i drift igen."),
                        self._message,
                        group="beds-action",
                    )

            self.app.push_screen(ConfirmDialog(f"Sæt {name} i drift igen?"), back)
            return

        def submit(values: dict[str, str]) -> str:
            beds.set_out_of_service(rt, session, bed_id, values["reason"])
            return f"{name} er ude af drift."

        fields = [text_field("reason", "Grund")]
        key = f"beds.out_of_service:{bed_id}"
        self._open(NightDialog(f"{name} ude af drift", fields, submit, dialog=key))


def arrival_fields() -> list[Field]:
    """The exclusion checks asked when a reserved guest arrives (new widgets each time:
    a widget can be mounted in one dialog only)."""
    return [
        choice_field("intoxicated", "Påvirket?", YES_NO),
        choice_field("threatening", "Truende?", YES_NO),
        choice_field("disturbing", "Til gene for andre?", YES_NO),
    ]


def _arrive(rt: Runtime, session: SessionInfo, stay_id: int, values: dict[str, str]) -> StayResult:
    return stays.arrive(
        rt,
        session,
        stay_id,
        intoxicated=yes_no(values["intoxicated"]),
        threatening=yes_no(values["threatening"]),
        disturbing=yes_no(values["disturbing"]),
    )


def _check_out(
    rt: Runtime, session: SessionInfo, stay_id: int, values: dict[str, str]
) -> StayResult:
    moment = parse_clock(values["at"], rt.now(), rt.config.site.timezone)
    return nights.check_out(rt, session, stay_id, moment)


def _short(night: date) -> str:
    return f"{night.day:02d}-{night.month:02d}"
