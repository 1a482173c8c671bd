"""Benchmark: the leader's audit log and the access report on a big log (issue 18 §2, §3).

Builds a database through the real schema (``open_runtime``: migration 13's
indexes included) and fills ``audit_event`` with ``--events`` events (5,000,000)
spread evenly over five years (2021-2025): 30 users, 20,000 persons, a mix of
logins, registrations, reads, bed-board views and a few CPR reveals; one
frequent citizen ("Ida", with a CPR) is the person of 1 % of the person events,
and has 2,500 contacts and 150 stays over the five years.

The bulk insert is plain ``executemany`` with the indexes dropped and rebuilt
after. **The benchmark's MACs are cheap:** each row's ``mac``/``prev_hash`` is
its seq as 64 hex digits, not an HMAC, so the chain of the benchmark data does
not verify (the log and the report never read the MACs).

Then it times, through the services the screen and ``akut audit person`` call:
the first page (which also writes the ``audit.view`` event) and the next pages
(by key, ``seq`` below the last one shown) for each filter, a page deep in the
log, and the access report over five years and over one. Bars: first page
< 1 s, next page < 0.3 s, report < 10 s. Usage::

    python benchmarks/audit_log.py                       # 5,000,000 events in a temp folder
    python benchmarks/audit_log.py --events 500000 --keep /tmp/akut-audit-bench
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IDA_CPR = "010190-1234"
USERS = 30
PERSONS = 20_000
START = datetime(2021, 1, 1)
END = datetime(2026, 1, 1)
PERSON_ACTIONS = (
    ("contact.create", 16), ("contact.read", 14), ("person.lookup", 12), ("beds.view", 12),
    ("cpr.reveal", 1), ("contact.update", 3), ("stay.checkin", 2),
)  # fmt: skip
OTHER_ACTIONS = (("login.ok", 20), ("followup.list", 8), ("handover.read", 8), ("login.failed", 4))
CONTACT_COLUMNS = (
    "started_at, shift, shift_date, contact_type, channel, caller, anonymous, person_id, "
    "cpr_status, home_municipality, housing, gender, age_band, crisis_level, "
    "crisis_conversation, conversation, crisis_plan, progression_goal, followup_wanted, "
    "coordination_needed, under18_notified, flag_suicidal, flag_self_harm, flag_influence, "
    "flag_threatening, locked, created_by_id, created_at"
)


def _users_and_ida(folder: Path) -> int:
    """Create the users (one leader, ``lise``) and Ida through the services; Ida's id."""
    from akut_tui.core.cpr import parse_cpr, pseudonym
    from akut_tui.services.accounts import users as accounts
    from akut_tui.services.startup.opening import open_runtime
    from db.database import connection, database
    from db.models import Person
    from tests.conftest import PASSWORD, cheap_hasher, make_config

    rt = open_runtime(make_config(folder), hasher=cheap_hasher())
    accounts.create_user(rt, "lise", PASSWORD, "leder", actor=None, display_name="Lise")
    for n in range(1, USERS):
        accounts.create_user(rt, f"bruger{n}", PASSWORD, "medarbejder", actor=None,
                             display_name=f"Bruger {n}")  # fmt: skip
    with connection():
        cpr = parse_cpr(IDA_CPR, date(2026, 1, 1))
        ida = Person.create(
            nickname="Ida", cpr_key=pseudonym(cpr.digits, rt.keys.pseudonym),
            cpr_plain=cpr.digits, cpr_plain_expires=date(2030, 1, 1), created_at=START,
        )  # fmt: skip
    database.close()
    return int(ida.id)


def _events(count: int, ida: int, first_person: int, seed: int) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(seed)
    step = (END - START) / count
    person_actions = [a for a, w in PERSON_ACTIONS for _ in range(w)]
    other_actions = [a for a, w in OTHER_ACTIONS for _ in range(w)]
    share = len(person_actions) / (len(person_actions) + len(other_actions))
    for seq in range(1, count + 1):
        at = str((START + step * seq).replace(microsecond=0))
        user = rnd.randint(1, USERS)
        if rnd.random() < share:
            action = rnd.choice(person_actions)
            ref = str(ida if rnd.random() < 0.01 else first_person + rnd.randrange(PERSONS))
            otype, oid = "person", ref
        else:
            action, ref, otype, oid = rnd.choice(other_actions), "", "", ""
        name = "lise" if user == 1 else f"bruger{user - 1}"
        mac = f"{seq:064x}"  # cheap, see the module docstring
        yield seq, at, user, name, action, otype, oid, ref, f"{seq - 1:064x}", mac


def _contacts(ida: int, seed: int) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(seed)
    step = (END - START) / 2500
    for n in range(2500):
        at = str((START + step * n).replace(microsecond=0))
        yield (at, "aften", at[:10], "krise", rnd.choice(("telefon", "fremmoede")), "borger", 0,
               ida, "ikke_relevant", "791", "ukendt", "kvinde", "35_44",
               rnd.choice(("let", "middel", "alvorlig")), 0, "ja", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
               2, at)  # fmt: skip


