"""``akut export``: aggregated statistics for a period as table, Markdown, CSV, JSON or xlsx.

Runs as the operator who owns the database (like ``akut user``); every export
is audited with the operating-system user, the period, the format and whether
small counts were suppressed.
"""

from __future__ import annotations

import argparse
import getpass
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.cli.commands import export_formats as ef
from akut_tui.cli.commands.common import CliError, open_rt, owned_files
from akut_tui.core.errors import ValidationError, os_error_text
from akut_tui.core.outfiles import OutputRefused, check_target, write_file
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.statistics.compute import compute, resolve_period
from akut_tui.services.statistics.periods import Period, custom_period

if TYPE_CHECKING:
    from akut_tui.core.config import Config
    from akut_tui.services.base.runtime import Runtime
    from akut_tui.services.statistics.dto import StatsReport

FORMATS = ("table", "md", "csv", "json", "xlsx")
SUFFIXES = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".md": "md", ".txt": "table"}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``akut export`` and its options."""
    cmd = subparsers.add_parser("export", help="eksportér statistik for en periode")
    group = cmd.add_mutually_exclusive_group()
    group.add_argument(
        "--period",
        metavar="PERIODE",
        help="2015Q3, 2015-07, 2015, last-quarter, last-month, last-year, last-4-quarters "
        "eller all (standard: last-quarter)",
    )
    group.add_argument("--from", dest="date_from", metavar="DATO", help="første dato (inklusive)")
    cmd.add_argument("--to", dest="date_to", metavar="DATO", help="sidste dato (inklusive)")
    cmd.add_argument(
        "--by", choices=["month", "quarter"], help="opdel hver tabel pr. måned/kvartal"
    )
    cmd.add_argument(
        "--format",
        choices=FORMATS,
        help="standard: table på en terminal, json ellers (eller efter --out-filens endelse)",
    )
    cmd.add_argument(
        "--csv-dialect",
        choices=["excel-da", "rfc4180"],
        default="excel-da",
        help="excel-da: BOM, semikolon og decimalkomma (standard); rfc4180: til maskiner",
    )
    cmd.add_argument(
        "--out",
        metavar="FIL",
        help="skriv til FIL (ny fil, rettigheder 0600) i stedet for standard output",
    )
    cmd.add_argument(
        "--force",
        action="store_true",
        help="erstat en eksisterende FIL (aldrig databasen, nøgler, loggen eller ankre)",
    )
    cmd.add_argument(
        "--no-suppress",
        action="store_true",
        help="vis også tal under 5 (kun til intern brug; revisionslogges som sådan)",
    )


def _period(args: argparse.Namespace, rt: Runtime) -> object:

    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise ValidationError("Angiv både --from og --to.", "period")
        return custom_period(args.date_from, args.date_to)
    return resolve_period(rt, args.period or "last-quarter")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.out:
        return SUFFIXES.get(Path(args.out).suffix.lower(), "json")
    return "table" if sys.stdout.isatty() else "json"


def render(report: StatsReport, fmt: str, dialect: str) -> bytes:
    """Return the export in ``fmt`` as bytes."""

    if fmt in ("csv", "xlsx"):
        binary = io.BytesIO()
        if fmt == "csv":
            ef.write_csv(report, binary, dialect)
        else:
            ef.write_xlsx(report, binary)
        return binary.getvalue()
    text = io.StringIO()
    if fmt == "json":
        ef.write_json(report, text)
    else:
        ef.write_text(report, text, markdown=fmt == "md")
    return text.getvalue().encode("utf-8")


def audit_export(rt: Runtime, report: StatsReport, fmt: str, os_user: str) -> None:
    """Record the export: who (OS user), which period, which format, suppressed or not."""

    action = "stats.export" if report.suppression_applied else "stats.export_unsuppressed"
    with write_transaction():
        audit.record_command(rt, action, os_user, f"export.{fmt}", report.label[:40])


def _write_out(
    target: Path, data: bytes, protected: list[Path], *, force: bool, check_only: bool = False
) -> None:
    """Write the export to ``target`` through the shared output-file rules (or only check);
    ``protected``: the files Akut owns (:func:`owned_files`)."""

    try:
        if check_only:
            check_target(target, protected, force=force, what="eksporten")
        else:
            write_file(target, data, protected=protected, force=force, what="eksporten")
    except OutputRefused as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"kan ikke skrive {target}: {os_error_text(exc)}") from None


def run(args: argparse.Namespace, config: Config) -> int:
    """Compute, audit and write the export."""
    if args.date_to and not args.date_from:
        raise CliError("--to kræver --from", 2)
    rt = open_rt(args, config, create=False)
    fmt = _format(args)
    if fmt == "xlsx" and not args.out and sys.stdout.isatty():
        raise CliError("xlsx skrives ikke til en terminal; brug --out FIL.xlsx", 2)
    if args.force and not args.out:
        raise CliError("--force kræver --out", 2)
    try:
        period = _period(args, rt)
        assert isinstance(period, Period)
        # Suppressed figures exist only on the calendar grid: compute refuses other periods.
        report = compute(rt, period, by=args.by, suppress=not args.no_suppress)
    except ValidationError as exc:
        raise CliError(str(exc), 2) from None
    data = render(report, fmt, args.csv_dialect)
    if args.out:
        target, protected = Path(args.out), owned_files(config)
        _write_out(target, data, protected, force=args.force, check_only=True)
        audit_export(rt, report, fmt, getpass.getuser())
        _write_out(target, data, protected, force=args.force)
        print(
            f"Statistik for {report.first} til {report.last} skrevet til {target}.", file=sys.stderr
        )
    else:
        audit_export(rt, report, fmt, getpass.getuser())
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
