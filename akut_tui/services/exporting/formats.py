"""Render a :class:`StatsReport` as a terminal table, Markdown, CSV, JSON or xlsx.

No Textual here: the export runs on servers without a terminal. Text cells are
never evaluated by a spreadsheet: CSV cells starting with ``= + - @``, tab, CR
or NUL (also after leading whitespace or invisible characters) get a leading
``'`` and every text cell is quoted (docs/security.md row 24);
xlsx cells are written as strings, never as formulas.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from akut_tui import __version__
from akut_tui.core.clock import format_date
from akut_tui.services.statistics.dto import StatsReport, StatTable

FORMATS = ("table", "md", "csv", "json", "xlsx")
DIALECTS = ("excel-da", "rfc4180")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\0")
FORMULA_SIGNS = ("=", "+", "-", "@")
FLAT_COLUMNS = (
    "table",
    "month",
    "quarter",
    "shift",
    "code",
    "label",
    "count",
    "share",
    "mean_min",
    "median_min",
)
"""The CSV is one long table: every statistics table's rows under these columns."""


def _formula_head(text: str) -> str:
    """Return ``text`` without what a spreadsheet skips before a formula sign.

    Leading whitespace of any kind (space, newline, no-break space) and invisible
    format characters (zero-width space and joiners, BOM, direction marks: Unicode
    category Cf) are dropped; the first character left is NFKC-folded, so a
    full-width ``＝`` counts as ``=``.
    """
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start]) == "Cf"
    ):
        start += 1
    head = text[start:]
    return unicodedata.normalize("NFKC", head[:1]) + head[1:]


SMALL_COUNTS = (
    "ADVARSEL: denne fil indeholder små tal (1-4) uden skjulning og kan udpege personer; "
    "kun til intern brug, må ikke deles"
)
"""The first line of every export made with ``--no-suppress``."""


def neutralise(text: str) -> str:
    """Prefix a cell a spreadsheet would read as a formula with ``'``.

    A cell is dangerous when it starts with a tab, carriage return or NUL, or when
    ``= + - @`` comes first after any leading whitespace or invisible characters.
    """
    if text.startswith(DANGEROUS_START) or _formula_head(text).startswith(FORMULA_SIGNS):
        return "'" + text
    return text


def to_json(report: StatsReport) -> dict[str, Any]:
    """The JSON contract of docs/export.md."""
    warning = {} if report.suppression_applied else {"warning": SMALL_COUNTS}
    return {
        **warning,
        "period": {"from": report.first, "to": report.last, "label": report.label},
        "site": report.site,
        "generated_at": report.generated_at,
        "akut_version": __version__,
        "suppression": {"threshold": report.threshold, "applied": report.suppression_applied},
        "by": report.by,
        "tables": [
            {
                "name": t.name,
                "title": t.title,
                "denominator": t.denominator,
                **({"denominators": t.denominators} if t.denominators else {}),
                "note": t.note,
                "columns": list(t.columns),
                "rows": [list(row) for row in t.rows],
            }
            for t in report.tables
        ],
    }


def write_json(report: StatsReport, out: IO[str]) -> None:
    """Write the JSON export."""
    json.dump(to_json(report), out, ensure_ascii=False, indent=1)
    out.write("\n")


def _flat_rows(report: StatsReport) -> Iterable[list[Any]]:
    for table in report.tables:
        for row in table.rows:
            cells = dict(zip(table.columns, row, strict=True))
            yield [table.name if c == "table" else cells.get(c) for c in FLAT_COLUMNS]


