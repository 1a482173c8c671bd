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

DEFAULT_PERIOD = "last-4-quarters"
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


HIDDEN = "–"
"""A hidden count (and its share)."""
NO_SHARE = "·"
"""A shown count with no share (no denominator of the same kind, or it is hidden)."""
LEGEND = (
    f"{HIDDEN} = skjult: under 5, eller skjult så et andet lille tal ikke kan regnes ud "
    f"· {NO_SHARE} = ingen andel"
)


def _pct(value: float | None, count: int | None = 0) -> str:
    if value is None:
        return HIDDEN if count is None else NO_SHARE
    return f"{value * 100:.0f}%"


def _count(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


def _date(iso: str) -> str:
    """``YYYY-MM-DD`` as dd-mm-åååå."""
    year, month, day = iso.split("-")
    return f"{day}-{month}-{year}"


def months_label(monthly: Sequence[tuple[str, int | None]]) -> str:
    """The line under the sparkline: the months shown, the busiest, the hidden ones."""
    if not monthly:
        return "  ingen måneder i perioden"
    shown = [n for _, n in monthly if n is not None]
    hidden = len(monthly) - len(shown)
    first, last = monthly[0][0], monthly[-1][0]
    text = f"  {first[5:]}-{first[:4]} til {last[5:]}-{last[:4]}"
    if shown and max(shown) > 0:
        text += f", flest på en måned: {max(shown)}"
    elif not hidden:
        text += ": ingen krisehenvendelser"
    if hidden:
        text += f"; {hidden} {'måned' if hidden == 1 else 'måneder'} skjult ({HIDDEN}, vist som 0)"
    return text


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
        share = _pct(row["share"], row["count"])
        lines.append(f"  {label:<{width}} {_count(row['count']):>6} {share:>5}{extra}")
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
    lines.append("       (antal; søjlen i forhold til vagtens største)")
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
        share = _pct(row["share"], value)
        lines.append(f"  {row['label']:<8} {bar:<30} {_count(value):>6} {share:>5}")
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
    _shown = ""
    """The period whose figures are on screen (empty: none)."""

    def compose(self) -> ComposeResult:
        """The period field, a status line and the figures in one scrolling column."""
        yield Plain("Statistik", id="stats-title")
        with Horizontal(id="stats-bar"):
            yield Plain("Periode: ")
            yield TextInput(value=DEFAULT_PERIOD, id="stats-period")
            yield Plain("  Enter/F10: beregn (fx 2015Q3, 2015-07, all)")
        yield Plain("", id="stats-status")
        yield Plain(LEGEND, id="stats-legend")
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
        shown = self._shown
        note = f"; tallene nedenfor er stadig for {shown}" if shown else ""
        self.query_one("#stats-status", Plain).set_text(f"Tæller … (tasterne virker imens){note}")
        run_service(
            self,
            lambda: stats.view_statistics(rt, session, text),
            self._show,
            self._failed,
            group=BACKGROUND,  # keys typed meanwhile are not held back until it ends
        )

    def _failed(self, message: str) -> None:
        """Show the message (it wraps) and clear the figures: they were another period's."""
        if not self.is_attached:
            return  # the user left while counting
        self.query_one("#stats-status", Plain).set_text(message)
        for plain in self.query("#stats-body Plain").results(Plain):
            if not plain.has_class("stats-head"):
                plain.set_text("")
        self.query_one("#stats-months", Sparkline).data = [0.0]
        self.query_one("#stats-summary", Plain).set_text("Ingen tal: perioden kunne ikke beregnes.")
        self._shown = ""

    def _show(self, report: StatsReport) -> None:
        if not self.is_attached:
            return  # the user left while counting

        def put(name: str, text: str) -> None:
            self.query_one(f"#stats-{name}", Plain).set_text(text)

        contacts = {r[0]: r[2] for r in report.table("contacts").rows}
        crisis = report.table("crisis_level").denominator
        rest = [v for k, v in contacts.items() if k != "krise"]
        others = HIDDEN if None in rest else str(sum(v or 0 for v in rest))
        self._shown = f"{report.label}: {_date(report.first)} til {_date(report.last)}"
        self.query_one("#stats-status", Plain).set_text(self._shown)
        put(
            "summary",
            f"Krisehenvendelser: {_count(crisis)} · stille opkald, fejl- og testopkald: {others}",
        )
        months = [float(n or 0) for _, n in report.monthly]
        self.query_one("#stats-months", Sparkline).data = months or [0.0]
        put("months-label", months_label(report.monthly))
        put("channel", figures_text(report.table("channel_ministry")))
        put("levels", figures_text(report.table("crisis_level")))
        put("by-shift", level_bars(report.table("crisis_level_by_shift")))
        put("minutes", figures_text(report.table("duration_by_shift"), width=16))
        put("hours", hour_strip(report.table("hour_of_day")))
        put("weekdays", weekday_bars(report.table("weekday")))
        put("overnight", figures_text(report.table("overnight")))
        put("persons", figures_text(report.table("persons")))
