"""``akut restore PATH [--unsigned] [--anchor FILE]``: put a backup back, after checking it.

Checks, none of which can be skipped (``--unsigned`` skips only the first):

1. the signature ``PATH.sig`` matches (HMAC-SHA256 with ``backup.key``), which
   catches an edit of any table;
2. ``PRAGMA integrity_check`` and a known schema version;
3. the audit chain verifies with this installation's audit key, is not empty,
   starts at this site's signed identity (seq 0 names ``site.id``), and
   reaches and agrees with every anchor (the configured ``anchor_file`` and
   ``--anchor``), so it is neither shorter than nor divergent from the newest.

Then the live database is saved beside itself (``akut.db.before-restore-<time>``,
removed by the purge after ``draft_days``), the copy is written into it with
SQLite's online backup API, a ``backup.restore`` event (``backup.restore_unsigned``
with ``--unsigned``) continues the restored chain, retention is applied at once
(notes or CPR numbers purged since the backup was made go again) and the new head
is written to the anchor target.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from akut_tui.cli.commands.audit import configured_anchors, write_anchor_line
from akut_tui.cli.commands.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CliError, fail, os_user
from akut_tui.core import backup_signature
from akut_tui.core.clock import utc_now
from akut_tui.core.config import Config
from akut_tui.core.key_files import KeyFileError, load_keys
from akut_tui.core.plural import count
from akut_tui.core.site_keys import load_backup_key, read_site_id
from akut_tui.services.audit import trail as audit
from akut_tui.services.audit.anchors import AnchorError, current_head
from akut_tui.services.audit.retention import purge
from akut_tui.services.audit.trail import verify_chain
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.startup.opening import open_runtime
from db.backup import BackupError, copy_into, integrity, vacuum_into
from db.database import connection, database, open_database, sqlite_path
from db.migrate import schema_version
from db.migrations import LATEST

RESTORE_ACTION = "backup.restore"
UNSIGNED_ACTION = "backup.restore_unsigned"


def add_parser(subparsers: Any) -> None:
    """Declare ``restore``."""
    cmd = subparsers.add_parser("restore", help="gendan en sikkerhedskopi (kontrolleres først)")
    cmd.add_argument("path", metavar="FIL", help="kopien, lavet med 'akut backup'")
    cmd.add_argument(
        "--unsigned",
        action="store_true",
        help="kopien har ingen signatur (lavet med et andet værktøj); alle andre kontroller "
        "køres, og gendannelsen registreres som usigneret",
    )
    cmd.add_argument(
        "--anchor",
        metavar="FIL",
        action="append",
        default=[],
        help="kopiens kæde skal også passe med ankrene i FIL (kan gives flere gange)",
    )


def check_copy(
    copy: Path,
    work_dir: Path,
    audit_key: bytes,
    *,
    site_id: str | None = None,
    anchors: Mapping[int, str] | None = None,
) -> str:
    """Return ``""`` if ``copy`` is sound (integrity, schema, audit chain), else the problem."""

    problem = integrity(copy)
    if problem != "ok":
        return f"kopien er beskadiget (integrity_check: {problem})"
    scratch = work_dir / f".restore-check-{os.getpid()}.db"
    try:
        copy_into(copy, scratch)  # checked on a scratch copy: the backup stays untouched
        open_database(f"sqlite:///{scratch}", create=False)
        with connection():
            version = schema_version()
        if version is None or version > LATEST:
            return f"kopien har en ukendt skemaversion ({version})"
        report = verify_chain(audit_key, anchors=anchors, site_id=site_id)
        if not report.ok:
            return (
                f"revisionssporet i kopien er brudt ved seq={report.first_bad_seq}: "
                f"{report.problem} (eller nøglen passer ikke til kopien)"
            )
        if report.rows == 0:
            return "revisionssporet i kopien er tomt (en kopi af dette sted har altid hændelser)"
        return ""
    except BackupError as exc:
        return str(exc)
    finally:
        if not database.is_closed():
            database.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)


def _fingerprint(path: Path) -> str:
    """The first 16 hex digits of the copy's SHA-256 (names the copy in the audit trail)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def _preflight(args: argparse.Namespace, config: Config, copy: Path) -> tuple[bytes, str, Any]:
    """Load the keys, check the signature and read the anchors; raise CliError on a refusal."""

    key_dir = config.key_directory()
    try:
        keys = load_keys(key_dir)
        site_id = read_site_id(key_dir)
        if not args.unsigned:
            backup_signature.check(load_backup_key(key_dir), copy)
    except (KeyFileError, backup_signature.SignatureError) as exc:
        raise CliError(f"gendannelse afvist: {exc}. Databasen er ikke ændret.") from None
    if site_id is None:
        raise CliError(
            f"gendannelse afvist: stedets identitet ({key_dir / 'site.id'}) mangler; "
            "læg nøglemappen tilbage fra dens sikkerhedskopi. Databasen er ikke ændret."
        )
    try:
        anchors = configured_anchors(config, list(args.anchor))
    except AnchorError as exc:
        raise CliError(f"gendannelse afvist: {exc}. Databasen er ikke ændret.") from None
    return keys.audit, site_id, anchors


