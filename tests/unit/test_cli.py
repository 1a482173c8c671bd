"""The ``akut`` command line, through ``main(argv)`` with captured output."""

from __future__ import annotations

import getpass
import io
import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest

from akut_tui import __version__
from akut_tui.cli.main import main
from akut_tui.core.key_files import AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE
from akut_tui.services.accounts import auth
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, open_database
from db.models import AuditEvent, User
from tests.cli_helpers import write_config
from tests.conftest import PASSWORD, make_config

NEW_PASSWORD = "blaa elefant danser tango"


class FakeStdin:
    """Stands in for ``sys.stdin``: ``.buffer.readline()`` returns the given bytes."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sub" / "akut.db"


@pytest.fixture
def bare_cfg(tmp_path: Path, db_path: Path) -> Path:
    """A config file whose database does not exist yet."""
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir()
    write_config(path, db_path)
    return path


@pytest.fixture
def cfg(bare_cfg: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A config file whose database was made by ``akut init``."""
    assert run(["--config", str(bare_cfg), "init"]) == 0
    capsys.readouterr()
    return bare_cfg


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory, so nothing is picked up from (or written to) it."""
    path = tmp_path / "cwd"
    path.mkdir()
    monkeypatch.chdir(path)
    return path


def run(argv: Sequence[str]) -> int:
    """Call ``main``; argparse exits via SystemExit, which counts as its exit code."""
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def akut(cfg: Path, *argv: str, stdin: bytes | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin))
    return run(["--config", str(cfg), *argv])


def _add(cfg: Path, monkeypatch: pytest.MonkeyPatch, name: str, role: str = "leder") -> int:
    return akut(
        cfg,
        "user",
        "add",
        name,
        "--role",
        role,
        "--password-stdin",
        stdin=(PASSWORD + "\n").encode(),
        monkeypatch=monkeypatch,
    )


def _user(db_path: Path, name: str) -> User:
    open_database(f"sqlite:///{db_path}", create=False)
    with connection():
        return User.get(User.username == name)


def _one_line_error(err: str) -> None:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("akut: ")
    assert "Traceback" not in err


# --- basics --------------------------------------------------------------------------


def test_version_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"akut {__version__}"
    assert captured.err == ""


def test_unknown_subcommand_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["frobnicate"]) == 2
    assert "akut: fejl:" in capsys.readouterr().err


def test_missing_user_subcommand_is_usage_error(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert akut(cfg, "user") == 2
    assert "akut: fejl:" in capsys.readouterr().err


def test_missing_config_file_is_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--config", str(tmp_path / "none.toml"), "init"]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "findes ikke" in err


def test_bad_config_value_is_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[security]\nidle_lock_minutes = 0\n", encoding="utf-8")
    assert run(["--config", str(bad), "init"]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "security.idle_lock_minutes" in err


# --- init ----------------------------------------------------------------------------


def test_init_creates_database_at_the_configured_path(
    bare_cfg: Path, db_path: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = bare_cfg
    assert not db_path.parent.exists()
    assert akut(cfg, "init") == 0
    assert "skemaversion" in capsys.readouterr().out
    assert db_path.is_file()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    for name in (AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE):
        assert (db_path.parent / name).is_file()
    assert sorted(os.listdir(workdir)) == []
    # Running it again is harmless and keeps the keys.
    key = (db_path.parent / AUDIT_KEY_FILE).read_bytes()
    assert akut(cfg, "init") == 0
    assert (db_path.parent / AUDIT_KEY_FILE).read_bytes() == key


def test_relative_url_is_resolved_against_the_config_file(
    tmp_path: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "etc" / "config.toml"
    cfg.parent.mkdir()
    cfg.write_text('[database]\nurl = "sqlite:///rel/akut.db"\n', encoding="utf-8")
    assert run(["--config", str(cfg), "init"]) == 0
    assert (tmp_path / "etc" / "rel" / "akut.db").is_file()
    assert sorted(os.listdir(workdir)) == []


def test_db_option_overrides_the_config(
    bare_cfg: Path, db_path: Path, tmp_path: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = bare_cfg
    other = tmp_path / "other" / "x.db"
    assert run(["--config", str(cfg), "--db", f"sqlite:///{other}", "init"]) == 0
    assert other.is_file()
    assert not db_path.exists()
    # The keys go beside the database actually used.
    assert (other.parent / AUDIT_KEY_FILE).is_file()
    assert not (db_path.parent / AUDIT_KEY_FILE).exists()
    assert run(["--config", str(cfg), "--db", f"sqlite:///{other}", "audit", "verify"]) == 0


def test_db_option_must_be_absolute(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--config", str(cfg), "--db", "sqlite:///relative.db", "init"]) == 2
    _one_line_error(capsys.readouterr().err)
    assert run(["--config", str(cfg), "--db", "mysql://x/y", "init"]) == 2


# --- users ---------------------------------------------------------------------------


def test_user_add_and_list(
    cfg: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(cfg, monkeypatch, "lise") == 0
    assert "lise" in capsys.readouterr().out
    assert _add(cfg, monkeypatch, "ole", "medarbejder") == 0
    capsys.readouterr()
    assert akut(cfg, "user", "list") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "Bruger" in lines[0] and "Rolle" in lines[0]
    body = [line.split() for line in lines[2:]]
    assert [row[:3] for row in body] == [
        ["lise", "leder", "aktiv"],
        ["ole", "medarbejder", "aktiv"],
    ]
    user = _user(db_path, "lise")
    assert user.role == "leder" and user.must_change_password is False
    assert PASSWORD not in user.password_hash


def test_user_add_one_time_and_display_name(
    cfg: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin((PASSWORD + "\r\n").encode()))
    code = run(
        [
            "--config",
            str(cfg),
            "user",
            "add",
            "ole",
            "--role",
            "koordinator",
            "--name",
            "Ole Olsen",
            "--one-time",
            "--password-stdin",
        ]
    )
    assert code == 0
    user = _user(db_path, "ole")
    assert (user.display_name, user.role, user.must_change_password) == (
        "Ole Olsen",
        "koordinator",
        True,
    )
    rt = open_runtime(make_config(db_path.parent), hasher=None)
    assert auth.login(rt, "ole", PASSWORD).username == "ole"  # CRLF stripped


def test_user_lifecycle(
    cfg: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(cfg, monkeypatch, "ole", "medarbejder") == 0

    assert akut(cfg, "user", "disable", "ole") == 0
    assert "deaktiveret" in capsys.readouterr().out
    assert _user(db_path, "ole").active is False

    assert akut(cfg, "user", "enable", "ole") == 0
    assert _user(db_path, "ole").active is True

    with connection():
        User.update(failed_count=3, locked_until=datetime(2099, 1, 1)).where(
            User.username == "ole"
        ).execute()
    assert akut(cfg, "user", "unlock", "ole") == 0
    user = _user(db_path, "ole")
    assert user.locked_until is None and user.failed_count == 0

    assert akut(cfg, "user", "role", "ole", "koordinator") == 0
    assert "koordinator" in capsys.readouterr().out
    assert _user(db_path, "ole").role == "koordinator"

    old_hash = _user(db_path, "ole").password_hash
    stdin = (NEW_PASSWORD + "\n").encode()
    assert (
        akut(cfg, "user", "passwd", "ole", "--password-stdin", stdin=stdin, monkeypatch=monkeypatch)
        == 0
    )
    user = _user(db_path, "ole")
    assert user.password_hash != old_hash and user.must_change_password is True

    stdin = (PASSWORD + "\n").encode()
    code = akut(
        cfg,
        "user",
        "passwd",
        "ole",
        "--password-stdin",
        "--permanent",
        stdin=stdin,
        monkeypatch=monkeypatch,
    )
    assert code == 0
    assert _user(db_path, "ole").must_change_password is False

    with connection():
        events = list(AuditEvent.select().where(AuditEvent.seq > 0).order_by(AuditEvent.seq))
    actions = [e.action for e in events]
    # Issue 15 §8: user administration from the CLI names the OS user who ran it.
    assert {e.username for e in events} == {f"os:{getpass.getuser()}"}
    assert actions == [
        "user.create",
        "user.disable",
        "user.enable",
        "user.unlock",
        "user.role",
        "user.password",
        "user.password",
    ]


def test_bad_role_is_usage_error(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(cfg, monkeypatch, "ole", "admin") == 2
    assert "admin" in capsys.readouterr().err
    assert _add(cfg, monkeypatch, "ole") == 0
    assert akut(cfg, "user", "role", "ole", "chef") == 2


def test_weak_password_is_one_danish_line(
    cfg: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = akut(
        cfg,
        "user",
        "add",
        "ole",
        "--role",
        "leder",
        "--password-stdin",
        stdin=b"hemmelig\n",
        monkeypatch=monkeypatch,
    )
    assert code == 2
    captured = capsys.readouterr()
    _one_line_error(captured.err)
    assert "adgangskode" in captured.err.lower()
    assert "hemmelig" not in captured.err
    assert captured.out == ""
    open_database(f"sqlite:///{db_path}", create=False)
    with connection():
        assert not User.select().exists()


def test_password_that_is_not_utf8_is_refused(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = akut(
        cfg,
        "user",
        "add",
        "ole",
        "--role",
        "leder",
        "--password-stdin",
        stdin=b"\xff\xfe korrekt hest batteri\n",
        monkeypatch=monkeypatch,
    )
    assert code == 2
    _one_line_error(capsys.readouterr().err)


def test_no_terminal_without_password_stdin(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(b""))
    assert akut(cfg, "user", "add", "ole", "--role", "leder") == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "--password-stdin" in err


@pytest.mark.parametrize("command", ["disable", "enable", "unlock"])
def test_unknown_user_is_one_line(
    cfg: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert akut(cfg, "user", command, "ingen") == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "ingen" in err and "findes ikke" in err


def test_duplicate_user_is_one_line(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(cfg, monkeypatch, "ole") == 0
    capsys.readouterr()
    assert _add(cfg, monkeypatch, "ole") == 2
    _one_line_error(capsys.readouterr().err)


# --- Textual stays out of the CLI path -----------------------------------------------


def _python(code: str, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_", "XDG_"))}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    env["AKUT_ERROR_LOG"] = str(tmp_path / "errors.log")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_path_does_not_import_textual(
    cfg: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _add(cfg, monkeypatch, "lise") == 0
    code = (
        "import sys\n"
        "from akut_tui.cli.main import main\n"
        f"assert main(['--config', {str(cfg)!r}, 'user', 'list']) == 0\n"
        f"assert main(['--config', {str(cfg)!r}, 'audit', 'verify']) == 0\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    result = _python(code, workdir, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "lise" in result.stdout


def test_services_do_not_import_textual(tmp_path: Path, workdir: Path) -> None:
    code = (
        "import sys\n"
        "import akut_tui.services.accounts.auth\n"
        "import akut_tui.services.audit.trail\n"
        "import akut_tui.services.startup.setup\n"
        "import db.migrate\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    result = _python(code, workdir, tmp_path)
    assert result.returncode == 0, result.stderr


def test_tui_without_a_terminal_exits_2_at_once(tmp_path: Path) -> None:
    """Over ``ssh host cmd`` there is no terminal: one line, exit 2, never a hang."""
    import subprocess
    import sys

    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "a.db"}"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "akut_tui", "--config", str(config)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "kræver en terminal" in result.stderr


# --- read-only commands, closed pipes, Danish usage texts ----------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["user", "list"],
        ["audit", "verify"],
        ["user", "disable", "ole"],
        ["user", "add", "ole", "--role", "leder", "--password-stdin"],
    ],
)
def test_commands_other_than_init_never_create_a_database(
    bare_cfg: Path,
    db_path: Path,
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = akut(bare_cfg, *argv, stdin=(PASSWORD + "\n").encode(), monkeypatch=monkeypatch)
    assert code == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "akut init" in err
    assert not db_path.parent.exists()  # no folder, no database, no key files


def _many_users(db_path: Path, count: int) -> None:
    """Add ``count`` users directly, so ``user list`` prints far more than a pipe holds."""
    open_database(f"sqlite:///{db_path}", create=False)
    now = datetime(2026, 1, 1)
    rows = [
        {
            "username": f"bruger{i:05d}",
            "role": "medarbejder",
            "password_hash": "x",
            "created_at": now,
        }
        for i in range(count)
    ]
    with connection():
        User.insert_many(rows).execute()


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))}
    env["AKUT_ERROR_LOG"] = str(tmp_path / "errors.log")
    return env


def test_closed_pipe_ends_quietly(cfg: Path, db_path: Path, tmp_path: Path) -> None:
    _many_users(db_path, 3000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "akut_tui", "--config", str(cfg), "user", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away while akut is still writing
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""
    assert not (tmp_path / "errors.log").exists()


def test_shell_pipe_into_head_is_quiet(cfg: Path, db_path: Path, tmp_path: Path) -> None:
    _many_users(db_path, 3000)
    script = (
        f"'{sys.executable}' -m akut_tui --config '{cfg}' user list | head -3 >/dev/null; "
        'echo "${PIPESTATUS[0]}"'
    )
    done = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert done.stderr == ""
    assert done.stdout.strip() == "141"
    assert not (tmp_path / "errors.log").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["user", "--help"],
        ["user", "add", "--help"],
        ["frobnicate"],
        ["user", "add", "ole"],
        ["user", "role", "ole", "chef"],
        ["--bogus"],
    ],
)
def test_usage_texts_are_danish(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    run(argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert text
    for english in (
        "usage:",
        "show this help",
        "options:",
        "positional arguments",
        "invalid choice",
        "required",
        "unrecognized",
        "error:",
        "choose from",
    ):
        assert english not in text, (english, text)
