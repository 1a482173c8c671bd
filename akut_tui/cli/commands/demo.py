"""``akut demo``: a separate database with a year of synthetic data, then the TUI on it.

The demo never touches the real database: it lives in its own folder (default
``~/.local/share/akut/demo/``) with its own keys beside it, and a path that holds a
database not made by ``akut demo`` is refused. Creating it imports no Textual;
only starting the TUI does.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.cli.commands.common import CliError
from akut_tui.core.config import default_data_dir
from akut_tui.core.plural import count
from akut_tui.services.demo.build import create_demo, is_demo
from akut_tui.services.startup.opening import open_runtime
from db.database import database, open_database, sqlite_path

if TYPE_CHECKING:
    from akut_tui.core.config import Config


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``akut demo``."""
    cmd = subparsers.add_parser(
        "demo", help="opret en demodatabase med syntetiske data og start den"
    )
    cmd.add_argument("--months", type=int, default=12, help="måneder med data (standard 12)")
    cmd.add_argument("--seed", type=int, default=2015, help="startværdi for tilfældige data")
    cmd.add_argument(
        "--db", dest="demo_db", metavar="STI", help="demodatabasens fil (standard i datamappen)"
    )
    cmd.add_argument(
        "--create-only", action="store_true", help="opret kun databasen; start ikke brugerfladen"
    )


def demo_path(args: argparse.Namespace) -> Path:
    """The demo database file (absolute)."""

    if args.demo_db:
        return Path(args.demo_db).expanduser().resolve()
    return default_data_dir() / "demo" / "akut-demo.db"


def demo_config(config: Config, path: Path) -> Config:
    """The configuration pointed at the demo file, with its keys beside it."""
    security = dataclasses.replace(config.security, key_dir="", anchor_file="")
    return dataclasses.replace(
        config,
        database=dataclasses.replace(config.database, url=f"sqlite:///{path}"),
        security=security,
    )


def _check_target(path: Path, config: Config) -> None:
    """Refuse the real database and any file that is not an earlier demo."""

    real = sqlite_path(config.database_url())
    if real is not None and real.resolve() == path:
        raise CliError("demodatabasen må ikke være den rigtige database; vælg en anden sti", 2)
    if not path.exists():
        if (path.parent / "audit.key").exists():
            raise CliError(
                f"{path.parent} har nøgler til en anden database; vælg en tom mappe med --db", 2
            )
        return

    try:
        open_database(f"sqlite:///{path}", create=False)
        demo = is_demo()
    except Exception:  # noqa: BLE001 - any unreadable file is not a demo database
        demo = False
    finally:
        if not database.is_closed():
            database.close()
    if not demo:
        raise CliError(f"{path} er ikke en demodatabase; vælg en anden sti med --db", 2)


def run(args: argparse.Namespace, config: Config) -> int:
    """Build the demo database, print the demo users' passwords, start the TUI."""

    if not 1 <= args.months <= 120:
        raise CliError("--months skal være mellem 1 og 120", 2)
    path = demo_path(args)
    _check_target(path, config)
    cfg = demo_config(config, path)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)  # an earlier demo (checked above) is rebuilt

    rt = open_runtime(cfg, create=True)
    result = create_demo(rt, months=args.months, seed=args.seed, os_user=getpass.getuser())
    print(f"Demodatabase: {path}")
    print(
        f"{count(result.contacts, 'henvendelse')} og {count(result.stays, 'overnatningsophold')} "
        f"fra {result.first:%d-%m-%Y} til {result.last:%d-%m-%Y} (syntetiske data)."
    )
    print("Demobrugere (adgangskoderne vises kun nu):")
    for name, role, password in result.users:
        print(f"  {name:<18} {role:<12} {password}")
    sys.stdout.flush()
    if args.create_only:
        print(f"Start brugerfladen på den med: akut --db sqlite:///{path}")
        return 0
    if sys.stdin.isatty():
        # The TUI takes over the screen: give time to note a password first.
        try:
            input("Skriv adgangskoden ned, og tryk Enter for at starte Akut på demodatabasen ...")
        except EOFError:
            return 0
    # Lazy: keeps the CLI from loading Textual.
    from akut_tui.tui.run import run_tui

    return run_tui(cfg, db_url=f"sqlite:///{path}")
