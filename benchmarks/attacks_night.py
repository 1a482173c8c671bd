"""Attacks on the night limit (issue 15 §4), run on SQLite and on PostgreSQL.

Prints ``attack | sqlite | postgresql`` with held/failed per attack. Each
attack is played through the real services with a fake clock, as a member
of staff (medarbejder) would play it from the bed board, with
``beds.max_consecutive_nights = 3``:

* back-dated check-out: the evening after a slept night, check out "30
  minutes after the check-in" (the time field reads ``TT:MM`` as yesterday);
  held when the night stays recorded.
* 7 evenings of check-out + check-in: the issue's attack; held when no
  night is lost and no stay starts without a night between unless a leader
  allowed it.
* 4th night in a row in a new stay: a leader allows a new stay the night
  after a 1-night stay (gap override); staff then extends it twice; held
  when the 4th night in a row is refused for staff and granted, audited,
  only by a leader.

PostgreSQL runs on a throwaway server (tests/pg.py); without one its column
says "not run" and why.

    python benchmarks/attacks_night.py
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402

from akut_tui.core.config import Config, DatabaseConfig  # noqa: E402
from akut_tui.core.errors import AkutError  # noqa: E402
from akut_tui.services.accounts import auth  # noqa: E402
from akut_tui.services.accounts import users as accounts  # noqa: E402
from akut_tui.services.base.dto import SignedInUser  # noqa: E402
from akut_tui.services.base.runtime import Runtime  # noqa: E402
from akut_tui.services.night import nights, stays  # noqa: E402
from akut_tui.services.startup.opening import open_runtime  # noqa: E402
from db.database import connection, database  # noqa: E402
from db.models import AuditEvent, Bed, Stay, StayNight  # noqa: E402
from tests.conftest import FakeClock, cheap_hasher, make_config  # noqa: E402

PASSWORD = "korrekt hest batteri klips"
CPR = "010180-1235"
REASON = "Ingen anden plads i kommunen i aften"


class Night:
    """One fresh database with a member of staff, a leader and a clock at 20:00."""

    def __init__(self, config: Config) -> None:
        self.clock = FakeClock(datetime(2026, 11, 20, 19, 0, tzinfo=UTC))
        self.rt: Runtime = open_runtime(config, now=self.clock, hasher=cheap_hasher())
        self.staff = self._user("mette", "medarbejder")
        self.leader = self._user("lea", "leder")
        with connection():
            self.bed = int(Bed.select().order_by(Bed.sort_order).first().id)

    def _user(self, name: str, role: str) -> SignedInUser:
        accounts.create_user(self.rt, name, PASSWORD, role, actor=None, display_name=name)
        return auth.login(self.rt, name, PASSWORD)

    def check_in(self, who: SignedInUser, reason: str = "") -> int:
        """Check the same guest into the first bed; return the stay id."""
        form = stays.CheckInInput(
            bed_id=self.bed,
            cpr_text=CPR,
            intoxicated=False,
            threatening=False,
            disturbing=False,
            override_reason=reason,
        )
        return stays.check_in(self.rt, who, form).stay_id

    def close(self) -> None:
        """Close the database."""
        if not database.is_closed():
            database.close()


def backdated_checkout(night: Night) -> bool:
    """Check out 30 minutes after the check-in, typed the next evening."""
    checked_in = night.clock.current
    stay = night.check_in(night.staff)
    night.clock.advance(hours=24)
    try:
        nights.check_out(night.rt, night.staff, stay, checked_in + timedelta(minutes=30))
    except AkutError:
        pass
    with connection():
        return StayNight.select().where(StayNight.stay == stay).count() == 1


def seven_evenings(night: Night) -> bool:
    """The issue's attack: 7 evenings of a back-dated check-out and a new check-in."""
    stay: int | None = night.check_in(night.staff)
    for _evening in range(6):
        previous = night.clock.current
        night.clock.advance(hours=24)
        if stay is not None:
            try:
                nights.check_out(night.rt, night.staff, stay, previous + timedelta(minutes=30))
            except AkutError:
                nights.check_out(night.rt, night.staff, stay, night.clock.current)
        try:
            stay = night.check_in(night.staff)
        except AkutError:
            stay = None  # refused tonight; the attacker tries again tomorrow
    with connection():
        made = Stay.select().count()
        dates = sorted({row[0] for row in StayNight.select(StayNight.night_date).tuples()})
    longest = run = 0
    for index, day in enumerate(dates):
        run = run + 1 if index and day - dates[index - 1] == timedelta(days=1) else 1
        longest = max(longest, run)
    limit = night.rt.config.beds.max_consecutive_nights
    return made == len(dates) and longest <= limit


def fourth_night_in_new_stay(night: Night) -> bool:
    """A leader's gap override, then staff extends the new stay to a 4th night in a row."""
    stay = night.check_in(night.staff)
    night.clock.advance(hours=24)
    nights.check_out(night.rt, night.staff, stay, night.clock.current)
    stay = night.check_in(night.leader, REASON)
    nights.decide_night(night.rt, night.staff, stay, "forlaeng")
    night.clock.advance(hours=24)
    try:
        nights.decide_night(night.rt, night.staff, stay, "forlaeng", override_reason=REASON)
    except AkutError:
        pass
    else:
        return False  # staff got a 4th night in a row
    nights.decide_night(night.rt, night.leader, stay, "forlaeng", override_reason=REASON)
    with connection():
        audited = AuditEvent.select().where(AuditEvent.action == "stay.override_max").count()
    return audited == 1


ATTACKS: list[tuple[str, Callable[[Night], bool]]] = [
    ("back-dated check-out erases a slept night", backdated_checkout),
    ("7 evenings of check-out + check-in (max 3)", seven_evenings),
    ("4th night in a row in a new stay, by staff", fourth_night_in_new_stay),
]


def run_all(make: Callable[[], Config]) -> list[str]:
    """Run every attack on a fresh database from ``make``; return held/failed per attack."""
    results = []
    for _name, attack in ATTACKS:
        night = Night(make())
        try:
            results.append("held" if attack(night) else "failed")
        except AkutError as exc:
            results.append(f"failed ({exc})")
        finally:
            night.close()
    return results


def sqlite_configs() -> Callable[[], Config]:
    """A fresh SQLite file per attack."""

    def make() -> Config:
        return make_config(Path(tempfile.mkdtemp(prefix="akut-night-")))

    return make


def main() -> None:
    """Run the attacks on both backends and print the table."""
    sqlite = run_all(sqlite_configs())
    try:
        from tests.pg import PgUnavailable, start_server
    except ImportError as exc:  # pragma: no cover - the driver is missing
        postgres = [f"not run ({exc})"] * len(ATTACKS)
    else:
        try:
            server = start_server()
        except PgUnavailable as exc:
            postgres = [f"not run ({exc})"] * len(ATTACKS)
        else:
            numbers = iter(range(1, 100))
            try:

                def make() -> Config:
                    folder = Path(tempfile.mkdtemp(prefix="akut-night-pg-"))
                    url = server.create_database(f"akut_night_{next(numbers)}")
                    base = make_config(folder)
                    return replace(base, database=DatabaseConfig(url=url))

                postgres = run_all(make)
            finally:
                server.stop()
    rows = [[name, s, p] for (name, _), s, p in zip(ATTACKS, sqlite, postgres, strict=True)]
    print(tabulate(rows, headers=["attack", "sqlite", "postgresql"], tablefmt="github"))


if __name__ == "__main__":
    main()
