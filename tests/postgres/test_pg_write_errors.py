"""PostgreSQL: a refused write is classified by its SQLSTATE, never by the message text.

The errors are raised by the real server through the real driver and Peewee:
``RAISE ... USING ERRCODE`` gives exactly the SQLSTATE a full disk, a lock
timeout, a serialization failure or a deadlock gives, and the lock timeout is
also produced for real by holding the writer lock in a second connection.
"""

from __future__ import annotations

import peewee
import pytest

from akut_tui.services.base.runtime import Runtime
from db import database as dbmod
from db.database import BUSY, DISK_FULL, WRITER_LOCK, WriteFailed, database, write_transaction
from tests.pg import PgServer

pytestmark = pytest.mark.postgres

# Text that the old message matching took for a full disk and a lock.
MISLEADING = "disk is full; table locked; server busy; lock timeout; no space left"


def _raise(sqlstate: str, text: str = "refused") -> None:
    database.execute_sql(
        f"DO $$ BEGIN RAISE EXCEPTION '{text}' USING ERRCODE = '{sqlstate}'; END $$"
    )


@pytest.mark.parametrize(
    ("sqlstate", "message"),
    [("53100", DISK_FULL), ("55P03", BUSY), ("40001", BUSY), ("40P01", BUSY)],
)
def test_sqlstate_gives_the_danish_message(rt: Runtime, sqlstate: str, message: str) -> None:
    with pytest.raises(WriteFailed) as caught:
        with write_transaction():
            _raise(sqlstate)
    assert caught.value.user_message == message


# 53200 out_of_memory and 57014 query_canceled reach Peewee as OperationalError too.
@pytest.mark.parametrize("sqlstate", ["53200", "57014", "P0001"])
def test_other_errors_stay_errors_whatever_they_say(rt: Runtime, sqlstate: str) -> None:
    with pytest.raises(peewee.PeeweeException) as caught:
        with write_transaction():
            _raise(sqlstate, MISLEADING)
    assert not isinstance(caught.value, WriteFailed)
    assert "disk is full" in str(caught.value)


def test_a_writer_holding_the_lock_past_the_timeout_gives_busy(
    rt: Runtime, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "LOCK_TIMEOUT", "200ms")
    other = pg_server.connect(rt.config.database.url.rsplit("/", 1)[-1])
    try:
        other.autocommit = True
        other.cursor().execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK,))
        with pytest.raises(WriteFailed) as caught:
            with write_transaction():
                pass
        assert caught.value.user_message == BUSY
    finally:
        other.close()
    with write_transaction():  # the lock is free again
        pass
