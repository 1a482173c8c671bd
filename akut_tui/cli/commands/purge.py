"""``akut purge [--dry-run] [--no-vacuum] [--anchor FILE]``: apply the ``[retention]`` settings.

Prints one line per kind of data (what, setting, cut-off, rows). ``--dry-run``
shows what would go and changes nothing. The audit chain is verified first,
against the configured anchor file (``[security] anchor_file``) and every
``--anchor``; a broken chain stops the purge (exit 1, the row named). When the
purge cuts the chain, the base it leaves is written to the anchor target as an
anchor line. Meant for a nightly timer together with ``akut audit anchor``
(see docs/audit.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from akut_tui.cli.commands.audit import configured_anchors, write_anchor_line
from akut_tui.cli.commands.common import EXIT_OK, fail, open_rt
from akut_tui.cli.commands.stats_refresh import refresh_after
from akut_tui.core.clock import utc_now
from akut_tui.core.config import Config
from akut_tui.core.plural import count
from akut_tui.services.audit.anchors import Anchor, AnchorError
from akut_tui.services.audit.retention import purge
from db.database import sqlite_path


def add_parser(subparsers: Any) -> None:
    """Declare ``purge``."""
    cmd = subparsers.add_parser("purge", help="slet data efter [retention]-indstillingerne")
    cmd.add_argument("--dry-run", action="store_true", help="vis hvad der ville blive slettet")
    cmd.add_argument(
        "--no-vacuum", action="store_true", help="spring VACUUM over (frie sider er nulstillet)"
    )
    cmd.add_argument(
        "--anchor",
        metavar="FIL",
        action="append",
        default=[],
        help="kontroller også kæden mod ankrene i FIL før sletningen (kan gives flere gange)",
    )


def run(args: argparse.Namespace, config: Config) -> int:
    """Purge (or count) and print the table."""
    # Lazy: keeps the CLI start from loading tabulate (tests/unit/test_architecture.py).
    from tabulate import tabulate

    rt = open_rt(args, config, create=False)
    try:
        anchors = configured_anchors(config, list(args.anchor))
    except AnchorError as exc:
        return fail(f"sletning afvist: {exc}")
    started = time.monotonic()
    report = purge(
        rt,
        dry_run=args.dry_run,
        run_vacuum=not args.no_vacuum,
        anchors=anchors,
        live_file=sqlite_path(config.database_url()),
    )
    took = time.monotonic() - started
    if report.base is not None and config.anchor_path() is not None:
        line = Anchor(*report.base).line(utc_now())
        try:
            write_anchor_line(config, line)
        except AnchorError as exc:
            print(f"akut: advarsel: sletningens base blev ikke ankret: {exc}", file=sys.stderr)
    rows = [[line.what, line.setting, line.cutoff, line.count] for line in report.lines]
    verb = "Ville slette" if report.dry_run else "Slettet"
    print(tabulate(rows, headers=["Data", "Indstilling", "Ældre end", verb]))
    if report.dry_run:
        print(f"Prøvekørsel: intet er ændret ({count(report.total, 'række')} ville blive berørt).")
    else:
        print(f"{count(report.total, 'række')} slettet eller tømt på {took:.1f} s.")
        if not report.wal_clean:
            print("Bemærk: en anden session læste; -wal tømmes ved næste kørsel.")
        refresh_after(rt)  # the purged years' statistics, counted once here
    return EXIT_OK
