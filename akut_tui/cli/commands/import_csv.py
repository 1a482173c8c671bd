"""``akut import FILE.csv [--dry-run]``: load historical contacts, all or nothing."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.cli.commands.common import CliError, open_rt
from akut_tui.cli.commands.stats_refresh import refresh_after
from akut_tui.core.clock import format_date
from akut_tui.core.errors import os_error_text
from akut_tui.core.plural import count, join_sentences
from akut_tui.services.importing.digest import AlreadyImported
from akut_tui.services.importing.importer import import_contacts
from akut_tui.services.importing.source_file import ImportFailed

if TYPE_CHECKING:
    from akut_tui.core.config import Config


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``akut import``."""
    cmd = subparsers.add_parser("import", help="indlæs historiske henvendelser fra CSV")
    cmd.add_argument("file", metavar="FIL.csv", help="UTF-8, ; eller , som skilletegn")
    cmd.add_argument(
        "--dry-run", action="store_true", help="kontroller hele filen uden at skrive noget"
    )


def run(args: argparse.Namespace, config: Config) -> int:
    """Check (and unless ``--dry-run`` write) the file; one line on stderr for the first bad row."""

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"kan ikke læse {args.file}: {os_error_text(exc)}", 2) from None
    rt = open_rt(args, config, create=False)
    try:
        result = import_contacts(rt, data, dry_run=args.dry_run, os_user=getpass.getuser())
    except (ImportFailed, AlreadyImported) as exc:
        raise CliError(join_sentences(f"{args.file}: {exc}", "intet er indlæst"), 1) from None
    span = ""
    if result.first and result.last:
        span = f" ({format_date(result.first)} til {format_date(result.last)})"
    contacts = count(result.contacts, "henvendelse")
    if result.dry_run:
        print(f"Filen er i orden: {contacts}{span}. Intet er skrevet (--dry-run).")
        if result.duplicates:
            print(
                f"{result.duplicates} af {count(result.contacts, 'række')} er allerede indlæst; "
                "en indlæsning af filen vil blive afvist."
            )
        else:
            print("Ingen af rækkerne er indlæst før.")
    else:
        print(f"Indlæst {contacts}{span}; {count(result.persons_new, 'ny person')}.")
        if result.first and result.last:  # the closed years the rows fell in, counted here
            refresh_after(rt, range(result.first.year, result.last.year + 1))
    sys.stdout.flush()
    return 0
