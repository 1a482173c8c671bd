"""``akut audit person CPR [--from D --to D] [--format table|csv|json] [--out FILE]``.

The citizen's access report for the data protection officer: who read or
changed one person's data in a period, and the contacts and stays recorded
about them (codes only). The CPR may be given as ``-`` to read it from standard
input (so it is not seen in the process list); the output holds it only masked.
``--out`` follows the export's file rules (:mod:`akut_tui.core.outfiles`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from akut_tui.cli.commands.common import CliError, open_rt, owned_files
from akut_tui.core.config import Config
from akut_tui.core.outfiles import OutputRefused, check_target, write_file
from akut_tui.core.plural import count
from akut_tui.services.oversight.access_report import EARLIEST, access_report, report_rows
from akut_tui.services.statistics.periods import parse_date

if TYPE_CHECKING:
    from akut_tui.services.oversight.audit_dto import AccessReport

FORMATS = ("table", "csv", "json")


def add_parser(audit_sub: Any) -> None:
    """Declare ``audit person``."""
    person = audit_sub.add_parser("person", help="indsigtsrapport: hvem har set eller ændret "
                                  "en borgers data")  # fmt: skip
    person.add_argument("cpr", metavar="CPR", help="borgerens CPR-nummer ('-' = standard input)")
    person.add_argument("--from", dest="date_from", metavar="DATO", help="første dato (inklusive)")
    person.add_argument("--to", dest="date_to", metavar="DATO", help="sidste dato (inklusive)")
    person.add_argument("--format", choices=FORMATS, default="table", help="standard: table")
    person.add_argument("--out", metavar="FIL", help="skriv til FIL (ny fil, rettigheder 0600)")
    person.add_argument("--force", action="store_true", help="erstat en eksisterende FIL")


def render(report: AccessReport, fmt: str, tz: str) -> bytes:
    """The report as a table, CSV or JSON (UTF-8)."""
    lines = report_rows(report, tz)
    period = f"{report.start:%d-%m-%Y} til {report.end:%d-%m-%Y}"
    if fmt == "json":
        keys = ("afsnit", "tidspunkt", "hvem", "hvad", "hvorfra")
        body = {"borger": report.person, "periode": period,
                "linjer": [dict(zip(keys, line, strict=True)) for line in lines]}  # fmt: skip
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode()
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(("afsnit", "tidspunkt", "hvem", "hvad", "hvorfra"))
        writer.writerows(lines)
        return buffer.getvalue().encode()
    buffer.write(f"Indsigtsrapport for {report.person}, {period}\n")
    buffer.write(
        f"{count(len(report.lines), 'hændelse')}, {count(len(report.contacts), 'henvendelse')}, "
        f"{count(len(report.stays), 'ophold')}\n\n"
    )
    for section, when, _who, what, where in lines:
        buffer.write(f"{section:<12} {when:<16}  {what}{f'  [{where}]' if where else ''}\n")
    return buffer.getvalue().encode()


def run(args: argparse.Namespace, config: Config) -> int:
    """Produce (and audit) the report; write it to standard output or ``--out``."""
    if args.force and not args.out:
        raise CliError("--force kræver --out", 2)
    start = parse_date(args.date_from) if args.date_from else EARLIEST
    rt = open_rt(args, config, create=False)
    end = parse_date(args.date_to) if args.date_to else rt.today()
    cpr = sys.stdin.readline() if args.cpr == "-" else args.cpr
    target = Path(args.out) if args.out else None
    try:
        if target is not None:
            check_target(target, owned_files(config), force=args.force, what="rapporten")
        report = access_report(rt, None, cpr, start, end)
        data = render(report, args.format, config.site.timezone)
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return 0
        write_file(target, data, protected=owned_files(config), force=args.force, what="rapporten")
    except OutputRefused as exc:
        raise CliError(str(exc)) from None
    print(f"Indsigtsrapporten er skrevet til {target}.", file=sys.stderr)
    return 0
