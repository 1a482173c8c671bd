"""Take later versions' additions out of a current database, for tests that upgrade an older one."""

from __future__ import annotations

import sqlite3

V15_CONTACT_COLUMNS = ("referral_consent", "referral_made_by", "anonymous_repeat")


def undo_v15(con: sqlite3.Connection) -> None:
    """Remove what version 15 added (issue 19: referral columns and ``referral_arrival``)."""
    for column in V15_CONTACT_COLUMNS:
        con.execute(f"ALTER TABLE contact DROP COLUMN {column}")  # noqa: S608 - fixed names
    con.execute("DROP TABLE referral_arrival")
