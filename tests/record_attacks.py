"""The attacks of issue 15 §1, §2 and §8 (record-restore) as reusable scenarios.

Each scenario builds a real installation (``akut init`` in a subprocess, a
config file, keys in a folder), fills it through the services, attacks it with
raw SQL or file edits as an insider with file access but without the key files
would, and then runs the real ``akut`` command line. It returns whether the
defence held and a short reason. ``tests/security/test_record_attacks.py`` and
``tests/postgres/test_pg_record.py`` assert every scenario holds;
``benchmarks/attacks_record.py`` prints them as a table.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PASSWORD = "korrekt hest batteri haefteklamme"
NOTE_OLD = "GAMMEL-NOTE-RR-7731"


@dataclass
class Install:
    """One installation: its folder, config file and database URL."""

    folder: Path
    config: Path
    url: str

    @property
    def sqlite_file(self) -> Path | None:
        """The database file, or None on PostgreSQL."""
        if self.url.startswith("sqlite:///"):
            return Path(self.url[len("sqlite:///") :])
        return None

    @property
    def anchors(self) -> Path:
        """The configured anchor file."""
        return self.folder / "anchors.log"


@dataclass(frozen=True)
class Outcome:
    """Whether the defence held, and what was seen."""

    held: bool
    detail: str


def akut_command() -> list[str]:
    """The installed ``akut`` script beside this Python, else ``python -m akut_tui``."""
    script = Path(sys.executable).parent / "akut"
    return [str(script)] if script.exists() else [sys.executable, "-m", "akut_tui"]


def run_akut(inst: Install, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``akut --config <inst> argv...`` in a subprocess and return the result."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))}
    env["AKUT_ERROR_LOG"] = str(inst.folder / "errors.log")
    return subprocess.run(
        [*akut_command(), "--config", str(inst.config), *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=inst.folder,
        timeout=180,
        check=False,
    )


def make_install(folder: Path, url: str | None = None) -> Install:
    """Write a config file (cheap argon2, anchor file) and run ``akut init``."""
    folder.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{folder / 'akut.db'}"
    config = folder / "config.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n[security]\nkey_dir = "{folder}"\n'
        f'anchor_file = "{folder / "anchors.log"}"\n'
        "argon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n",
        encoding="utf-8",
    )
    inst = Install(folder, config, url)
    done = run_akut(inst, "init")
    if done.returncode != 0:
        raise RuntimeError(f"akut init failed: {done.stderr}")
    return inst


def fill(inst: Install) -> None:
    """About 25 events a year and more ago, a contact with a note 40 days ago, events now."""
    from argon2 import PasswordHasher

    from akut_tui.core.config import load_config
    from akut_tui.services.accounts import auth
    from akut_tui.services.accounts import users as accounts
    from akut_tui.services.contacts import records as contacts
    from akut_tui.services.contacts.form import ContactInput
    from akut_tui.services.startup.opening import open_runtime
    from db.database import database

    now = datetime.now(UTC)
    moment = [now - timedelta(days=400)]
    rt = open_runtime(
        load_config(inst.config),
        create=False,
        now=lambda: moment[0],
        hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    try:
        accounts.create_user(rt, "anna", PASSWORD, "leder", actor=None)
        accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
        for _ in range(10):
            moment[0] += timedelta(minutes=5)
            auth.login(rt, "mette", PASSWORD)
        moment[0] = now - timedelta(days=40)
        session = auth.login(rt, "mette", PASSWORD)
        contacts.save_contact(rt, session, ContactInput(note=NOTE_OLD))
        moment[0] = now - timedelta(minutes=5)
        for _ in range(3):
            auth.login(rt, "anna", PASSWORD)
    finally:
        database.close()


def sql(inst: Install, statement: str) -> list[tuple[Any, ...]]:
    """Run one statement on the installation's database as the attacker would."""
    path = inst.sqlite_file
    if path is not None:
        con = sqlite3.connect(path)
        try:
            rows = con.execute(statement).fetchall()
            con.commit()
        finally:
            con.close()
        return rows
    import psycopg2

    con = psycopg2.connect(inst.url)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(statement)
            return list(cur.fetchall()) if cur.description else []
    finally:
        con.close()


