"""Check one guest in from a separate process (for test_live_refresh.py).

Usage: ``python book_once.py CONFIG USERNAME ISO_TIME CPR BED_ID``. The clock
is fixed at ISO_TIME so the process books the same night as the test's app.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher

from akut_tui.core.config import load_config
from akut_tui.services.accounts import auth
from akut_tui.services.night import stays
from akut_tui.services.startup.opening import open_runtime

PASSWORD = "korrekt hest batteri klips"


def main() -> None:
    config = load_config(Path(sys.argv[1]))
    moment = datetime.fromisoformat(sys.argv[3])
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    rt = open_runtime(config, create=False, now=lambda: moment, hasher=hasher)
    session = auth.login(rt, sys.argv[2], PASSWORD)
    form = stays.CheckInInput(
        bed_id=int(sys.argv[5]),
        cpr_text=sys.argv[4],
        intoxicated=False,
        threatening=False,
        disturbing=False,
    )
    print(stays.check_in(rt, session, form).message)


if __name__ == "__main__":
    main()
