"""The list-screen base: a titled table, a message line, an empty state and lazy paging.

A list screen (contacts, drafts, follow-ups, persons, users; the bed board,
handover history and audit views to come) says what to load and how a row looks:

* :attr:`ListScreen.SPEC`, a :class:`ListSpec`: the id prefix (widget ids
  ``<prefix>-title``, ``-table``, ``-message``, ``-help``), the service call that
  loads the rows, the title, the columns and the fixed texts;
* :meth:`~ListScreen.cells`, one row's cells; rows are keyed by their database ``id``.

The base does the rest: it loads in a worker whose stale result is dropped, finds
the selected row by its key (never by cursor index), keeps the cursor on the same
key across a reload, adds rows :attr:`~ListScreen.PAGE_SIZE` at a time as the
cursor nears the end, and on a reload rewrites only the cells that changed
(``update_cell``), so a reload after an action costs a line, not a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Label

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui_kit.overrides import QuietScreen
from screens.support.host import host
from screens.support.key_markers import key_label
from screens.support.workers import run_service
from screens.widgets.quick_log_host import QuickLogHost
from screens.widgets.text import MessageLine, Plain


class Row(Protocol):
    """What a list row has unless its screen overrides ``key_of``: a database id (its key)."""

    @property
    def id(self) -> int:
        """The row's database id."""


RowT = TypeVar("RowT")
T = TypeVar("T")

Cells = tuple[Text, ...]
"""One table row as plain text cells (never markup)."""


@dataclass(frozen=True)
class ListSpec:
    """What a list screen shows around its rows (one per screen class, ``SPEC``)."""

    prefix: str
    """Prefix of the widget ids: ``contacts`` gives ``#contacts-table``."""
    load: Callable[[Runtime, SignedInUser], Sequence[Any]] | None
    """The service call that loads the rows (run in a worker); ``None``: see ``loader``."""
    title: str
    """The bold line at the top."""
    columns: tuple[str | tuple[str, int], ...]
    """Column headings, each optionally with a fixed width: ``("Borger", 26)``."""
    loading: str = ""
    """What the message line says before the rows arrive."""
    empty: str = ""
    """What the message line says when there are no rows."""
    keys: str = ""
    """A line of keys under the message line (left out when empty)."""
    key_line: bool = False
    """Without ``keys``: a line of the screen's own keys, from its bindings ("d kassér")."""


@dataclass(frozen=True)
class TablePlan:
    """What a reload changes in a table, by row key."""

    rebuild: bool
    """True: clear the table and add every row (the order changed)."""
    remove: tuple[str, ...] = ()
    """Rows that are gone."""
    append: tuple[str, ...] = ()
    """New rows, added at the end in this order."""


def plan_update(shown: Sequence[str], wanted: Sequence[str]) -> TablePlan:
    """How to turn the rows ``shown`` into ``wanted`` without a full redraw if possible.

    Rows that stay must keep their order and new rows may only follow them;
    anything else (a row moved, a new row in the middle) is a rebuild.
    """
    wanted_set = set(wanted)
    kept = [key for key in shown if key in wanted_set]
    if list(wanted[: len(kept)]) != kept:
        return TablePlan(rebuild=True)
    return TablePlan(
        rebuild=False,
        remove=tuple(key for key in shown if key not in wanted_set),
        append=tuple(wanted[len(kept) :]),
    )


