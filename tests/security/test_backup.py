"""``akut backup`` and ``akut restore`` (issue 11; docs/security.md rows 7 and 9).

A backup is taken while another process writes, then restored and checked;
a damaged or tampered copy is refused; a full target disk fails cleanly.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from db.database import database, open_database, sqlite_path
from tests.conftest import PASSWORD

WRITER = Path(__file__).parent.parent / "integration" / "crash_writer.py"


def _db(config: Config) -> Path:
    path = sqlite_path(config.database_url())
    assert path is not None
    return path


def _cfg(tmp_path: Path, db_file: Path, key_dir: Path, name: str = "config.toml") -> Path:
    cfg = tmp_path / name
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{db_file}"\n[security]\nkey_dir = "{key_dir}"\n',
        encoding="utf-8",
    )
    return cfg


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))}
    env["AKUT_ERROR_LOG"] = str(tmp_path / "errors.log")
    return env


def _counts(path: Path) -> tuple[int, int]:
    """(handover notes, their audit events) in the database at ``path``."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        notes = con.execute("SELECT count(*) FROM handover_note").fetchone()[0]
        events = con.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'handover.create'"
        ).fetchone()[0]
    finally:
        con.close()
    return int(notes), int(events)


def _start_writer(rt: Runtime, cfg: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    user = accounts.create_user(rt, "skriver", PASSWORD, "medarbejder", actor=None)
    out = tmp_path / "writer.out"
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(cfg), str(user.id)],
        stdout=open(out, "wb"),  # noqa: SIM115
        stderr=subprocess.DEVNULL,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 20
    while out.stat().st_size < 200:  # some commits made
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    return proc


def test_backup_during_writes_restores_whole(rt: Runtime, config: Config, tmp_path: Path) -> None:
    live = _db(config)
    cfg = _cfg(tmp_path, live, tmp_path)
    writer = _start_writer(rt, cfg, tmp_path)
    backups = []
    try:
        for number in range(3):
            target = tmp_path / f"kopi-{number}.db"
            assert main(["--config", str(cfg), "backup", str(target)]) == 0
            backups.append(target)
            time.sleep(0.05)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert _counts(backups[0])[0] < _counts(backups[-1])[0]  # writes went on meanwhile
    signed = sorted([p.name for p in backups] + [f"{p.name}.sig" for p in backups])
    assert sorted(p.name for p in tmp_path.glob("kopi-*")) == signed  # signatures, no keys
    for backup in backups:
        notes, events = _counts(backup)
        assert notes == events > 0  # every transaction whole: note and audit event together
        assert (backup.stat().st_mode & 0o777) == 0o600

    # Restore into a fresh installation that has the same keys.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fresh_cfg = _cfg(tmp_path, fresh / "akut.db", tmp_path, "fresh.toml")
    assert main(["--config", str(fresh_cfg), "restore", str(backups[1])]) == 0
    assert _counts(fresh / "akut.db") == _counts(backups[1])
    open_database(f"sqlite:///{fresh / 'akut.db'}", create=False)
    assert audit.verify_chain(rt.keys.audit).ok

    # Restore over the live database: the old one is kept beside it first.
    before = _counts(live)
    assert main(["--config", str(cfg), "restore", str(backups[0])]) == 0
    assert _counts(live) == _counts(backups[0]) != before
    [saved] = list(tmp_path.glob("akut.db.before-restore-*"))
    assert _counts(saved) == before
    open_database(f"sqlite:///{live}", create=False)
    assert audit.verify_chain(rt.keys.audit).ok
    database.close()


def _backup(config: Config, tmp_path: Path) -> tuple[Path, Path]:
    cfg = _cfg(tmp_path, _db(config), tmp_path)
    target = tmp_path / "kopi.db"
    assert main(["--config", str(cfg), "backup", str(target)]) == 0
    return cfg, target


