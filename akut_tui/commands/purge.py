"""``akut purge [--dry-run] [--no-vacuum]``: apply the ``[retention]`` settings.

Prints one line per kind of data (what, setting, cut-off, rows). ``--dry-run``
shows what would go and changes nothing. Meant for a nightly timer together
with ``akut audit anchor`` (see docs/audit.md).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from akut_tui.commands.common import EXIT_OK, open_rt
from akut_tui.config import Config
from akut_tui.plural import count


def add_parser(subparsers: Any) -> None:
    """Declare ``purge``."""
    cmd = subparsers.add_parser("purge", help="slet data efter [retention]-indstillingerne")
    cmd.add_argument("--dry-run", action="store_true", help="vis hvad der ville blive slettet")
    cmd.add_argument(
        "--no-vacuum", action="store_true", help="spring VACUUM over (frie sider er nulstillet)"
    )


def run(args: argparse.Namespace, config: Config) -> int:
    """Purge (or count) and print the table."""
    from tabulate import tabulate

    from akut_tui.services.retention import purge

    rt = open_rt(args, config, create=False)
    started = time.monotonic()
    report = purge(rt, dry_run=args.dry_run, run_vacuum=not args.no_vacuum)
    took = time.monotonic() - started
    rows = [[line.what, line.setting, line.cutoff, line.count] for line in report.lines]
    verb = "Ville slette" if report.dry_run else "Slettet"
    print(tabulate(rows, headers=["Data", "Indstilling", "Ældre end", verb]))
    if report.dry_run:
        print(f"Prøvekørsel: intet er ændret ({count(report.total, 'række')} ville blive berørt).")
    else:
        print(f"{count(report.total, 'række')} slettet eller tømt på {took:.1f} s.")
        if not report.wal_clean:
            print("Bemærk: en anden session læste; -wal tømmes ved næste kørsel.")
    return EXIT_OK
