"""The "other terminal" of the ``beds_remote`` benchmark task: changes one bed.

Usage: ``python benchmarks/remote_bed_change.py CONFIG USER PASSWORD``.

1. Ends every open stay and checks a first guest into the first bed, so the
   board shows a guest (and its read leaves a ``beds.view`` audit event).
2. Waits until the benchmarked terminal has opened the board (that event).
3. Waits ``SETTLE`` seconds for the board to go quiet, then checks a second
   guest into the second bed: the measured terminal must redraw that one cell
   (and the summary line) by itself.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from akut_tui.core.config import load_config
from akut_tui.services.accounts import auth
from akut_tui.services.night import stays
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, write_transaction
from db.models import AuditEvent, Bed, Stay, StayNight

GUESTS = ("010180-1235", "020285-2346")
SETTLE = 2.0
WAIT_LIMIT = 60.0


def _last_seq() -> int:
    with connection():
        last = AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).first()
        return int(last.seq) if last else 0


def _board_opened(after: int) -> bool:
    with connection():
        return (
            AuditEvent.select()
            .where(AuditEvent.seq > after, AuditEvent.action == "beds.view")
            .exists()
        )


def main() -> int:
    """Prepare, wait for the board, change one bed."""
    config = load_config(Path(sys.argv[1]))
    rt = open_runtime(config, create=False)
    session = auth.login(rt, sys.argv[2], sys.argv[3])
    with write_transaction():
        StayNight.delete().execute()
        Stay.update(ended_reason="annulleret").where(Stay.ended_reason.is_null()).execute()
    with connection():
        first, second = [b.id for b in Bed.select().order_by(Bed.sort_order)][:2]

    def guest(bed: int, cpr: str) -> stays.CheckInInput:
        return stays.CheckInInput(bed, cpr, intoxicated=False, threatening=False, disturbing=False)

    stays.check_in(rt, session, guest(first, GUESTS[0]))
    mark = _last_seq()
    deadline = time.monotonic() + WAIT_LIMIT
    while not _board_opened(mark):
        if time.monotonic() > deadline:
            print("the board was never opened", file=sys.stderr)
            return 1
        time.sleep(0.1)
    time.sleep(SETTLE)
    stays.check_in(rt, session, guest(second, GUESTS[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
