"""Take later versions' additions out of a current database, for tests that upgrade an older one."""

from __future__ import annotations

import sqlite3

V15_CONTACT_COLUMNS = ("referral_consent", "referral_made_by", "anonymous_repeat")
V16_CONTACT_COLUMNS = ("goal_kind", "goal_attainment")
V17_VALUE_COLUMNS = ("consent", "made_by", "arrived", "answered_at")


def undo_v17(con: sqlite3.Connection) -> None:
    """Remove what version 17 added (issue 19 §2: the per-referral columns)."""
    for column in V17_VALUE_COLUMNS:
        con.execute(f"ALTER TABLE contact_value DROP COLUMN {column}")  # noqa: S608 - fixed names


def undo_v16(con: sqlite3.Connection) -> None:
    """Remove what versions 16 and later added (issue 19 §3: the goal's kind and attainment)."""
    undo_v17(con)
    for column in V16_CONTACT_COLUMNS:
        con.execute(f"ALTER TABLE contact DROP COLUMN {column}")  # noqa: S608 - fixed names


def undo_v15(con: sqlite3.Connection) -> None:
    """Remove what versions 15 and later added (issue 19: referral columns and
    ``referral_arrival``; a version-14 database has none of version 16 either)."""
    undo_v16(con)
    for column in V15_CONTACT_COLUMNS:
        con.execute(f"ALTER TABLE contact DROP COLUMN {column}")  # noqa: S608 - fixed names
    con.execute("DROP TABLE referral_arrival")
