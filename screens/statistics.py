"""Statistics screen (leader and coordinator): a period's main tables and charts.

The figures are the export's own (:func:`akut_tui.services.statistics.compute.view_statistics`),
suppression included, computed in a thread worker so the screen answers keys
while a year is counted. Charts are plain text (block characters) plus one
Textual ``Sparkline``: readable in 16 colours at 80x24, and nothing is redrawn
while nothing changes (no timers, no animation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Sparkline

from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.dto import StatsReport, StatTable
from akut_tui.tui_kit.overrides import QuietScreen
from akut_tui.tui_kit.typeahead import BACKGROUND
from screens.support.host import host
from screens.support.key_markers import CapturesLetters
from screens.support.workers import run_service
from screens.widgets.text import Plain, TextInput

DEFAULT_PERIOD = "last-12-months"
BLOCKS = " ▁▂▃▄▅▆▇█"
BAR = "█"
SHIFT_NAMES = {"dag": "Dag", "aften": "Aften", "nat": "Nat"}
LEVEL_SHORT = {
    "alvorlig": "Alvorlig",
    "middel": "Middel",
    "let": "Let",
    "ikke_krise": "Ikke krise",
    "ikke_vurderet": "Ikke vurd.",
}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _rows(table: StatTable) -> list[dict[str, Any]]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def figures_text(table: StatTable, codes: Sequence[str] | None = None, width: int = 44) -> str:
    """A compact two-column listing: label, count, share (hidden counts as '–')."""
    lines = []
    for row in _rows(table):
        if codes is not None and row["code"] not in codes:
            continue
        label = str(row["label"])[:width]
        extra = ""
        if "mean_min" in row and row["mean_min"] is not None:
            extra = f"  gns. {row['mean_min']:.0f} min, median {row['median_min']:.0f}"
        lines.append(f"  {label:<{width}} {_count(row['count']):>6} {_pct(row['share']):>5}{extra}")
    return "\n".join(lines)


def level_bars(table: StatTable) -> str:
    """Crisis level by shift: counts, with bars scaled to the shift's largest shown count."""
    rows = _rows(table)
    head = "       " + "".join(f"{LEVEL_SHORT[c]:<14}" for c in LEVEL_SHORT)
    lines = [head.rstrip()]
    for shift, name in SHIFT_NAMES.items():
        cells = {r["code"]: r["count"] for r in rows if r["shift"] == shift}
        top = max((v for v in cells.values() if v), default=0)
        line = f"{name:<7}"
        for code in LEVEL_SHORT:
            value = cells.get(code)
            bar = BAR * max(1, round(7 * value / top)) if value and top else ""
            line += f"{bar:<7}{_count(value):>5}  "
        lines.append(line.rstrip())
    lines.append("       (antal; søjlen i forhold til vagtens største; – = skjult, under 5)")
    return "\n".join(lines)


def hour_strip(table: StatTable) -> str:
    """Contacts by hour of day as a heat strip of block characters (two per hour)."""
    counts = [r["count"] for r in _rows(table) if r["code"] != "ikke_registreret"]
    top = max((c for c in counts if c), default=0)
    cells = []
    for value in counts:
        if value is None:
            cells.append("··")
        else:
            level = round((len(BLOCKS) - 1) * value / top) if top else 0
            cells.append(BLOCKS[level] * 2)
    labels = "".join(f"{h:02d}{' ' * 10}" for h in range(0, 24, 6))
    return "  " + "".join(cells) + "\n  " + labels.rstrip() + "  (timer, lokal tid)"


def weekday_bars(table: StatTable) -> str:
    """Contacts by weekday as horizontal bars (up to 30 blocks)."""
    rows = [r for r in _rows(table) if r["code"] != "ikke_registreret"]
    top = max((r["count"] or 0 for r in rows), default=0)
    lines = []
    for row in rows:
        value = row["count"]
        bar = BAR * round(30 * value / top) if value and top else ""
        lines.append(f"  {row['label']:<8} {bar:<30} {_count(value):>6} {_pct(row['share']):>5}")
    return "\n".join(lines)


