"""SQLite: a refused write is classified by ``sqlite_errorname``, never by the message text.

Each class is produced for real: a full disk through ``max_page_count`` (SQLite
answers ``SQLITE_FULL`` exactly as for a full disk), a lock through a second
connection holding ``BEGIN IMMEDIATE``, and errors whose text merely mentions
"full", "busy" or "locked" through tables of those names.
"""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
from pathlib import Path

import peewee
import pytest

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from db import backup
from db.database import BUSY, DISK_FULL, WriteFailed, connection, database, write_transaction
from db.write_errors import kind_of


def _db_file(config: Config) -> Path:
    return Path(config.database.url.removeprefix("sqlite:///"))


def test_a_full_disk_gives_the_disk_full_message(rt: Runtime) -> None:
    with connection():
        with write_transaction():
            database.execute_sql("CREATE TABLE filler (x BLOB)")
        pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
        database.execute_sql(f"PRAGMA max_page_count = {int(pages) + 2}")
        with pytest.raises(WriteFailed) as caught:
            for _ in range(50):
                with write_transaction():
                    database.execute_sql("INSERT INTO filler VALUES (zeroblob(4000))")
    assert caught.value.user_message == DISK_FULL
    assert kind_of(caught.value) == "full"


def test_a_writer_holding_the_lock_gives_the_busy_message(config: Config, rt: Runtime) -> None:
    other = sqlite3.connect(_db_file(config), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with connection():
            database.execute_sql("PRAGMA busy_timeout = 100")
            try:
                with pytest.raises(WriteFailed) as caught:
                    with write_transaction():
                        pass
            finally:
                database.execute_sql("PRAGMA busy_timeout = 5000")
        assert caught.value.user_message == BUSY
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("table", ["disk_full", "busy_queue", "locked_rows"])
def test_an_error_that_only_mentions_full_or_busy_stays_an_error(rt: Runtime, table: str) -> None:
    """``no such table: disk_full`` is a programming error, not a full disk."""
    with pytest.raises(peewee.OperationalError, match=f"no such table: {table}"):
        with write_transaction():
            database.execute_sql(f"INSERT INTO {table} VALUES (1)")  # noqa: S608 - fixed names


def test_kinds_come_from_codes() -> None:
    con = sqlite3.connect(":memory:")
    try:
        con.execute("SELECT * FROM disk_full")
    except sqlite3.OperationalError as exc:
        assert exc.sqlite_errorname == "SQLITE_ERROR"
        assert kind_of(exc) is None
    finally:
        con.close()
    assert kind_of(OSError(errno.ENOSPC, "No space left on device")) == "full"
    assert kind_of(OSError(errno.EFBIG, "File too large")) == "full"
    assert kind_of(OSError(errno.EACCES, "Permission denied: /srv/full")) is None
    # SQLite rolls back by itself on SQLITE_FULL; the rollback error carries the cause along.
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise RuntimeError("cannot rollback - no transaction is active") from None
    except RuntimeError as outer:
        assert kind_of(outer) is None  # "from None": not in the chain
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise RuntimeError("cannot rollback - no transaction is active")  # noqa: B904
    except RuntimeError as outer:
        assert kind_of(outer) == "full"


def test_backup_reasons_follow_the_code_not_the_words() -> None:
    """Only a full-disk code reads "disken er fuld"; an I/O error gets the hint."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("SELECT * FROM full_space_too_large")
    except sqlite3.OperationalError as exc:
        assert "disken er fuld" not in backup._reason(exc)
    finally:
        con.close()
    full = OSError(errno.ENOSPC, "No space left on device")
    assert backup._reason(full) == "disken er fuld: No space left on device"
    quota = OSError(errno.EACCES, "Permission denied")
    assert backup._reason(quota) == "Permission denied"


CHILD = """
import resource, signal, sys
from pathlib import Path
from db import backup
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
try:
    backup.vacuum_into(Path(sys.argv[1]), Path(sys.argv[2]))
except backup.BackupError as exc:
    print(exc)
"""


def test_a_backup_onto_a_full_disk_names_the_disk(tmp_path: Path) -> None:
    """Files capped at 64 KB (a full disk for this process): the reason says so."""
    source = tmp_path / "kilde.db"
    con = sqlite3.connect(source)
    con.execute("CREATE TABLE t (x BLOB)")
    con.executemany("INSERT INTO t VALUES (zeroblob(4000))", [()] * 60)
    con.commit()
    con.close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), str(tmp_path / "kopi.db")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    message = done.stdout.strip()
    assert message.startswith("sikkerhedskopien kunne ikke skrives")
    assert "disken er fuld" in message or "er disken fuld eller utilgængelig?" in message
