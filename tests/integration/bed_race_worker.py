"""A process of the bed race (test_bed_race.py): books the last bed once per round.

Runs in a spawned process with its own database connection. Round ``r`` is
night ``r`` after the start (the process clock moves one day per round), so no
reset write is needed between rounds. Every round the process waits at the
start barrier, tries to check a new guest into the last free bed and reports
``win``, ``lost:<message>`` (the Danish domain error) or ``error:<type>``
(anything else, which the test counts as a failure).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from argon2 import PasswordHasher

from akut_tui.core.config import Config
from akut_tui.core.errors import AkutError
from akut_tui.services.accounts import auth
from akut_tui.services.night import stays
from akut_tui.services.night.beds import BedTaken
from akut_tui.services.startup.opening import open_runtime

PASSWORD = "korrekt hest batteri klips"


def race_cpr(index: int, round_no: int) -> str:
    """A distinct valid CPR for each (process, round): 01-01-1970, serial digits."""
    return f"010170{index}{round_no % 1000:03d}"


def race(
    config: Config,
    username: str,
    index: int,
    bed_id: int,
    rounds: int,
    fixed_iso: str,
    start: Barrier,
    results: Queue[tuple[int, int, str]],
) -> None:
    """Race ``rounds`` times for ``bed_id``; put (round, index, outcome) on ``results``."""
    first = datetime.fromisoformat(fixed_iso)
    clock = [first]
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    rt = open_runtime(config, create=False, now=lambda: clock[0], hasher=hasher)
    session = auth.login(rt, username, PASSWORD)
    for round_no in range(rounds):
        clock[0] = first + timedelta(days=round_no)
        start.wait()
        form = stays.CheckInInput(
            bed_id=bed_id,
            cpr_text=race_cpr(index, round_no),
            intoxicated=False,
            threatening=False,
            disturbing=False,
        )
        try:
            stays.check_in(rt, session, form)
            outcome = "win"
        except BedTaken as exc:
            outcome = f"lost:{exc}"
        except AkutError as exc:
            outcome = f"error:{type(exc).__name__}:{exc}"
        except Exception as exc:  # noqa: BLE001 - every other exception is a test failure
            outcome = f"error:{type(exc).__name__}:{exc}"
        results.put((round_no, index, outcome))
