"""``akut audit verify [--anchor FILE]``, ``akut audit anchor [--to FILE]``, ``audit person``.

``verify`` walks the whole hash chain and names the first bad sequence
number; with ``--anchor`` it also compares the chain with every recorded head
(a file of anchor lines, ``-`` for standard input, or ``journal`` to read
``journalctl -t akut-audit -o cat``). ``anchor`` verifies the chain and then
records its head in syslog/journald, or appends it to ``--to FILE``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from akut_tui.cli.commands import audit_person
from akut_tui.cli.commands.common import EXIT_FAILURE, EXIT_OK, fail, open_rt, owned_files
from akut_tui.core.clock import utc_now
from akut_tui.core.config import Config
from akut_tui.core.key_files import KeyFileError
from akut_tui.core.plural import count
from akut_tui.core.site_keys import read_site_id
from akut_tui.services.audit import anchors as anchor_service
from akut_tui.services.audit.anchors import (
    AnchorError,
    anchor_map,
    parse_anchors,
    read_anchor_file,
    read_journal,
)
from akut_tui.services.audit.trail import verify_chain


def add_parser(subparsers: Any) -> None:
    """Declare ``audit verify`` and ``audit anchor``."""
    audit = subparsers.add_parser("audit", help="revisionsspor")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=type(audit))
    verify = audit_sub.add_parser("verify", help="kontroller hele kæden og nævn første fejl")
    verify.add_argument(
        "--anchor",
        metavar="FIL",
        action="append",
        default=[],
        help="sammenlign med ankre i FIL ('-' = standard input, 'journal' = journald); "
        "kan gives flere gange",
    )
    anchor = audit_sub.add_parser("anchor", help="skriv kædens hoved til syslog eller en fil")
    anchor.add_argument("--to", metavar="FIL", help="tilføj ankeret som én linje i FIL")
    audit_person.add_parser(audit_sub)


def configured_anchors(config: Config, extra: list[str]) -> dict[int, str]:
    """Read the configured anchor file (if it exists yet) and the files named in ``extra``.

    Raises :class:`~akut_tui.services.audit.anchors.AnchorError` for an unreadable file or
    two anchors that contradict each other.
    """

    names = list(extra)
    configured = config.anchor_path()
    if configured is not None:
        if configured.exists():
            names.append(str(configured))
        else:
            print(
                f"akut: advarsel: ankerfilen {configured} findes ikke endnu; "
                "intet anker at kontrollere mod",
                file=sys.stderr,
            )
    return anchor_map(_read_anchors(names))


def write_anchor_line(config: Config, line: str) -> str:
    """Send ``line`` to the anchor target: the configured file, else syslog; return where."""

    configured = config.anchor_path()
    if configured is not None:
        anchor_service.append_to_file(configured, line)
        return str(configured)
    anchor_service.send_to_syslog(line)
    return "syslog"


def _read_anchors(names: list[str]) -> list[Any]:

    anchors = []
    for name in names:
        if name == "-":
            anchors.extend(parse_anchors(sys.stdin.read()))
        elif name == "journal":
            anchors.extend(parse_anchors(read_journal()))
        else:
            anchors.extend(read_anchor_file(Path(name)))
    return anchors


def run(args: argparse.Namespace, config: Config) -> int:
    """Carry out ``audit verify``, ``audit anchor`` or ``audit person``."""
    if args.audit_command == "person":
        return audit_person.run(args, config)
    rt = open_rt(args, config, create=False)
    names = list(args.anchor) if args.audit_command == "verify" else []
    if args.audit_command == "anchor" and args.to and Path(args.to).exists():
        names.append(args.to)  # never anchor a chain that contradicts an earlier anchor
    try:
        found = _read_anchors(names)
        wanted = anchor_service.anchor_map(found)
    except AnchorError as exc:
        return fail(str(exc))
    if names and not found:
        return fail(f"ingen ankre fundet i {', '.join(names)}")

    try:  # the chain must carry this site's identity once it has one (``akut init``)
        site_id = read_site_id(config.key_directory())
    except KeyFileError as exc:
        return fail(str(exc))
    report = verify_chain(rt.keys.audit, anchors=wanted, site_id=site_id)
    if not report.ok:
        return fail(
            f"revisionssporet er brudt ved række seq={report.first_bad_seq}: {report.problem}."
        )
    if args.audit_command == "verify":
        extra = f", {report.anchors_checked} ankre passer" if names else ""
        if report.anchors_purged:
            extra += (
                f"; {report.anchors_purged} ankre ligger i den slettede del af kæden og kan "
                "ikke sammenlignes"
            )
        print(
            f"Revisionssporet er intakt: {count(report.rows, 'hændelse')} (seq {report.first_seq}-"
            f"{report.last_seq}){extra}. Sidste hash {report.last_mac}."
        )
        return EXIT_OK
    head = anchor_service.Anchor(report.last_seq, report.last_mac)
    line = head.line(utc_now())
    try:
        if args.to:
            if anchor_service.append_to_file(Path(args.to), line, owned_files(config)):
                print(
                    f"akut: advarsel: {args.to} blev oprettet af denne konto; ankre skal ligge "
                    "hvor tjenestekontoen ikke kan rette dem (se docs/audit.md)",
                    file=sys.stderr,
                )
        else:
            anchor_service.send_to_syslog(line)
    except AnchorError as exc:
        return fail(str(exc), EXIT_FAILURE)
    print(line)
    return EXIT_OK