def _count(inst: Install) -> int:
    return int(sql(inst, "SELECT count(*) FROM audit_event")[0][0])


# --- §1: the retention purge ---------------------------------------------------------


def backdated_row_then_nightly_job(inst: Install) -> Outcome:
    """Back-date seq 12, then the nightly job of docs/audit.md: nothing may be purged."""
    fill(inst)
    assert run_akut(inst, "audit", "anchor", "--to", str(inst.anchors)).returncode == 0
    before = _count(inst)
    sql(inst, "UPDATE audit_event SET at = '2000-01-01 00:00:00' WHERE seq = 12")
    purge = run_akut(inst, "purge")
    anchor = run_akut(inst, "audit", "anchor", "--to", str(inst.anchors))
    verify = run_akut(inst, "audit", "verify", "--anchor", str(inst.anchors))
    held = (
        purge.returncode == 1
        and "seq=12" in purge.stderr
        and _count(inst) == before
        and anchor.returncode == 1
        and verify.returncode == 1
        and "seq=12" in verify.stderr
    )
    return Outcome(held, f"purge exit {purge.returncode}: {purge.stderr.strip()[:120]}")


def time_in_another_spelling(inst: Install) -> Outcome:
    """``at`` rewritten as ``2025-…T…`` (same moment, MAC unchanged): verify must name it."""
    fill(inst)
    sql(inst, "UPDATE audit_event SET at = replace(at, ' ', 'T') WHERE seq = 5")
    verify = run_akut(inst, "audit", "verify")
    held = verify.returncode == 1 and "seq=5" in verify.stderr
    return Outcome(held, verify.stderr.strip()[:120] or verify.stdout.strip()[:120])


def purged_base_is_held(inst: Install) -> Outcome:
    """After a purge, an edited base record is caught by the anchor the purge wrote."""
    fill(inst)
    assert run_akut(inst, "audit", "anchor", "--to", str(inst.anchors)).returncode == 0
    purge = run_akut(inst, "purge")
    if purge.returncode != 0:
        return Outcome(False, f"purge failed: {purge.stderr.strip()}")
    first = run_akut(inst, "audit", "verify", "--anchor", str(inst.anchors))
    sql(inst, "UPDATE audit_base SET mac = '" + "ab" * 32 + "'")
    second = run_akut(inst, "audit", "verify", "--anchor", str(inst.anchors))
    held = first.returncode == 0 and second.returncode == 1
    return Outcome(held, second.stderr.strip()[:120])


def emptied_audit_table(inst: Install) -> Outcome:
    """``delete from audit_event``: verify must not say intact."""
    fill(inst)
    sql(inst, "DELETE FROM audit_event")
    verify = run_akut(inst, "audit", "verify")
    held = verify.returncode == 1 and "seq=0" in verify.stderr
    return Outcome(held, verify.stderr.strip()[:120] or verify.stdout.strip()[:120])


# --- §8 --------------------------------------------------------------------------------


def invalid_utf8_in_a_column(inst: Install) -> Outcome:
    """Bytes that are not UTF-8 in each text column: verify names the row, no incident."""
    fill(inst)
    columns = ("username", "action", "object_type", "object_id", "person_ref", "prev_hash", "mac")
    seen = []
    for seq, column in enumerate(columns, start=3):
        original = sql(inst, f"SELECT {column} FROM audit_event WHERE seq = {seq}")[0][0]  # noqa: S608
        sql(inst, f"UPDATE audit_event SET {column} = CAST(X'C3FF41' AS TEXT) WHERE seq = {seq}")  # noqa: S608
        verify = run_akut(inst, "audit", "verify")
        seen.append(verify.returncode == 1 and f"seq={seq}" in verify.stderr)
        seen[-1] = seen[-1] and "hændelse" not in verify.stderr
        sql(inst, f"UPDATE audit_event SET {column} = '{original}' WHERE seq = {seq}")  # noqa: S608
    log = inst.folder / "errors.log"
    held = all(seen) and not (log.exists() and log.stat().st_size)
    return Outcome(held, f"{sum(seen)}/{len(columns)} columns named")