def test_damaged_copy_is_refused(
    rt: Runtime, config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg, target = _backup(config, tmp_path)
    data = bytearray(target.read_bytes())
    page = 4096
    data[3 * page : 5 * page] = b"\xff" * (2 * page)
    target.write_bytes(bytes(data))
    before = _db(config).read_bytes()
    capsys.readouterr()
    assert main(["--config", str(cfg), "restore", str(target)]) == 1
    err = capsys.readouterr().err
    assert "gendannelse afvist" in err and "ikke ændret" in err and err.count("\n") == 1
    assert _db(config).read_bytes() == before
    assert list(tmp_path.glob(".restore-check-*")) == []


def test_tampered_chain_is_refused(
    rt: Runtime, config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    auth.login(rt, "ole", PASSWORD)
    cfg, target = _backup(config, tmp_path)
    con = sqlite3.connect(target)
    con.execute("UPDATE audit_event SET username = 'mallory' WHERE seq = 2")
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["--config", str(cfg), "restore", str(target)]) == 1
    assert "signaturen passer ikke" in capsys.readouterr().err
    # Without the signature check the chain check still names the row.
    assert main(["--config", str(cfg), "restore", "--unsigned", str(target)]) == 1
    assert "seq=2" in capsys.readouterr().err


def test_keys_only_when_asked(rt: Runtime, config: Config, tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, _db(config), tmp_path)
    target = tmp_path / "out" / "kopi.db"
    target.parent.mkdir()
    assert main(["--config", str(cfg), "backup", "--with-keys", str(target)]) == 0
    names = sorted(p.name for p in target.parent.iterdir())
    assert names == [
        "kopi.db",
        "kopi.db.audit.key",
        "kopi.db.pseudonym.key",
        "kopi.db.sig",
        "kopi.db.site.id",  # never backup.key: it would sign a forged copy
    ]
    for path in target.parent.iterdir():
        assert (path.stat().st_mode & 0o777) == 0o600
    assert (target.parent / "kopi.db.audit.key").read_bytes() == (
        tmp_path / "audit.key"
    ).read_bytes()


def test_a_new_machine_restores_from_a_backup_with_keys(
    rt: Runtime, config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    cfg = _cfg(tmp_path, _db(config), tmp_path)
    target = tmp_path / "out" / "kopi.db"
    target.parent.mkdir()
    assert main(["--config", str(cfg), "backup", "--with-keys", str(target)]) == 0
    new = tmp_path / "ny"
    new.mkdir(mode=0o700)
    for name in ("audit.key", "pseudonym.key", "site.id"):
        (new / name).write_bytes((target.parent / f"kopi.db.{name}").read_bytes())
        (new / name).chmod(0o600)
    new_cfg = _cfg(tmp_path, new / "akut.db", new, "ny.toml")
    capsys.readouterr()
    assert main(["--config", str(new_cfg), "restore", str(target)]) == 1  # no backup.key here
    assert "backup.key" in capsys.readouterr().err
    assert main(["--config", str(new_cfg), "restore", "--unsigned", str(target)]) == 0
    open_database(f"sqlite:///{new / 'akut.db'}", create=False)
    report = audit.verify_chain(rt.keys.audit, site_id=(new / "site.id").read_text().strip())
    assert report.ok
    database.close()


def _limit_file_size() -> None:
    """In the child: files may grow to 64 KB only (a full disk), and no SIGXFSZ kill."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_backup_to_a_full_disk_fails_cleanly(rt: Runtime, config: Config, tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, _db(config), tmp_path)
    assert _db(config).stat().st_size > 64 * 1024
    target_dir = tmp_path / "full"
    target_dir.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "akut_tui",
            "--config",
            str(cfg),
            "backup",
            str(target_dir / "k.db"),
        ],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        preexec_fn=_limit_file_size,  # noqa: PLW1509
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "sikkerhedskopien kunne ikke skrives" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(target_dir.iterdir()) == []  # no half-written copy left behind
    con = sqlite3.connect(_db(config))
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_the_signature_covers_every_byte(rt: Runtime, config: Config, tmp_path: Path) -> None:
    from akut_tui.core import backup_signature
    from akut_tui.core.site_keys import load_backup_key

    _, target = _backup(config, tmp_path)
    key = load_backup_key(tmp_path)
    backup_signature.check(key, target)
    original = target.read_bytes()
    for offset in (0, 100, len(original) // 2, len(original) - 1):
        changed = bytearray(original)
        changed[offset] ^= 0x01
        target.write_bytes(bytes(changed))
        with pytest.raises(backup_signature.SignatureError, match="passer ikke"):
            backup_signature.check(key, target)
    target.write_bytes(original)
    with pytest.raises(backup_signature.SignatureError, match="passer ikke"):
        backup_signature.check(bytes(32), target)  # another site's key
    target.with_name("kopi.db.sig").write_text("noget andet\n", encoding="ascii")
    with pytest.raises(backup_signature.SignatureError, match="ukendt format"):
        backup_signature.check(key, target)


def test_an_older_installation_gets_its_backup_key_on_demand(
    rt: Runtime, config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "backup.key").unlink()  # made before signed backups existed
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    cfg, target = _backup(config, tmp_path)
    assert (tmp_path / "backup.key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "kopi.db.sig").stat().st_mode & 0o777 == 0o600
    assert "Signatur skrevet" in capsys.readouterr().out
    assert main(["--config", str(cfg), "restore", str(target)]) == 0
