"""The handover (Overlevering): the shift's derived figures plus the I-PASS notes.

The figures are computed when shown, never copied into text. The written part
is short: overall state, situation, actions (owner and time, ticked off by
the next shift), if-then plans and a line of free text; items can be pinned
and resolved. The incoming staff sign with ``k``; an unsigned handover from the
previous shift opens by itself after login (:func:`offer_pending_handover`).
Enter shows an item in full. Every write asks the service "may I" before its
dialog opens; in the read-only view the write keys are not offered at all (they
reach only :meth:`HandoverScreen.action_read_only`, which says so).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import DataTable

from akut_tui.core.clock import format_date
from akut_tui.core.errors import ValidationError
from akut_tui.core.permissions import allowed
from akut_tui.services.night import changes, handover, handover_items
from akut_tui.services.night.dto import HandoverItem, HandoverView
from akut_tui.services.night.handover import STATES, ShiftRef
from akut_tui.services.night.handover_derived import previous_shift
from screens.blocks.ask_first import confirm_then
from screens.blocks.bed_text import parse_clock
from screens.blocks.live_screen import LiveScreen
from screens.dialogs.handover_item import HandoverItemScreen
from screens.dialogs.night import NightDialog, choice_field, text_field
from screens.handover_history import HandoverHistoryScreen
from screens.support.gate import open_if_allowed
from screens.support.handover_text import (
    HELP,
    READ_ONLY_HELP,
    acks_line,
    delete_question,
    dialog_ref,
    figures_text,
    item_cells,
    item_detail,
    parse_date,
)
from screens.support.host import host, run_signed_in
from screens.support.workers import run_service
from screens.widgets.night_watch import SiteHeader
from screens.widgets.text import Plain

WRITE_ACTIONS = frozenset({"summary", "add", "pin", "resolve", "delete"})
"""Actions that change the handover; none of them is offered in the read-only view."""


class HandoverScreen(LiveScreen):
    """One shift's handover; ``v`` switches between this and the previous shift."""

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="handover.back"),
        Binding("t", "summary", "Tilstand, situation og fri tekst", id="handover.summary"),
        Binding("a", "add('handling')", "Tilføj handling", id="handover.action"),
        Binding("p", "add('hvis_saa')", "Tilføj hvis-så-plan", id="handover.plan"),
        Binding("x", "tick", "Kryds handling af", id="handover.tick"),
        Binding("f", "pin", "Fastgør punkt", id="handover.pin"),
        Binding("l", "resolve", "Markér som løst", id="handover.resolve"),
        Binding("delete", "delete", "Slet punkt", id="handover.delete"),
        Binding("k", "acknowledge", "Kvittér for overleveringen", id="handover.ack"),
        Binding("v", "switch", "Forrige/denne vagt", id="handover.switch"),
        Binding("o", "history", "Historik (koordinator, leder)", id="handover.history"),
        Binding("enter", "detail", "Vis hele punktet", id="handover.detail"),
        # In the read-only view the write keys land here: nothing opens, and the
        # key does not fall through to the app's shortcuts (t = statistics).
        *(Binding(key, "read_only", "", show=False) for key in ("t", "a", "p", "f", "l", "delete")),
    ]
    # The derived figures read beds, outreach and contacts; one reload covers all.
    RELOAD_PARTS = frozenset({changes.HANDOVER, changes.BEDS, changes.OUTREACH})

    def __init__(self, target: ShiftRef | None = None, message: str = "") -> None:
        super().__init__()
        self.target = target
        self.view: HandoverView | None = None
        self.rows: list[tuple[HandoverItem, bool]] = []
        self._texts: dict[str, str] = {}
        self._start_message = message

    def compose(self) -> ComposeResult:
        yield Plain("Overlevering", id="handover-title")
        yield SiteHeader(id="handover-site")
        yield Plain("Henter overleveringen…", id="handover-figures")
        yield DataTable(id="handover-table", cursor_type="row", zebra_stripes=False)
        yield Plain("", id="handover-acks")
        yield Plain(self._start_message, id="handover-message")
        yield Plain(HELP, id="handover-help")
        yield from self.compose_quick_log()

    @property
    def read_only(self) -> bool:
        """True when the handover shown may not be written by this user (the ``v`` view)."""
        return self.view is not None and not self.view.editable

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the write keys in the read-only view (they then reach only ``read_only``)."""
        if action in WRITE_ACTIONS:
            return not self.read_only
        if action == "read_only":
            return self.read_only
        return True

    def action_read_only(self) -> None:
        """A write key in the read-only view: say so, open nothing."""
        self._message("Kun læsning: her kan du kvittere (k) og krydse af (x).")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Punkt", 9), ("Tekst", 38), ("Ansvar", 12), ("Status", 10)):
            table.add_column(label, width=width)

    def reload(self) -> None:
        """Fetch the handover in a worker and redraw what changed."""
        target = self.target
        run_signed_in(
            self,
            lambda rt, session: handover.view(rt, session, target),
            self._show,
            self._message,
            group="handover-load",
        )

    def _set(self, selector: str, text: str) -> None:
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Plain).set_text(text)

    def _show(self, view: HandoverView) -> None:
        was_read_only = self.read_only
        self.view = view
        if self.read_only != was_read_only:
            self.refresh_bindings()  # the write keys come and go with the view
        self.target = ShiftRef(view.shift, view.shift_date)
        tz = host(self).config.site.timezone
        state = STATES.get(view.state or "", "ikke skrevet")
        edit = "" if view.editable else " · kun læsning"
        self._set("#handover-title", f"Overlevering · {view.label} · Tilstand: {state}{edit}")
        if view.derived is not None:
            self._set("#handover-figures", figures_text(view.derived, tz))
        self._set("#handover-acks", acks_line(view))
        self._set("#handover-help", READ_ONLY_HELP if not view.editable else HELP)
        rows = [(i, False) for i in view.items] + [(i, True) for i in view.pinned]
        cells = [item_cells(i, tz, pinned) for i, pinned in rows]
        table = self.query_one(DataTable)
        old = [item_cells(i, tz, p) for i, p in self.rows]
        if [i.id for i, _ in rows] != [i.id for i, _ in self.rows]:
            cursor = table.cursor_row
            table.clear()
            for (item, _), texts in zip(rows, cells, strict=True):
                table.add_row(*(Text(t) for t in texts), key=str(item.id))
            if rows:
                table.move_cursor(row=max(0, min(cursor, len(rows) - 1)))
        else:
            columns = list(table.columns)
            for (item, _), before, after in zip(rows, old, cells, strict=True):
                for index, (a, b) in enumerate(zip(before, after, strict=True)):
                    if a != b:
                        table.update_cell(str(item.id), columns[index], Text(b))
        self.rows = rows

    def _message(self, text: str) -> None:
        self.query_one("#handover-message", Plain).set_text(text)

    def _selected(self) -> HandoverItem | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            self._message("Vælg et punkt i listen.")
            return None
        return self.rows[table.cursor_row][0]

    def _call(self, func: Any, done: str) -> None:
        finished = partial(self._finished, done)
        run_service(self, func, finished, self._message, group="handover-action")

    def _finished(self, done: str, result: Any) -> None:
        # A service that returns its own confirmation (a deletion) is shown as is.
        self._message(result if isinstance(result, str) and result else done)
        self.watcher.poll()

    def _when_allowed(self, open_dialog: Any) -> None:
        """Ask the service "may I write?" first; open the dialog only on yes."""
        rt, session, target = self._ctx()
        may_write = partial(handover.check_may, rt, session, target, "write")
        open_if_allowed(self, may_write, open_dialog, self._message)

    def _ctx(self) -> tuple[Any, Any, ShiftRef]:
        app = host(self)
        session = app.session
        assert session is not None
        target = self.target or handover.current_shift(app.runtime)
        return app.runtime, session, target

    # --- actions -------------------------------------------------------------------
    def action_summary(self) -> None:
        """Write the overall state, the situation and the free text."""
        rt, session, target = self._ctx()
        items = {i.category: i.body for i in (self.view.items if self.view else ())}
        state = self.view.state if self.view and self.view.state else ""

        def submit(values: dict[str, str]) -> str:
            if not values["state"]:
                raise ValidationError("Vælg rolig, hold øje eller ustabil.", "state")
            handover.set_summary(
                rt,
                session,
                target,
                state=values["state"],
                situation=values["situation"],
                free_text=values["free_text"],
            )
            return "Overleveringen er gemt."

        fields = [
            choice_field("state", "Tilstand", [("", "Vælg"), *STATES.items()], state),
            text_field("situation", "Situation", items.get("situation", "")),
            text_field("free_text", "Fri tekst", items.get("fri", "")),
        ]
        note = "Kort: højst 300/500 tegn, intet CPR, ingen journal."
        key = f"handover.summary:{dialog_ref(target)}"
        self._when_allowed(
            lambda: self._dialog(
                NightDialog("Tilstand og situation", fields, submit, dialog=key, note=note)
            )
        )

    def _dialog(self, dialog: NightDialog) -> None:
        def closed(result: Any) -> None:
            if result is not None:
                self._message(str(result))
                self.watcher.poll()

        self.app.push_screen(dialog, closed)

    def action_add(self, kind: str) -> None:
        """Add an action (with owner and time) or an if-then plan."""
        rt, session, target = self._ctx()
        tz = rt.config.site.timezone

        def submit(values: dict[str, str]) -> str:
            due = None
            if kind == "handling":
                due = parse_clock(values["due"], rt.now() + timedelta(days=1), tz)
                if due < rt.now():
                    due += timedelta(days=1)
            handover_items.add_item(
                rt,
                session,
                target,
                kind,
                values["body"],
                owner=values.get("owner", ""),
                due_at=due,
            )
            return "Punktet er tilføjet."

        fields = [text_field("body", "Tekst")]
        if kind == "handling":
            fields += [text_field("owner", "Ansvarlig"), text_field("due", "Tidspunkt TT:MM")]
        title = "Ny handling til næste vagt" if kind == "handling" else "Ny hvis-så-plan"
        key = f"handover.{kind}:{dialog_ref(target)}"
        self._when_allowed(lambda: self._dialog(NightDialog(title, fields, submit, dialog=key)))

    def action_tick(self) -> None:
        """Tick the selected action off (or back on)."""
        item = self._selected()
        if item is None:
            return
        rt, session, _ = self._ctx()
        done = item.done_at is None
        self._call(
            lambda: handover_items.tick_action(rt, session, item.id, done),
            "Krydset af." if done else "Afkrydsning fjernet.",
        )

    def action_pin(self) -> None:
        """Pin the selected item until a date (empty unpins)."""
        item = self._selected()
        if item is None:
            return
        rt, session, _ = self._ctx()

        def submit(values: dict[str, str]) -> str:
            until = parse_date(values["until"])
            handover_items.pin_item(rt, session, item.id, until)
            return "Fastgjort." if until else "Ikke længere fastgjort."

        current = format_date(item.pinned_until) if item.pinned_until else ""
        fields = [text_field("until", "Til og med", current, placeholder="dd-mm-åååå")]
        key = f"handover.pin:{item.id}"
        dialog = NightDialog("Fastgør punkt", fields, submit, dialog=key, note="Tom dato fjerner.")
        if item.pinned_until is not None:  # a pinned item is managed by whoever meets it
            self._dialog(dialog)
        else:
            self._when_allowed(lambda: self._dialog(dialog))

    def action_resolve(self) -> None:
        """Mark the selected item resolved."""
        item = self._selected()
        if item is not None:
            rt, session, _ = self._ctx()
            self._call(lambda: handover_items.resolve_item(rt, session, item.id), "Markeret løst.")

    def action_delete(self) -> None:
        """Delete the selected action or plan: author or leader, asked first, then j/n."""
        item = self._selected()
        if item is None:
            return
        rt, session, _ = self._ctx()

        def ask() -> None:
            delete = partial(handover_items.delete_item, rt, session, item.id)
            done = partial(self._finished, "Slettet.")
            confirm_then(
                self, delete_question(item), delete, done, self._message, group="handover-action"
            )

        open_if_allowed(
            self,
            lambda: handover_items.check_may_delete(rt, session, item.id),
            ask,
            self._message,
        )

    def action_detail(self) -> None:
        """Show the selected item's whole text, wrapped (Enter)."""
        item = self._selected()
        if item is not None:
            tz = host(self).config.site.timezone
            self.app.push_screen(HandoverItemScreen(*item_detail(item, tz)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the table (the table binds Enter itself): show the item."""
        event.stop()
        self.action_detail()

    def action_acknowledge(self) -> None:
        """Sign that you have read this handover."""
        rt, session, target = self._ctx()

        def signed(names: tuple[str, ...]) -> None:
            self._message("Kvitteret. Underskrevet af: " + ", ".join(names))
            self.watcher.poll()

        run_service(
            self,
            lambda: handover.acknowledge(rt, session, target),
            signed,
            self._message,
            group="handover-action",
        )

    def action_switch(self) -> None:
        """Show the previous shift's handover, or back to the current one."""
        rt = host(self).runtime
        now = handover.current_shift(rt)
        before = ShiftRef(*previous_shift(now.shift, now.shift_date))
        self.target = now if self.target == before else before
        self.rows = []
        self._texts.clear()
        self.reload()

    def action_history(self) -> None:
        """Open the searchable history (coordinator and leader)."""
        session = host(self).session
        if session is None or not allowed(session.role, "handover.history"):
            self._message("Historikken er for koordinator og leder.")
            return
        self.app.push_screen(HandoverHistoryScreen(HandoverScreen))


def offer_pending_handover(node: DOMNode) -> None:
    """After login: open the previous shift's handover if nobody has signed it yet."""
    app = host(node)
    session = app.session
    if session is None or not app.runtime_ready():
        return
    rt = app.runtime

    def found(summary: Any) -> None:
        if summary is None or host(node).session is None:
            return
        text = f"Overleveringen fra {summary.label} er ikke kvitteret. Læs den og tryk k."
        node.app.push_screen(HandoverScreen(ShiftRef(summary.shift, summary.shift_date), text))

    run_service(
        node, lambda: handover.pending(rt, session), found, lambda _: None, group="handover-pending"
    )