class StatisticsScreen(CapturesLetters, QuietScreen[None]):
    """Pick a period (same syntax as ``akut export``) and read the figures.

    Letters are the period's text wherever the focus is (they never open another
    screen; the F-keys do), and PgDn/PgUp scroll the figures from the period
    field too: priority bindings, so the field cannot keep them.
    """

    BINDINGS = [
        Binding("f10", "recompute", "Beregn igen", id="stats.recompute"),
        Binding("pagedown", "scroll_figures(1)", "Rul tallene ned", priority=True,
                id="stats.page_down"),
        Binding("pageup", "scroll_figures(-1)", "Rul tallene op", priority=True,
                id="stats.page_up"),
        Binding("escape", "app.go_home", "Tilbage til forsiden", id="stats.back"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        """The period field, a status line and the figures in one scrolling column."""
        yield Plain("Statistik", id="stats-title")
        with Horizontal(id="stats-bar"):
            yield Plain("Periode: ")
            yield TextInput(value=DEFAULT_PERIOD, id="stats-period")
            yield Plain("  Enter/F10: beregn (fx 2015Q3, 2015-07, all)")
        yield Plain("", id="stats-status")
        with VerticalScroll(id="stats-body"):
            yield Plain("", id="stats-summary")
            yield Plain("Henvendelser pr. måned", classes="stats-head")
            yield Sparkline([], id="stats-months")
            yield Plain("", id="stats-months-label")
            for name, title in (
                ("channel", "Kontaktform (ministeriets opgørelse)"),
                ("levels", "Kriseniveau"),
                ("by-shift", "Kriseniveau pr. vagt"),
                ("minutes", "Samtalens varighed pr. vagt"),
                ("hours", "Henvendelser pr. time"),
                ("weekdays", "Henvendelser pr. ugedag"),
                ("overnight", "Overnatning"),
                ("persons", "Personer"),
            ):
                yield Plain(title, classes="stats-head")
                yield Plain("", id=f"stats-{name}")

    def on_mount(self) -> None:
        """Count the default period at once (in a worker)."""
        self.query_one("#stats-period", Input).focus()
        self._compute(DEFAULT_PERIOD)

    def action_scroll_figures(self, pages: int) -> None:
        """Scroll the figures a page down (1) or up (-1), wherever the focus is."""
        body = self.query_one("#stats-body", VerticalScroll)
        if pages > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def action_recompute(self) -> None:
        """Count again for the period in the field."""
        self._compute(self.query_one("#stats-period", Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the period field counts that period."""
        event.stop()
        self._compute(event.value)

    def _compute(self, text: str) -> None:
        app = host(self)
        session = app.session
        if session is None or not app.runtime_ready():
            return

        rt = app.runtime
        self.query_one("#stats-status", Plain).set_text("Tæller … (tasterne virker imens)")
        run_service(
            self,
            lambda: stats.view_statistics(rt, session, text),
            self._show,
            self._failed,
            group=BACKGROUND,  # keys typed meanwhile are not held back until it ends
        )

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return  # the user left while counting
        self.query_one("#stats-status", Plain).set_text(message)

    def _show(self, report: StatsReport) -> None:
        if not self.is_attached:
            return  # the user left while counting

        def put(name: str, text: str) -> None:
            self.query_one(f"#stats-{name}", Plain).set_text(text)

        contacts = {r[0]: r[2] for r in report.table("contacts").rows}
        crisis = report.table("crisis_level").denominator
        others = sum(v or 0 for k, v in contacts.items() if k != "krise")
        self.query_one("#stats-status", Plain).set_text(
            f"{report.first} til {report.last} · tal under 5 er skjult (–)"
        )
        put(
            "summary",
            f"Krisehenvendelser: {_count(crisis)} · stille opkald, fejl- og testopkald: {others}",
        )
        months = [float(n) for _, n in report.monthly]
        self.query_one("#stats-months", Sparkline).data = months or [0.0]
        if report.monthly:
            first, last = report.monthly[0][0], report.monthly[-1][0]
            top = max(n for _, n in report.monthly)
            put("months-label", f"  {first} til {last}, højst {top} på en måned")
        else:
            put("months-label", "  ingen henvendelser i perioden")
        put("channel", figures_text(report.table("channel_ministry")))
        put("levels", figures_text(report.table("crisis_level")))
        put("by-shift", level_bars(report.table("crisis_level_by_shift")))
        put("minutes", figures_text(report.table("duration_by_shift"), width=16))
        put("hours", hour_strip(report.table("hour_of_day")))
        put("weekdays", weekday_bars(report.table("weekday")))
        put("overnight", figures_text(report.table("overnight")))
        put("persons", figures_text(report.table("persons")))
