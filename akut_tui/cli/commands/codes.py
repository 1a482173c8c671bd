"""``akut codes``: every value list (code, current Danish label, retired or not).

For imports and other systems. The labels are those in the database (a leader
may relabel a value); retired values are listed too, marked, since old
contacts and the statistics still use their codes (issue 18 §6).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from akut_tui.cli.commands.common import open_rt
from akut_tui.services.base.value_lists import stored_value_lists
from db.database import sqlite_path
from db.value_lists import VALUE_LISTS

if TYPE_CHECKING:
    from akut_tui.core.config import Config

StoredLists = dict[str, list[tuple[str, str, bool]]]
"""List name → (code, label, in use)."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``akut codes``."""
    cmd = subparsers.add_parser(
        "codes", help="vis alle værdilister (kode, betegnelse, udgåede værdier)"
    )
    cmd.add_argument("--format", choices=["table", "json"], default="table")


def _lists(args: argparse.Namespace, config: Config) -> StoredLists:
    """The database's lists (labels may be edited there); the packaged ones without a database."""

    path = sqlite_path(args.db or config.database_url())
    if path is not None and not path.exists():
        print("akut: ingen database endnu; viser de indbyggede lister.", file=sys.stderr)
        return {name: [(c, lab, True) for c, lab in items] for name, items in VALUE_LISTS.items()}
    return stored_value_lists(open_rt(args, config, create=False))


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the value lists as a table or JSON (``{"list": [{"code", "label", "retired"}]}``)."""
    lists = _lists(args, config)
    if args.format == "json":
        doc = {
            name: [{"code": c, "label": lab, "retired": not on} for c, lab, on in items]
            for name, items in lists.items()
        }
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    # Lazy: keeps the CLI start from loading tabulate (tests/unit/test_architecture.py).
    from tabulate import tabulate

    rows = [
        [name, code, label, "i brug" if on else "udgået"]
        for name, items in lists.items()
        for code, label, on in items
    ]
    headers = ["Liste", "Kode", "Betegnelse", "Status"]
    print(tabulate(rows, headers=headers, disable_numparse=True))
    return 0
