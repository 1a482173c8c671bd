"""Command-line interface: ``akut`` starts the TUI; sub-commands administer without it.

Only the TUI path imports Textual, so ``akut export``, ``akut user`` and the
others stay fast and can run on a server with no terminal. Exit codes: 0 ok,
1 runtime failure, 2 bad usage or bad configuration. Errors are one line on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from akut_tui import __version__
from akut_tui.cli import argparse_da
from akut_tui.cli.commands import audit as audit_command
from akut_tui.cli.commands import backup as backup_command
from akut_tui.cli.commands import codes, demo, export, import_csv, stats_refresh
from akut_tui.cli.commands import purge as purge_command
from akut_tui.cli.commands import restore as restore_command
from akut_tui.cli.commands.common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    open_rt,
    secure_files,
)
from akut_tui.core.clock import format_datetime
from akut_tui.core.config import Config, ConfigError, load_config, resolve_config_path
from akut_tui.core.errors import AkutError, ValidationError
from akut_tui.core.incident import report_incident
from akut_tui.services.accounts import users as accounts
from db.database import connection
from db.migrate import schema_version

EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a writer whose reader went away (128 + SIGPIPE)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"akut: fejl: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command (its texts in Danish)."""
    argparse_da.install()
    parser = _Parser(prog="akut", description="Akut: registrering for sociale akuttilbud.")
    parser.add_argument(
        "--version",
        action="version",
        version=f"akut {__version__}",
        help="vis programmets version og afslut",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="konfigurationsfil (ellers $AKUT_CONFIG eller ./config.toml)",
    )
    parser.add_argument("--db", metavar="URL", help="database-URL; tilsidesætter [database] url")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("run", help="start brugerfladen (standard)")
    sub.add_parser("init", help="opret eller opgrader databasen og nøglerne")

    user = sub.add_parser("user", help="administrer brugere")
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = user_sub.add_parser("add", help="opret en bruger")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["medarbejder", "koordinator", "leder"])
    add.add_argument("--name", default="", help="visningsnavn")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="læs adgangskoden som én linje fra standard input",
    )
    add.add_argument(
        "--one-time",
        action="store_true",
        help="brugeren skal vælge en ny adgangskode ved første login",
    )
    user_sub.add_parser("list", help="vis alle brugere")
    for name, text in (
        ("disable", "deaktiver en bruger"),
        ("enable", "genaktiver en bruger"),
        ("unlock", "ophæv en midlertidig spærring"),
    ):
        cmd = user_sub.add_parser(name, help=text)
        cmd.add_argument("username")
    passwd = user_sub.add_parser("passwd", help="sæt en ny adgangskode (engangskode)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.add_argument(
        "--permanent", action="store_true", help="adgangskoden skal ikke skiftes ved næste login"
    )
    role = user_sub.add_parser("role", help="skift rolle")
    role.add_argument("username")
    role.add_argument("role", choices=["medarbejder", "koordinator", "leder"])

    audit_command.add_parser(sub)
    backup_command.add_parser(sub)
    restore_command.add_parser(sub)
    purge_command.add_parser(sub)
    for module in (export, codes, import_csv, demo, stats_refresh):
        module.add_parser(sub)
    return parser


def _load(args: argparse.Namespace) -> Config:
    try:
        return load_config(resolve_config_path(args.config))
    except ConfigError as exc:
        raise CliError(f"konfigurationsfejl: {exc}", EXIT_USAGE) from None


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.buffer.readline()
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise CliError("adgangskoden er ikke gyldig UTF-8", EXIT_USAGE) from None
        return text.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CliError("ingen terminal: brug --password-stdin", EXIT_USAGE)
    first = getpass.getpass("Adgangskode: ")
    second = getpass.getpass("Gentag adgangskode: ")
    if first != second:
        raise CliError("de to adgangskoder er ikke ens", EXIT_USAGE)
    return first