def cli_admin_names_os_user(inst: Install) -> Outcome:
    """``akut user disable/enable`` and ``akut purge`` events carry ``os:<user>``."""
    fill(inst)
    for argv in (("user", "disable", "mette"), ("user", "enable", "mette"), ("purge",)):
        done = run_akut(inst, *argv)
        if done.returncode != 0:
            return Outcome(False, f"{argv}: {done.stderr.strip()}")
    rows = sql(
        inst,
        "SELECT action, username FROM audit_event WHERE action IN "
        "('user.disable', 'user.enable', 'retention.purge', 'audit.purge')",
    )
    expected = f"os:{getpass.getuser()}"
    actions = {action for action, _ in rows}
    held = bool(rows) and all(name == expected for _, name in rows) and len(actions) == 4
    return Outcome(held, f"{len(rows)} events, names {sorted({n for _, n in rows})}")


# --- §2: backups and restore (SQLite: PostgreSQL uses pg_dump/pg_restore) ----------------


def _backup(inst: Install, name: str = "kopi.db") -> Path:
    target = inst.folder / name
    done = run_akut(inst, "backup", str(target))
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return target


def _edit(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


FORGERY = (
    "UPDATE contact SET note = 'forfalsket'",
    "DELETE FROM contact_value WHERE contact_id = (SELECT min(id) FROM contact)",
    "DELETE FROM contact WHERE id = (SELECT min(id) FROM contact)",
    "UPDATE user SET role = 'leder' WHERE username = 'mette'",
    "DELETE FROM audit_event",
)


def forged_signed_backup(inst: Install) -> Outcome:
    """Notes forged, a contact deleted, a user promoted, the audit table emptied."""
    fill(inst)
    copy = _backup(inst)
    _edit(copy, *FORGERY)
    before = inst.sqlite_file.read_bytes() if inst.sqlite_file else b""
    done = run_akut(inst, "restore", str(copy))
    held = done.returncode == 1 and (inst.sqlite_file and inst.sqlite_file.read_bytes() == before)
    return Outcome(bool(held), done.stderr.strip()[:120])


def forged_backup_unsigned(inst: Install) -> Outcome:
    """The same forgery restored with ``--unsigned``: the chain checks still refuse it."""
    fill(inst)
    copy = _backup(inst)
    _edit(copy, *FORGERY)
    done = run_akut(inst, "restore", "--unsigned", str(copy))
    return Outcome(done.returncode == 1, done.stderr.strip()[:120])


def other_installation_emptied(inst: Install) -> Outcome:
    """Another site's backup, audit table emptied, signed with that site's key or unsigned."""
    fill(inst)
    other = make_install(inst.folder / "andet")
    fill(other)
    copy = _backup(other, "fremmed.db")
    _edit(copy, "DELETE FROM audit_event")
    from akut_tui.core import backup_signature
    from akut_tui.core.site_keys import load_backup_key

    (copy.with_name(copy.name + ".sig")).unlink()
    backup_signature.sign(load_backup_key(other.folder), copy)  # the other site's valid signature
    signed = run_akut(inst, "restore", str(copy))
    unsigned = run_akut(inst, "restore", "--unsigned", str(copy))
    held = signed.returncode == 1 and unsigned.returncode == 1
    return Outcome(held, unsigned.stderr.strip()[:120])


def other_installation_same_key(inst: Install) -> Outcome:
    """A chain signed with this audit key but written by another site (a copied key folder)."""
    fill(inst)
    other_dir = inst.folder / "klon"
    other_dir.mkdir()
    for name in ("audit.key", "pseudonym.key", "backup.key"):
        (other_dir / name).write_bytes((inst.folder / name).read_bytes())
        (other_dir / name).chmod(0o600)
    other = make_install(other_dir)
    fill(other)
    copy = _backup(other, "klon.db")  # signed with the same backup key
    done = run_akut(inst, "restore", str(copy))
    return Outcome(done.returncode == 1 and "andet sted" in done.stderr, done.stderr.strip()[:120])


def backup_older_than_newest_anchor(inst: Install) -> Outcome:
    """A backup taken before the newest anchor (the events after it would vanish)."""
    fill(inst)
    copy = _backup(inst)
    run_akut(inst, "user", "disable", "mette")
    assert run_akut(inst, "audit", "anchor", "--to", str(inst.anchors)).returncode == 0
    done = run_akut(inst, "restore", str(copy))
    return Outcome(done.returncode == 1 and "anker" in done.stderr, done.stderr.strip()[:120])


def restore_is_audited_and_purges(inst: Install) -> Outcome:
    """A good restore: audited in the restored chain, anchored, retention applied at once."""
    fill(inst)
    copy = _backup(inst)  # holds a note 40 days old and events more than a year old
    lines_before = inst.anchors.read_text().count("\n") if inst.anchors.exists() else 0
    done = run_akut(inst, "restore", str(copy))
    if done.returncode != 0:
        return Outcome(False, done.stderr.strip())
    actions = [r[0] for r in sql(inst, "SELECT action FROM audit_event ORDER BY seq")]
    notes = sql(inst, "SELECT count(*) FROM contact WHERE note IS NOT NULL")[0][0]
    verify = run_akut(inst, "audit", "verify", "--anchor", str(inst.anchors))
    lines_after = inst.anchors.read_text().count("\n")
    user = f"os:{getpass.getuser()}"
    restore_rows = sql(inst, "SELECT username FROM audit_event WHERE action = 'backup.restore'")
    held = (
        restore_rows == [(user,)]
        and "audit.purge" in actions
        and notes == 0
        and NOTE_OLD.encode() not in inst.sqlite_file.read_bytes()  # type: ignore[union-attr]
        and lines_after > lines_before
        and verify.returncode == 0
    )
    return Outcome(held, f"notes {notes}, anchors +{lines_after - lines_before}")


def unsigned_restore_is_audited(inst: Install) -> Outcome:
    """A sound copy without signature: refused, then restored with ``--unsigned``, audited so."""
    fill(inst)
    copy = _backup(inst)
    copy.with_name(copy.name + ".sig").unlink()
    refused = run_akut(inst, "restore", str(copy))
    done = run_akut(inst, "restore", "--unsigned", str(copy))
    rows = sql(inst, "SELECT username FROM audit_event WHERE action = 'backup.restore_unsigned'")
    held = (
        refused.returncode == 1
        and "--unsigned" in refused.stderr
        and done.returncode == 0
        and rows == [(f"os:{getpass.getuser()}",)]
    )
    return Outcome(held, f"{refused.stderr.strip()[:80]} / {done.returncode}")


def old_restore_copies_are_purged(inst: Install) -> Outcome:
    """``akut.db.before-restore-*`` copies go once older than ``draft_days``."""
    fill(inst)
    copy = _backup(inst)
    assert run_akut(inst, "restore", str(copy)).returncode == 0
    live = inst.sqlite_file
    assert live is not None
    copies = list(live.parent.glob(f"{live.name}.before-restore-*"))
    old = (datetime.now(UTC) - timedelta(days=8)).timestamp()
    for path in copies:
        os.utime(path, (old, old))
    done = run_akut(inst, "purge")
    left = list(live.parent.glob(f"{live.name}.before-restore-*"))
    return Outcome(bool(copies) and done.returncode == 0 and not left, f"{len(left)} left")


Scenario = Callable[[Install], Outcome]

SHARED: dict[str, Scenario] = {
    "back-dated audit row, then nightly purge": backdated_row_then_nightly_job,
    "purge base edited after the purge": purged_base_is_held,
    "audit table emptied": emptied_audit_table,
    "CLI user admin and purge without actor": cli_admin_names_os_user,
}
"""Attacks whose code path is the same on SQLite and PostgreSQL."""

SQLITE_ONLY: dict[str, Scenario] = {
    "audit time in another spelling (T)": time_in_another_spelling,
    "invalid UTF-8 in an audit column": invalid_utf8_in_a_column,
    "restore forged signed backup": forged_signed_backup,
    "restore forged backup --unsigned": forged_backup_unsigned,
    "restore other site's backup, audit emptied": other_installation_emptied,
    "restore other site's backup, same keys": other_installation_same_key,
    "restore backup older than newest anchor": backup_older_than_newest_anchor,
    "restore audited, anchored, retention applied": restore_is_audited_and_purges,
    "restore without signature; --unsigned audited": unsigned_restore_is_audited,
    "before-restore copies after draft_days": old_restore_copies_are_purged,
}
"""Attacks on SQLite only: PostgreSQL stores typed times and valid UTF-8 only, and is
backed up with pg_dump, not ``akut backup``."""