def _csv_cell(value: Any, dialect: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if dialect == "excel-da" else text
    text = neutralise(str(value))
    return '"' + text.replace('"', '""') + '"'


def write_csv(report: StatsReport, out: IO[bytes], dialect: str = "excel-da") -> None:
    """Write one long CSV; ``excel-da``: UTF-8 BOM, ``;`` and decimal comma, CRLF lines."""
    sep = ";" if dialect == "excel-da" else ","
    lines = [] if report.suppression_applied else [_csv_cell(SMALL_COUNTS, dialect)]
    lines.append(sep.join(_csv_cell(c, dialect) for c in FLAT_COLUMNS))
    lines += [sep.join(_csv_cell(c, dialect) for c in row) for row in _flat_rows(report)]
    data = "\r\n".join(lines) + "\r\n"
    if dialect == "excel-da":
        out.write(b"\xef\xbb\xbf")
    out.write(data.encode("utf-8"))


def _human(value: Any, column: str) -> str:
    if value is None:
        return "–" if column in ("count", "share", "mean_min", "median_min") else ""
    if column == "share" and isinstance(value, float):
        return f"{value * 100:.1f} %".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


HEADINGS = {
    "code": "Kode",
    "label": "Betegnelse",
    "count": "Antal",
    "share": "Andel",
    "mean_min": "Gns. min.",
    "median_min": "Median min.",
    "shift": "Vagt",
    "month": "Måned",
    "quarter": "Kvartal",
}


def _cells(table: StatTable) -> tuple[list[str], list[list[str]]]:
    headers = [HEADINGS.get(c, c) for c in table.columns]
    rows = [[_human(v, c) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
    return headers, rows


def _heading(report: StatsReport) -> str:
    """The human formats' first line: the period in dd-mm-åååå (the data keep ISO dates)."""
    state = "tal under 5 skjult" if report.suppression_applied else "UDEN skjulning af små tal"
    first = format_date(date.fromisoformat(report.first))
    last = format_date(date.fromisoformat(report.last))
    return f"{report.site}: {first} til {last} ({report.label}; {state})"


def write_text(report: StatsReport, out: IO[str], markdown: bool = False) -> None:
    """Write every table with tabulate (``md``: GitHub Markdown)."""
    # Lazy: keeps the CLI start from loading tabulate (tests/unit/test_architecture.py).
    from tabulate import tabulate

    fmt = "github" if markdown else "simple"
    if not report.suppression_applied:
        out.write(("> " if markdown else "") + SMALL_COUNTS + "\n\n")
    out.write(("# " if markdown else "") + _heading(report) + "\n")
    for table in report.tables:
        headers, rows = _cells(table)
        denominator = "–" if table.denominator is None else str(table.denominator)
        title = f"{table.title} [{table.name}], nævner {denominator}"
        out.write("\n" + ("## " if markdown else "") + title + "\n")
        if table.note:
            out.write(("\n" if markdown else "") + table.note + "\n")
        if markdown:
            out.write("\n")
            rows = [[c.replace("|", "\\|") for c in row] for row in rows]
        out.write(tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True) + "\n")


EXPLANATION: Sequence[tuple[str, str]] = (
    ("Periode", "En henvendelse hører til perioden efter den lokale dato, den startede."),
    ("Nævner", "Andele er af tabellens nævner (normalt alle krisehenvendelser i perioden)."),
    ("Ikke registreret", "Hver fordeling har en række for ikke registreret / ikke vurderet."),
    (
        "Flere værdier",
        "Symptomer, begivenheder, tiltag og metode: én henvendelse kan tælle flere gange.",
    ),
    (
        "Skjulte tal",
        "Antal 1-4 vises som tomme felter, og flere felter skjules, så de ikke kan regnes ud.",
    ),
    (
        "Kanal (ministeriet)",
        "Pårørende og samarbejdspartnere går forud for kontaktform; "
        "overnattende gæster tæller som fremmøde.",
    ),
    (
        "Stille opkald m.m.",
        "Stille opkald, forkert nummer og testopkald tælles kun i tabellen contacts.",
    ),
)


def write_xlsx(report: StatsReport, out: IO[bytes]) -> None:
    """Write one sheet per table plus a sheet explaining the figures."""
    # Lazy: keeps every export but xlsx from loading XlsxWriter.
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    decimal = book.add_format({"num_format": "0.0"})
    info = book.add_worksheet("Forklaring")
    if not report.suppression_applied:
        info.write_string(0, 1, SMALL_COUNTS, bold)
        info.write_string(0, 0, "ADVARSEL", bold)
        info.write_string(1, 0, _heading(report), bold)
    else:
        info.write_string(0, 0, _heading(report), bold)
    lines = [*EXPLANATION, ("Genereret", report.generated_at), ("Akut", __version__)]
    for index, (key, text) in enumerate(lines, start=2):
        info.write_string(index, 0, key, bold)
        info.write_string(index, 1, text)
    info.set_column(0, 0, 22)
    info.set_column(1, 1, 90)
    for table in report.tables:
        sheet = book.add_worksheet(table.name[:31])
        sheet.write_string(0, 0, table.title, bold)
        sheet.write_string(1, 0, "Nævner")
        if table.denominator is None:
            sheet.write_blank(1, 1, None)
        else:
            sheet.write_number(1, 1, table.denominator)
        for col, name in enumerate(table.columns):
            sheet.write_string(3, col, name, bold)
        for r, row in enumerate(table.rows, start=4):
            for col, (value, name) in enumerate(zip(row, table.columns, strict=True)):
                if value is None:
                    sheet.write_blank(r, col, None)
                elif isinstance(value, bool | int | float):
                    fmt = (
                        percent
                        if name == "share"
                        else decimal
                        if isinstance(value, float)
                        else None
                    )
                    sheet.write_number(r, col, float(value), fmt)
                else:
                    sheet.write_string(r, col, str(value))
        sheet.set_column(0, len(table.columns), 16)
    book.close()
    out.write(buffer.getvalue())


def render(report: StatsReport, fmt: str, dialect: str) -> bytes:
    """Return the export in ``fmt`` (one of :data:`FORMATS`) as bytes."""
    if fmt in ("csv", "xlsx"):
        binary = io.BytesIO()
        if fmt == "csv":
            write_csv(report, binary, dialect)
        else:
            write_xlsx(report, binary)
        return binary.getvalue()
    text = io.StringIO()
    if fmt == "json":
        write_json(report, text)
    else:
        write_text(report, text, markdown=fmt == "md")
    return text.getvalue().encode("utf-8")
