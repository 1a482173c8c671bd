"""``akut export``: aggregated statistics for a period as table, Markdown, CSV, JSON or xlsx.

Runs as the operator who owns the database (like ``akut user``); every export
is audited with the operating-system user, the period, the format and whether
small counts were suppressed. The command checks its usage, hands one plain
request to :func:`akut_tui.services.exporting.statistics_file.export_statistics`
and prints what it returns.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.cli.commands.common import OPENING_ERRORS, CliError, opening_failure, os_user
from akut_tui.services.exporting.formats import FORMATS
from akut_tui.services.exporting.statistics_file import ExportRequest, export_statistics

if TYPE_CHECKING:
    from akut_tui.core.config import Config

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


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.out:
        return SUFFIXES.get(Path(args.out).suffix.lower(), "json")
    return "table" if sys.stdout.isatty() else "json"


def request_from(args: argparse.Namespace) -> ExportRequest:
    """Check the options' usage (exit code 2) and return the plain export request."""
    if args.date_to and not args.date_from:
        raise CliError("--to kræver --from", 2)
    fmt = _format(args)
    if fmt == "xlsx" and not args.out and sys.stdout.isatty():
        raise CliError("xlsx skrives ikke til en terminal; brug --out FIL.xlsx", 2)
    if args.force and not args.out:
        raise CliError("--force kræver --out", 2)
    return ExportRequest(
        period=args.period or "last-quarter",
        date_from=args.date_from,
        date_to=args.date_to,
        by=args.by,
        suppress=not args.no_suppress,
        fmt=fmt,
        dialect=args.csv_dialect,
        out=Path(args.out) if args.out else None,
        force=args.force,
        os_user=os_user(),
    )


def run(args: argparse.Namespace, config: Config) -> int:
    """Compute, audit and write the export (one service call)."""
    request = request_from(args)
    try:
        result = export_statistics(config, request)
    except OPENING_ERRORS as exc:
        raise opening_failure(exc) from None
    if result.written_to is not None:
        print(
            f"Statistik for {result.first} til {result.last} skrevet til {result.written_to}.",
            file=sys.stderr,
        )
    else:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    return 0