def _cmd_init(args: argparse.Namespace, config: Config) -> int:

    rt = open_rt(args, config, create=True)
    for warning in secure_files(config):
        print(f"akut: {warning}", file=sys.stderr)
    with connection():
        version = schema_version()
    print(f"Databasen er klar (skemaversion {version}).")
    stats_refresh.refresh_after(rt)  # a new Akut counts the closed years here, once
    return EXIT_OK


def _cmd_user(args: argparse.Namespace, config: Config) -> int:

    rt = open_rt(args, config, create=False)
    command = args.user_command
    if command == "add":
        password = _read_password(args.password_stdin)
        info = accounts.create_user(
            rt,
            args.username,
            password,
            args.role,
            actor=None,
            display_name=args.name,
            one_time=args.one_time,
        )
        print(f"Bruger {info.username} oprettet som {info.role}.")
    elif command == "list":
        # Lazy: keeps the CLI start from loading tabulate (tests/unit/test_architecture.py).
        from tabulate import tabulate

        tz = config.site.timezone
        rows = [
            [
                u.username,
                u.role,
                "aktiv" if u.active else "deaktiveret",
                format_datetime(u.locked_until, tz) if u.locked_until else "",
                format_datetime(u.last_login_at, tz) if u.last_login_at else "",
            ]
            for u in accounts.list_users(rt, None)
        ]
        print(tabulate(rows, headers=["Bruger", "Rolle", "Status", "Låst til", "Sidste login"]))
    elif command in ("disable", "enable"):
        info = accounts.set_active(rt, None, args.username, command == "enable")
        print(f"Bruger {info.username} er {'aktiv' if info.active else 'deaktiveret'}.")
    elif command == "unlock":
        info = accounts.unlock_user(rt, None, args.username)
        print(f"Spærringen af {info.username} er ophævet.")
    elif command == "passwd":
        password = _read_password(args.password_stdin)
        info = accounts.set_password(rt, None, args.username, password, one_time=not args.permanent)
        print(f"Ny adgangskode sat for {info.username}.")
    elif command == "role":
        info = accounts.set_role(rt, None, args.username, args.role)
        print(f"{info.username} har nu rollen {info.role}.")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace, config: Config) -> int:
    # Lazy: keeps the CLI from loading Textual.
    from akut_tui.tui.run import run_tui

    return run_tui(config, db_url=args.db)


COMMANDS = {
    "init": _cmd_init,
    "user": _cmd_user,
    "audit": audit_command.run,
    "backup": backup_command.run,
    "restore": restore_command.run,
    "purge": purge_command.run,
    "run": _cmd_run,
    "export": export.run,
    "codes": codes.run,
    "import": import_csv.run,
    "demo": demo.run,
    "refresh-stats": stats_refresh.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)

    try:
        config = _load(args)
        if args.db is not None and not args.db.startswith(
            ("sqlite:////", "postgresql://", "postgres://")
        ):
            raise CliError(
                "--db skal være sqlite:////absolut/sti eller postgresql://...", EXIT_USAGE
            )
        if args.db is not None:
            # The keys live beside the database actually used, not the configured one.
            config = dataclasses.replace(
                config, database=dataclasses.replace(config.database, url=args.db)
            )
        handler = COMMANDS[args.command or "run"]
        return handler(args, config)
    except BrokenPipeError:
        return _quiet_after_broken_pipe()
    except CliError as exc:
        print(f"akut: {exc}", file=sys.stderr)
        return exc.code
    except ValidationError as exc:  # the command's input was refused
        print(f"akut: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AkutError as exc:
        print(f"akut: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("akut: afbrudt", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: never a traceback with personal data
        incident = report_incident(exc, config_dir=Path.cwd())
        print(f"akut: uventet fejl (hændelse {incident}); se fejlloggen", file=sys.stderr)
        return EXIT_FAILURE


def _quiet_after_broken_pipe() -> int:
    """End quietly when the reader closed the pipe (``akut user list | head -1``).

    Standard output is pointed at /dev/null so Python's final flush at exit does
    not raise (and print) the same error again.
    """

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout has no file descriptor (captured in a test): nothing to flush
    finally:
        os.close(devnull)
    return EXIT_BROKEN_PIPE
