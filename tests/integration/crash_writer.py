"""Writer for test_crash.py: 2-row transactions until killed.

Usage: ``python crash_writer.py CONFIG USER_ID``. Each transaction inserts a
handover note and its audit event; the note id is printed (and flushed) only
after the commit returned, so every printed id is an acknowledged commit.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from akut_tui.core.config import load_config
from akut_tui.services.audit import trail as audit
from akut_tui.services.startup.opening import open_runtime
from db.database import write_transaction
from db.models import HandoverNote


def main() -> None:
    config = load_config(Path(sys.argv[1]))
    user_id = int(sys.argv[2])
    rt = open_runtime(config, create=False)
    out = sys.stdout
    number = 0
    while True:
        number += 1
        now = rt.now().replace(tzinfo=None)
        with write_transaction():
            note = HandoverNote.create(
                shift="nat",
                shift_date=now.date(),
                category="fri",
                body=f"note {number} " + "x" * (number % 200),
                author=user_id,
                created_at=now,
                expires_on=now.date() + timedelta(days=14),
            )
            audit.record(
                rt,
                "handover.create",
                user_id=user_id,
                username="skriver",
                object_type="handover_note",
                object_id=note.id,
            )
        out.write(f"{note.id}\n")
        out.flush()


if __name__ == "__main__":
    main()