def _after_restore(config: Config, copy: Path, *, unsigned: bool) -> str:
    """Audit the restore in the restored chain, apply retention, anchor the head."""

    rt = open_runtime(config, create=True)  # brings an older copy's schema up to date
    rt.operator = os_user()
    action = UNSIGNED_ACTION if unsigned else RESTORE_ACTION
    with write_transaction():
        audit.record(rt, action, object_type="backup", object_id=_fingerprint(copy))
    report = purge(rt, live_file=sqlite_path(config.database_url()))
    gone = sum(line.count for line in report.lines if line.count)
    rows = count(gone, "række")
    print(f"Sletteregler anvendt på den gendannede database: {rows} slettet eller tømt.")
    line = current_head().line(utc_now())
    try:
        return write_anchor_line(config, line)
    except AnchorError as exc:
        print(f"akut: advarsel: gendannelsen blev ikke ankret: {exc}", file=sys.stderr)
        return ""


def run(args: argparse.Namespace, config: Config) -> int:
    """Check the copy, save the live database, restore, audit and apply retention."""

    live = sqlite_path(config.database_url())
    if live is None:
        return fail("restore understøtter kun SQLite; brug pg_restore til PostgreSQL", EXIT_USAGE)
    copy = Path(args.path).absolute()
    if not copy.is_file():
        return fail(f"kopien {copy} findes ikke", EXIT_USAGE)
    audit_key, site_id, anchors = _preflight(args, config, copy)
    live.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    problem = check_copy(copy, live.parent, audit_key, site_id=site_id, anchors=anchors)
    if problem:
        return fail(f"gendannelse afvist: {problem}. Databasen er ikke ændret.")
    if not anchors:
        print(
            "akut: advarsel: ingen ankre (anchor_file eller --anchor): om kopien er ældre end "
            "det nyeste anker, kunne ikke kontrolleres",
            file=sys.stderr,
        )
    try:
        if live.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            saved = live.with_name(f"{live.name}.before-restore-{stamp}")
            vacuum_into(live, saved)
            print(f"Den hidtidige database er gemt som {saved}.")
        old_umask = os.umask(0o077)
        try:
            copy_into(copy, live)
        finally:
            os.umask(old_umask)
        live.chmod(0o600)
    except BackupError as exc:
        return fail(f"gendannelse fejlede: {exc}")
    if integrity(live) != "ok":
        return fail("den gendannede database består ikke integrity_check", EXIT_FAILURE)
    try:
        target = _after_restore(config, copy, unsigned=args.unsigned)
    finally:
        if not database.is_closed():
            database.close()
    where = f" Nyt anker skrevet til {target}." if target else ""
    print(f"Gendannet fra {copy}{' (usigneret)' if args.unsigned else ''}.{where}")
    return EXIT_OK