def build(folder: Path, count: int, seed: int = 1) -> None:
    """Create and fill the database under ``folder`` (see the module docstring)."""
    ida = _users_and_ida(folder)
    con = sqlite3.connect(folder / "akut.db")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("DELETE FROM audit_event WHERE seq > 0")  # the set-up's own events
    con.executemany(
        "INSERT INTO person (nickname, gender, special_attention, created_at) "
        "VALUES (?, 'ikke_registreret', 0, '2021-01-01 00:00:00')",
        [(f"P{i}",) for i in range(PERSONS)],
    )
    first_person = con.execute("SELECT min(id) FROM person WHERE nickname = 'P0'").fetchone()[0]
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_event' "
        "AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    con.executemany(
        "INSERT INTO audit_event (seq, at, user_id, username, action, object_type, object_id, "
        "person_ref, prev_hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _events(count, ida, first_person, seed),
    )
    for _, sql in indexes:
        con.execute(sql)
    marks = ", ".join("?" for _ in CONTACT_COLUMNS.split(","))
    con.executemany(
        f"INSERT INTO contact ({CONTACT_COLUMNS}) VALUES ({marks})",  # noqa: S608
        _contacts(ida, seed),
    )
    bed = con.execute("SELECT min(id) FROM bed").fetchone()[0]
    for n in range(150):
        day = date.fromordinal(START.toordinal() + n * 12)
        cur = con.execute(
            "INSERT INTO stay (person_id, bed_id, checked_in_at, checked_out_at, reserved, "
            "created_by_id, excl_intoxicated, excl_threatening, excl_disturbing, ended_reason) "
            "VALUES (?, ?, ?, ?, 0, 2, 0, 0, 0, 'udtjekket')",
            (ida, bed, f"{day} 21:00:00", f"{date.fromordinal(day.toordinal() + 2)} 08:00:00"),
        )
        for night in (1, 2):
            night_day = date.fromordinal(day.toordinal() + night - 1)
            con.execute(
                "INSERT INTO stay_night (stay_id, bed_id, night_date, night_number) "
                "VALUES (?, ?, ?, ?)",
                (cur.lastrowid, bed, str(night_day), night),
            )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def measure(folder: Path, pages: int) -> bool:
    """Time every filter's first and next pages, a deep page and the report; print a table."""
    from akut_tui.services.accounts import auth
    from akut_tui.services.oversight import audit_log
    from akut_tui.services.oversight.access_report import access_report
    from akut_tui.services.oversight.audit_dto import AuditFilter
    from akut_tui.services.startup.opening import open_runtime
    from tests.conftest import PASSWORD, cheap_hasher, make_config

    rt = open_runtime(make_config(folder), hasher=cheap_hasher())
    lise = auth.login(rt, "lise", PASSWORD)
    filters = {
        "no filter": AuditFilter(),
        "user bruger7": AuditFilter(user="bruger7"),
        "person Ida by CPR": AuditFilter(person=IDA_CPR),
        "person P123 by nickname": AuditFilter(person="P123"),
        "kind cpr (rare)": AuditFilter(kind="cpr"),
        "kind login (common)": AuditFilter(kind="login"),
        "kind læst (5 actions)": AuditFilter(kind="læst"),
        "one day in 2022": AuditFilter(start=date(2022, 6, 1), end=date(2022, 6, 1)),
        "user + kind + year": AuditFilter(
            user="bruger7", kind="ændret", start=date(2023, 1, 1), end=date(2023, 12, 31)
        ),  # fmt: skip
    }
    ok = True
    print(f"{'filter':<26}{'first s':>9}{'next med':>10}{'next max':>10}{'lines':>7}")
    for label, flt in filters.items():
        first, page = _timed(lambda flt=flt: audit_log.audit_page(rt, lise, flt))
        nexts = []
        lines = len(page.lines)
        while page.next_before is not None and len(nexts) < pages:
            before = page.next_before
            took, page = _timed(lambda f=flt, b=before: audit_log.audit_page(rt, lise, f, b))
            nexts.append(took)
            lines += len(page.lines)
        med = statistics.median(nexts) if nexts else 0.0
        top = max(nexts) if nexts else 0.0
        ok &= first < 1.0 and top < 0.3
        print(f"{label:<26}{first:>9.3f}{med:>10.3f}{top:>10.3f}{lines:>7}")
    deep, _ = _timed(lambda: audit_log.audit_page(rt, lise, AuditFilter(), before=1000))
    ok &= deep < 0.3
    print(f"{'page below seq 1000':<26}{'':>9}{deep:>10.3f}")
    for label, start in (("report Ida, 5 years", date(2021, 1, 1)),
                         ("report Ida, 2025", date(2025, 1, 1))):  # fmt: skip
        took, report = _timed(
            lambda start=start: access_report(rt, lise, IDA_CPR, start, date(2025, 12, 31))
        )
        ok &= took < 10.0
        print(
            f"{label:<26}{took:>9.3f}   {len(report.lines):,} events, "
            f"{len(report.contacts):,} contacts, {len(report.stays)} stays"
        )
    print("bars (first page < 1 s, next page < 0.3 s, report < 10 s):", "PASS" if ok else "FAIL")
    return ok


def main() -> int:
    """Build (or reuse) the database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--keep", type=Path, help="folder to build in and keep (reused if present)")
    parser.add_argument("--pages", type=int, default=20, help="next pages timed per filter")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="akut-audit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "akut.db").exists():
        took, _ = _timed(lambda: build(folder, args.events))
        print(f"built {args.events:,} events in {took:.1f} s")
    print(f"database: {(folder / 'akut.db').stat().st_size / 1e6:.0f} MB at {folder}")
    return 0 if measure(folder, args.pages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