class ListScreen(QuickLogHost, QuietScreen[None], Generic[RowT]):
    """A screen that is a table of rows of one kind, with a message line under it."""

    SPEC: ClassVar[ListSpec]
    """Title, ids, columns and fixed texts of the screen."""
    PAGE_SIZE: ClassVar[int] = 100
    """Rows added to the table at a time; more follow as the cursor nears the end."""

    BINDINGS = [Binding("escape", "app.go_home", "Tilbage", id="list.back")]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, RowT] = {}
        self._order: list[str] = []
        self._cells: dict[str, Cells] = {}
        self._about: str | None = None
        self._follow: str | None = None

    # --- what a list screen says -----------------------------------------------------
    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[RowT]]:
        """What loads the rows in a worker: ``SPEC.load(rt, session)`` unless overridden."""
        load = self.SPEC.load
        if load is None:
            raise NotImplementedError(f"{type(self).__name__}: give SPEC.load or a loader")
        return lambda: load(rt, session)

    def key_of(self, row: RowT) -> str:
        """The row's stable key in the table: its database id (see :class:`Row`)."""
        return str(cast(Row, row).id)

    def cells(self, row: RowT) -> Cells:
        """The row's cells, one per column."""
        raise NotImplementedError

    def loaded_message(self, rows: Sequence[RowT]) -> str | None:
        """The message after a load; ``None`` keeps the current one (no rows: ``SPEC.empty``)."""
        return self.SPEC.empty if not rows and self.SPEC.empty else None

    def rows_loaded(self, rows: Sequence[RowT]) -> None:
        """The rows are shown (a subclass may move the focus)."""

    def row_chosen(self, row: RowT) -> None:
        """Enter on a row (a subclass opens it)."""

    # --- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        spec = self.SPEC
        yield Label(spec.title, id=f"{spec.prefix}-title", classes="list-title")
        yield from self.compose_above_table()
        yield DataTable(id=f"{spec.prefix}-table", cursor_type="row", zebra_stripes=False)
        yield from self.compose_below_table()
        yield MessageLine(spec.loading, id=f"{spec.prefix}-message")
        keys = spec.keys or (self.keys_from_bindings() if spec.key_line else "")
        if keys:
            yield Plain(keys, id=f"{spec.prefix}-help", classes="list-help")
        yield from self.compose_quick_log()

    def compose_above_table(self) -> ComposeResult:
        """Widgets between the title and the table (a search field)."""
        yield from ()

    def compose_below_table(self) -> ComposeResult:
        """Widgets between the table and the message line (a fixed note)."""
        yield from ()

    def keys_from_bindings(self) -> str:
        """The screen's shown bindings as a key line, its own before the base's."""
        parts = [
            f"{key_label(item.key)} {item.description.lower()}"
            for cls in type(self).__mro__
            for item in cls.__dict__.get("BINDINGS", ())
            if isinstance(item, Binding) and item.show and item.description
        ]
        return " · ".join(parts)

    @property
    def table(self) -> DataTable[Any]:
        """The list's table."""
        return self.query_one(f"#{self.SPEC.prefix}-table", DataTable)

    @property
    def timezone(self) -> str:
        """The site's time zone, for formatting times in cells."""
        return host(self).config.site.timezone

    def on_mount(self) -> None:
        table = self.table
        for column in self.SPEC.columns:
            label, width = (column, None) if isinstance(column, str) else column
            table.add_column(label, width=width)
        self.first_load()

    def first_load(self) -> None:
        """Load the rows once the table is built (a live list starts its watcher instead)."""
        self.reload()

    # --- loading ---------------------------------------------------------------------
    def reload(self, message: str | None = None, *, about_row: bool = False) -> None:
        """Load the rows in a worker (a newer reload wins); show ``message`` once loaded.

        ``about_row``: the message is about the selected row (see :meth:`message`).
        """
        app = host(self)
        session = app.session
        if session is None:
            return
        load = self.loader(app.runtime, session)
        run_service(
            self,
            load,
            lambda rows: self._loaded(rows, message, about_row),
            self.load_failed,
            group=f"{self.SPEC.prefix}-load",
        )

    def act(
        self,
        call: Callable[[Runtime, SignedInUser], T],
        on_done: Callable[[T], object],
        on_error: Callable[[str], object] | None = None,
    ) -> None:
        """Run ``call(runtime, session)`` (an action on a row) in a worker.

        ``on_done(result)`` follows on the UI thread; a failure's Danish message
        goes to ``on_error`` or the message line. A newer action replaces one
        still running.
        """
        app = host(self)
        session = app.session
        if session is None:
            return
        rt = app.runtime
        run_service(
            self,
            lambda: call(rt, session),
            on_done,
            on_error or self.message,
            group=f"{self.SPEC.prefix}-action",
        )

    def load_failed(self, text: str) -> None:
        """A load failed: say so in the message line (the old rows stay)."""
        self.message(text)

    def _loaded(self, rows: Sequence[RowT], message: str | None, about_row: bool) -> None:
        self.show_rows(rows)
        self.rows_loaded(rows)
        text = message if message is not None else self.loaded_message(rows)
        if text is not None:
            self.message(text, about_row=about_row)

    def show_rows(self, rows: Sequence[RowT]) -> None:
        """Show ``rows``, redrawing only rows that are new or changed."""
        table = self.table
        selected = self.selected_key()
        old_index = table.cursor_row
        self._rows = {self.key_of(row): row for row in rows}
        self._order = list(self._rows)
        shown = [key.value for key in table.rows if key.value is not None]
        wanted = self._order[: max(self.PAGE_SIZE, len(shown))]
        plan = plan_update(shown, wanted)
        if plan.rebuild:
            table.clear()
            self._cells = {}
            self._append(wanted)
        else:
            for key in plan.remove:
                table.remove_row(key)
                self._cells.pop(key, None)
            for key in wanted[: len(wanted) - len(plan.append)]:
                self._update(key)
            self._append(plan.append)
        if table.row_count:
            follow, self._follow = self._follow, None
            if follow is not None and follow in self._order and follow not in self._cells:
                self._append(self._order[table.row_count : self._order.index(follow) + 1])
            if follow in self._cells:
                selected = follow  # the row just made or changed by this user
            target = (
                table.get_row_index(selected)
                if selected in self._cells
                else min(max(old_index, 0), table.row_count - 1)
            )
            table.move_cursor(row=target, animate=False)

    def _append(self, keys: Sequence[str]) -> None:
        table = self.table
        for key in keys:
            cells = self.cells(self._rows[key])
            self._cells[key] = cells
            table.add_row(*cells, key=key)

    def _update(self, key: str) -> None:
        cells = self.cells(self._rows[key])
        old = self._cells.get(key)
        if old == cells:
            return
        table = self.table
        for index, (column, cell) in enumerate(zip(table.columns, cells, strict=False)):
            if old is None or index >= len(old) or old[index] != cell:
                table.update_cell(key, column, cell)
        self._cells[key] = cells

    def _more(self) -> None:
        """Add the next page of rows once the cursor is near the end.

        When every loaded row is shown, a list that pages from its service
        (:meth:`load_more`) is asked for its next page.
        """
        table = self.table
        if table.row_count < len(self._order):
            self._append(self._order[table.row_count : table.row_count + self.PAGE_SIZE])
        else:
            self.load_more()

    def load_more(self) -> None:
        """Every loaded row is shown: fetch the next page (a list paged by the service)."""

    def add_rows(self, rows: Sequence[RowT]) -> None:
        """Add ``rows`` (the next page from :meth:`load_more`) at the end of the list."""
        fresh = []
        for row in rows:
            key = self.key_of(row)
            if key not in self._rows:
                self._rows[key] = row
                self._order.append(key)
                fresh.append(key)
        if self.table.row_count + len(fresh) >= len(self._order):
            self._append(fresh)

    def follow(self, key: str) -> None:
        """Put the cursor on the row ``key`` once it shows (a row this user just made)."""
        self._follow = key

    # --- selection and messages ------------------------------------------------------
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        table = self.table
        if not table.row_count or not 0 <= table.cursor_row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return key if key in self._rows else None

    def selected(self, hint: str = "") -> RowT | None:
        """The row under the cursor; if none, show ``hint`` (when given)."""
        key = self.selected_key()
        if key is None:
            if hint:
                self.message(hint)
            return None
        return self._rows[key]

    @property
    def rows(self) -> list[RowT]:
        """Every loaded row, in order (also those not yet added to the table)."""
        return [self._rows[key] for key in self._order]

    def message(self, text: str, *, about_row: bool = False) -> None:
        """Show ``text`` in the message line.

        ``about_row``: the text is about the selected row (a phone number, a CPR
        number, "anna er deaktiveret"); it goes as soon as the cursor is on
        another row, so it never looks as if it were about that one.
        """
        self._about = self.selected_key() if about_row else None
        self.query_one(f"#{self.SPEC.prefix}-message", Plain).set_text(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.table
        if event.cursor_row != table.cursor_row:
            return  # left over from a reload that passed this row on the way
        if self._about is not None and self.selected_key() != self._about:
            self.message("")
        if event.cursor_row >= table.row_count - 2:
            self._more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Enter: hand the selected row to :meth:`row_chosen`."""
        row = self.selected()
        if row is not None:
            self.row_chosen(row)
