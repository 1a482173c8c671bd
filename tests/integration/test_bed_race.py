"""Separate processes race for the last bed on one SQLite file (docs/security.md row 2).

Every round each process tries to check a different guest into the one free
bed at the same moment (a barrier releases them together). Exactly one wins,
the others get the Danish :class:`BedTaken` message, no other exception
reaches them, and the beds never hold more guests than there are beds.

The default run is short; set ``AKUT_BED_RACE_ROUNDS`` (e.g. 1000) and
``AKUT_BED_RACE_PROCESSES`` for the full-size run.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import date, timedelta

from akut_tui.core.config import Config
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds, stays
from db.database import connection, database
from db.models import Stay, StayNight
from tests.conftest import PASSWORD, FakeClock
from tests.integration.bed_race_worker import race
from tests.night_helpers import CPR_A, bed_ids, form, session

ROUNDS = int(os.environ.get("AKUT_BED_RACE_ROUNDS", "200"))
PROCESSES = int(os.environ.get("AKUT_BED_RACE_PROCESSES", "2"))


def _live_guests(night: date) -> int:
    with connection():
        return (
            StayNight.select()
            .join(Stay)
            .where(StayNight.night_date == night, Stay.ended_reason.is_null())
            .count()
        )


def _occupy_all_nights(stay_id: int, bed_id: int, first: date, count: int) -> None:
    """Keep the first bed taken for every night of the race (set up directly)."""
    with connection(), database.atomic():
        StayNight.insert_many(
            [
                {
                    "stay": stay_id,
                    "bed": bed_id,
                    "night_date": first + timedelta(days=n),
                    "night_number": n + 1,
                }
                for n in range(1, count)
            ]
        ).execute()


def test_one_winner_per_round(rt: Runtime, config: Config, clock: FakeClock) -> None:
    staff = session(rt, "mette")
    first, last = bed_ids()
    occupant = stays.check_in(rt, staff, form(first, CPR_A))
    assert occupant.stay_id == 1
    night = occupant.night_date
    _occupy_all_nights(occupant.stay_id, first, night, ROUNDS)
    names = [f"racer{i}" for i in range(PROCESSES)]
    for name in names:
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None)
    database.close()

    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(PROCESSES + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=race,
            args=(
                config,
                name,
                index,
                last,
                ROUNDS,
                clock.current.isoformat(),
                start,
                results,
            ),
        )
        for index, name in enumerate(names)
    ]
    for proc in procs:
        proc.start()
    winners_per_round: list[int] = []
    errors: list[str] = []
    losses: set[str] = set()
    try:
        for round_no in range(ROUNDS):
            start.wait(timeout=60)
            outcomes = [results.get(timeout=60)[2] for _ in range(PROCESSES)]
            winners_per_round.append(outcomes.count("win"))
            errors += [o for o in outcomes if o.startswith("error:")]
            losses.update(o for o in outcomes if o.startswith("lost:"))
            assert _live_guests(night + timedelta(days=round_no)) <= 2, "more guests than beds"
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    assert errors == []
    assert winners_per_round == [1] * ROUNDS
    assert losses == {f"lost:{beds.TAKEN}"}
    assert all(proc.exitcode == 0 for proc in procs)
