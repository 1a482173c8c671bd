"""The audit log (leader): events newest first in Danish words, filtered, paged by key.

Five one-row fields above the table filter by user, person (CPR or nickname),
kind of action and a day range; Enter in any of them searches. The list pages
from the service: when the cursor nears the last row the next page (``seq``
below the last shown) is fetched in a worker. The line under the fields shows
the chain's last check; ``v`` runs a new one in a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input

from akut_tui.core.clock import format_datetime
from akut_tui.core.errors import ValidationError
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight import audit_chain, audit_log
from akut_tui.services.oversight.audit_dto import AuditFilter, AuditLine, AuditPage, ChainStatus
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.support.host import host
from screens.support.workers import run_service
from screens.widgets.person_search import PersonSearchInput
from screens.widgets.text import Plain, TextInput

FIELDS = (
    ("user", "bruger", 12),
    ("person", "CPR/kaldenavn", 16),
    ("kind", "slags", 9),
    ("start", "fra dd-mm-åååå", 16),
    ("end", "til dd-mm-åååå", 16),
)
"""(field, placeholder, width) of the filter fields, left to right."""
HELP = "Enter søg · Tab næste felt · ↓ listen · v kontrollér kæden · Esc tilbage"


class PageRows(list[AuditLine]):
    """A page's lines, with the seq to ask for the next page (``None``: no more)."""

    next_before: int | None = None


class AuditLogScreen(ListScreen[AuditLine]):
    """The leader's audit log."""

    SPEC = ListSpec(
        "audit", None, "Revisionsspor",
        (("Tidspunkt", 16), ("Hændelse", 42), ("Hvorfra", 13)),
        loading="Henter hændelser…", empty="Ingen hændelser passer til filteret.", keys=HELP,
    )  # fmt: skip

    BINDINGS = [
        Binding("v", "verify", "Kontrollér kæden", id="audit.verify"),
        Binding("slash", "focus_filter", "Filterfelter", id="audit.filter"),
        Binding("down", "focus_table", "Til listen", show=False, id="audit.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter = AuditFilter()
        self._next: int | None = None
        self._generation = 0
        self._fetching = False

    def compose_above_table(self) -> ComposeResult:
        with Horizontal(id="audit-filters"):
            for name, placeholder, width in FIELDS:
                kind = PersonSearchInput if name == "person" else TextInput
                field = kind(id=f"audit-{name}", placeholder=placeholder, max_length=40)
                field.styles.width = width
                yield field
        yield Plain("Kæden: henter status…", id="audit-chain")

    def on_mount(self) -> None:
        self.table.focus()
        self._chain_status()

    # --- loading -------------------------------------------------------------------
    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[AuditLine]]:
        flt = self._filter
        self._generation += 1
        self._fetching = False

        def load() -> Sequence[AuditLine]:
            page = audit_log.audit_page(rt, session, flt)
            rows = PageRows(page.lines)
            rows.next_before = page.next_before
            return rows

        return load

    def rows_loaded(self, rows: Sequence[AuditLine]) -> None:
        self._next = rows.next_before if isinstance(rows, PageRows) else None

    def key_of(self, row: AuditLine) -> str:
        """Events are known by their seq."""
        return str(row.seq)

    def cells(self, row: AuditLine) -> Cells:
        return (Text(format_datetime(row.at, self.timezone)), Text(row.text), Text(row.place))

    def loaded_message(self, rows: Sequence[AuditLine]) -> str | None:
        if not rows:
            return self.SPEC.empty
        more = " (flere hentes, når du når bunden)" if self._next is not None else ""
        return f"Nyeste hændelser først{more}."

    def load_more(self) -> None:
        """Fetch the page below the last line shown, in a worker."""
        before, app = self._next, host(self)
        session = app.session
        if before is None or self._fetching or session is None:
            return
        self._fetching = True
        generation, flt, rt = self._generation, self._filter, app.runtime

        def done(page: AuditPage) -> None:
            if generation != self._generation:
                return  # a newer search replaced this list
            self._fetching = False
            self._next = page.next_before
            self.add_rows(page.lines)

        def failed(text: str) -> None:
            self._fetching = False
            self.message(text)

        run_service(
            self, lambda: audit_log.audit_page(rt, session, flt, before), done, failed,
            group="audit-more",
        )  # fmt: skip

    def row_chosen(self, row: AuditLine) -> None:
        """Enter on a line: the whole sentence in the message line."""
        self.message(f"{row.text} ({row.place or 'ukendt sted'})", about_row=True)

    # --- filters -------------------------------------------------------------------
    def _value(self, name: str) -> str:
        if name == "person":  # a typed CPR is shown masked from now on
            return self.query_one("#audit-person", PersonSearchInput).take()
        return self.query_one(f"#audit-{name}", Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = [self._value(name) for name, _, _ in FIELDS]
        try:
            flt = audit_log.parse_filter(*values)
        except ValidationError as exc:
            self.message(str(exc))
            if exc.field:
                self.query_one(f"#audit-{exc.field}", Input).focus()
            return
        self._filter = flt
        self._next = None
        self.reload()
        self.table.focus()

    def action_focus_filter(self) -> None:
        """Move the focus to the first filter field."""
        self.query_one("#audit-user", Input).focus()

    def action_focus_table(self) -> None:
        """Down in a filter field: go to the list."""
        self.table.focus()

    # --- the chain -----------------------------------------------------------------
    def _show_chain(self, status: ChainStatus) -> None:
        when = (
            f" ({format_datetime(status.checked_at, self.timezone)})" if status.checked_at else ""
        )
        style = "" if status.ok else "bold"
        self.query_one("#audit-chain", Plain).set_text(f"{status.text}{when}", style)

    def _chain_status(self) -> None:
        session = host(self).session
        if session is None:
            return
        run_service(
            self, lambda: audit_chain.last_check(session), self._show_chain,
            lambda text: self.query_one("#audit-chain", Plain).set_text(text),
            group="audit-chain",
        )  # fmt: skip

    def action_verify(self) -> None:
        """Walk the whole chain now, in a worker (it can take a while on a big log)."""
        app = host(self)
        session, rt = app.session, app.runtime
        if session is None:
            return
        self.query_one("#audit-chain", Plain).set_text("Kontrollerer kæden… (det kan tage tid)")
        run_service(
            self, lambda: audit_chain.run_check(rt, session), self._show_chain,
            lambda text: self.query_one("#audit-chain", Plain).set_text(text),
            group="audit-chain",
        )  # fmt: skip
