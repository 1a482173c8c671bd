"""Races between separate processes on one PostgreSQL database.

The bed race of issue 9 (one winner per round, never more guests than beds,
the loser gets the Danish :class:`BedTaken`) and the login lockout of
docs/security.md row 17 (ten processes guessing at once get five verifications),
run with the same workers as the SQLite tests, against the throwaway server.
``AKUT_PG_BED_RACE_ROUNDS`` sets the bed race's size (default 100).
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import timedelta
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds, stays
from db.database import connection, database
from db.models import User
from tests.conftest import PASSWORD, FakeClock
from tests.integration.bed_race_worker import race
from tests.integration.test_bed_race import _live_guests, _occupy_all_nights
from tests.night_helpers import CPR_A, bed_ids, form, session
from tests.postgres.conftest import write_config_file
from tests.security.pool import LoginPool
from tests.security.test_lockout import (
    WRONG,
    _assert_never_more_than_five_in_a_row,
    _attempts,
    _verified_failures,
)

pytestmark = pytest.mark.postgres

ROUNDS = int(os.environ.get("AKUT_PG_BED_RACE_ROUNDS", "100"))
PROCESSES = 2


def test_bed_race_one_winner_per_round(rt: Runtime, config: Config, clock: FakeClock) -> None:
    staff = session(rt, "mette")
    first, last = bed_ids()
    occupant = stays.check_in(rt, staff, form(first, CPR_A))
    night = occupant.night_date
    _occupy_all_nights(occupant.stay_id, first, night, ROUNDS)
    names = [f"racer{i}" for i in range(PROCESSES)]
    for name in names:
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None)
    database.close()

    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(PROCESSES + 1)
    results = ctx.Queue()
    args = (last, ROUNDS, clock.current.isoformat(), start, results)
    procs = [
        ctx.Process(target=race, args=(config, name, index, *args))
        for index, name in enumerate(names)
    ]
    for proc in procs:
        proc.start()
    winners: list[int] = []
    outcomes_seen: set[str] = set()
    try:
        for round_no in range(ROUNDS):
            start.wait(timeout=60)
            outcomes = [results.get(timeout=60)[2] for _ in range(PROCESSES)]
            winners.append(outcomes.count("win"))
            outcomes_seen.update(o for o in outcomes if o != "win")
            assert _live_guests(night + timedelta(days=round_no)) <= 2, "more guests than beds"
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    assert outcomes_seen == {f"lost:{beds.TAKEN}"}  # no other error reached a user
    assert winners == [1] * ROUNDS
    assert all(proc.exitcode == 0 for proc in procs)


def test_ten_processes_get_five_guesses(rt: Runtime, config: Config, tmp_path: Path) -> None:
    processes = 10
    user = accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    database.close()  # forked workers must not share this process's connection
    cfg_file = write_config_file(config, tmp_path / "worker.toml")
    pool = LoginPool(cfg_file, tmp_path / "pool", "ole", processes, 2)
    try:
        # Ten wrong guesses at once: exactly five are verified, the account locks.
        results = pool.run_round(0, [f"{WRONG}{n}" for n in range(processes)])
        assert [r for r, _ in results] == ["fail"] * processes
        assert _verified_failures() == 5
        with connection():
            assert User.get_by_id(user.id).locked_until is not None
        accounts.unlock_user(rt, None, "ole")
        database.close()
        # Nine wrong guesses and the right one at once: never through after five failures.
        passwords = [f"{WRONG}{n}" for n in range(processes)]
        passwords[processes - 1] = PASSWORD
        seen = len(_attempts(user.id))
        pool.run_round(1, passwords)
        _assert_never_more_than_five_in_a_row(_attempts(user.id)[seen:])
    finally:
        pool.close()
