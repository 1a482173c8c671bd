"""The year cache (issue 16 §3, speed of ``all``) never shows stale figures.

Closed years' grids are kept in the database (:mod:`akut_tui.services.statistics.year_cache`)
and stay true through per-month generations bumped by database triggers
(:mod:`db.stats_triggers`). After every kind of write (through the services or the
models, in this process or in a second one, and a write racing a count) the figures
shown must equal a fresh count.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.importing.importer import import_contacts
from akut_tui.services.night import beds
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics import year_cache
from akut_tui.services.statistics.dto import StatsReport
from db.database import connection, write_transaction
from db.models import (
    Bed,
    BedOutOfService,
    Contact,
    ContactValue,
    StatsCache,
    StatsGeneration,
    StayNight,
    ValueItem,
)
from tests.night_helpers import bed_ids, session
from tests.stats_helpers import add_contact, add_person, add_stay

ROOT = Path(__file__).resolve().parents[2]
LEVELS = ("let", "middel", "alvorlig")


def _fill() -> None:
    """Contacts over 2024-2025: 8 a month, persons over months, picks, a stay."""
    with connection(), write_transaction():
        people = [add_person(f"P{i}") for i in range(4)]
        for year in (2024, 2025):
            for month in range(1, 13):
                for i in range(8):
                    add_contact(
                        datetime(year, month, 2 + 3 * i, (5 * i) % 24, 10),
                        {"symptom": ["angst", "uro"][: 1 + i % 2]},
                        contact_type="krise",
                        person=people[i % 4] if i % 2 else None,
                        crisis_level=LEVELS[i % 3],
                        gender=("mand", "kvinde")[i % 2],
                    )
        add_stay(people[0], date(2025, 2, 3), 3)


@pytest.fixture
def filled(rt: Runtime) -> Iterator[Runtime]:
    """The runtime (clock 20-11-2026: 2024 and 2025 closed) with the contacts."""
    _fill()
    yield rt


def _report(rt: Runtime, period: str) -> StatsReport:
    return stats.compute(rt, stats.resolve_period(rt, period), by="month")


def _fresh(rt: Runtime, period: str, monkeypatch: pytest.MonkeyPatch) -> StatsReport:
    with monkeypatch.context() as patch:
        patch.setattr(year_cache, "ENABLED", False)
        return _report(rt, period)


def _cached_years() -> set[int]:
    with connection():
        return {int(y) for (y,) in StatsCache.select(StatsCache.year).tuples()}


def _assert_true(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every period shown from the cache equals the same period counted afresh."""
    for period in ("2024", "2025", "all", "2025Q2"):
        shown, fresh = _report(rt, period), _fresh(rt, period, monkeypatch)
        assert shown.tables == fresh.tables, period
        assert shown.monthly == fresh.monthly, period


def _insert(rt: Runtime) -> None:
    with connection():
        for day in range(1, 8):
            add_contact(
                datetime(2025, 6, day, 12),
                {"symptom": ["angst"]},
                contact_type="krise",
                crisis_level="alvorlig",
            )


def _edit_old(rt: Runtime) -> None:
    with connection(), write_transaction():
        Contact.update(crisis_level="middel").where(Contact.crisis_level == "let").execute()
        moved = Contact.select(Contact.id).where(Contact.started_at < datetime(2024, 3, 1))
        Contact.update(started_at=datetime(2025, 7, 15, 10)).where(Contact.id.in_(moved)).execute()


def _picks(rt: Runtime) -> None:
    with connection(), write_transaction():
        ContactValue.delete().where(ContactValue.code == "uro").execute()
        for (cid,) in Contact.select(Contact.id).limit(40).tuples():
            ContactValue.create(contact=cid, list_name="symptom", code="mareridt")


def _purge(rt: Runtime) -> None:
    with connection(), write_transaction():
        gone = Contact.select(Contact.id).where(Contact.started_at < datetime(2024, 9, 1))
        Contact.delete().where(Contact.id.in_(gone)).execute()  # picks go by cascade


def _import(rt: Runtime) -> None:
    lines = ["started_at;channel;contact_type;crisis_level"]
    lines += [f"2024-10-{d:02d} 10:00;telefon;krise;alvorlig" for d in range(1, 9)]
    result = import_contacts(rt, "\n".join(lines).encode(), dry_run=False, os_user="test")
    assert result.contacts == 8


def _value_list(rt: Runtime) -> None:
    with connection(), write_transaction():
        ValueItem.update(label="Angst (ny tekst)").where(
            ValueItem.list_name == "symptom", ValueItem.code == "angst"
        ).execute()


def _stay(rt: Runtime) -> None:
    with connection(), write_transaction():
        add_stay(add_person("Gæst"), date(2024, 5, 1), 3)
        StayNight.delete().where(StayNight.night_date == date(2025, 2, 4)).execute()


def _out_of_service_then(rt: Runtime) -> None:
    """A bed out of service for part of March 2025, entered afterwards (a correction)."""
    with connection(), write_transaction():
        BedOutOfService.create(
            bed=bed_ids()[0],
            started_at=datetime(2025, 3, 2, 9),
            ended_at=datetime(2025, 3, 20, 9),
            reason="Vandskade",
        )


def _out_of_service_ended(rt: Runtime) -> None:
    """A period open since November 2025, then ended on 10-12-2025 (a row changed)."""
    with connection(), write_transaction():
        period = BedOutOfService.create(
            bed=bed_ids()[1], started_at=datetime(2025, 11, 3, 9), reason="Maling"
        )
    _report(rt, "all")  # stored with the period open: the end must still reach 2025
    with connection(), write_transaction():
        BedOutOfService.update(ended_at=datetime(2025, 12, 10, 9)).where(
            BedOutOfService.id == period.id
        ).execute()


WRITES: dict[str, Callable[[Runtime], None]] = {
    "insert": _insert,
    "edit_old": _edit_old,
    "picks": _picks,
    "purge": _purge,
    "import": _import,
    "value_list": _value_list,
    "stay": _stay,
    "out_of_service_then": _out_of_service_then,
    "out_of_service_ended": _out_of_service_ended,
}


@pytest.mark.parametrize("kind", list(WRITES))
def test_cached_figures_equal_a_fresh_count_after_a_write(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    before = _report(filled, "all")
    assert _cached_years() == {2024, 2025}  # both closed years kept
    WRITES[kind](filled)
    after = _fresh(filled, "all", monkeypatch)
    assert after.tables != before.tables  # the write changes what is shown
    _assert_true(filled, monkeypatch)


def test_a_bed_out_of_service_today_keeps_the_stored_closed_years(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leader's change on the bed board (out of service, back, a new name) changes no
    figure of a closed year, so the stored years stay (docs/export.md, "The cache of
    closed years"); a new bed changes every month's bed count, so it drops them."""
    leader = session(filled, "lea", "leder", display="Lea")
    _report(filled, "all")
    first = bed_ids()[0]
    beds.set_out_of_service(filled, leader, first, "Vandskade")
    beds.set_out_of_service(filled, leader, first, None)
    with connection(), write_transaction():
        Bed.update(name="Seng A").where(Bed.id == first).execute()
    assert _cached_years() == {2024, 2025}
    _assert_true(filled, monkeypatch)
    with connection(), write_transaction():
        Bed.create(name="Seng 3", sort_order=3)
    assert _cached_years() == set()
    _assert_true(filled, monkeypatch)


def _running_year(rt: Runtime) -> None:
    """Contacts of 2026 (the clock's year, 20-11-2026) up to today."""
    with connection(), write_transaction():
        for month in range(1, 12):
            for i in range(6):
                add_contact(
                    datetime(2026, month, 2 + 3 * i, (5 * i) % 24, 10),
                    {"symptom": ["angst"]},
                    contact_type="krise",
                    crisis_level=LEVELS[i % 3],
                )


def _assert_running_year_true(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    for period in ("2026", "2026Q4", "2026-11", "last-4-quarters"):
        shown = stats.compute(rt, stats.resolve_period(rt, period), by="month")
        fresh = _fresh(rt, period, monkeypatch)
        assert shown.tables == fresh.tables, period


def test_the_running_year_is_stored_until_the_next_write_to_it(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen opened twice between two writes counts the running year once; any write
    to it (a contact today, a correction, a bed out of service today) drops it at once."""
    _running_year(filled)
    first = _report(filled, "2026")
    assert 2026 in _cached_years()
    calls: list[int] = []
    with monkeypatch.context() as patch:
        patch.setattr(stats.Grid, "_combine", lambda *a: calls.append(1))
        assert _report(filled, "2026").tables == first.tables
    assert calls == []
    leader = session(filled, "lea", "leder", display="Lea")
    writes: list[Callable[[], object]] = [
        lambda: add_contact(datetime(2026, 11, 20, 9), contact_type="krise", crisis_level="let"),
        lambda: (
            Contact.update(crisis_level="alvorlig")
            .where(
                Contact.started_at >= datetime(2026, 3, 1),
                Contact.started_at < datetime(2026, 4, 1),
            )
            .execute()
        ),
        lambda: beds.set_out_of_service(filled, leader, bed_ids()[0], "Vandskade"),
    ]
    for write in writes:
        _report(filled, "2026")
        assert 2026 in _cached_years()
        with connection():
            write()
        assert 2026 not in _cached_years()
        _assert_running_year_true(filled, monkeypatch)


def test_a_purge_deletes_the_cached_year_it_touches_at_once(filled: Runtime) -> None:
    """docs/security.md, "Statistics cache": the cached year holds per-person figures, so
    the purge that deletes its contacts deletes the entry in the same transaction (not
    only when the year is next counted); an untouched year stays."""
    _report(filled, "all")
    assert _cached_years() == {2024, 2025}
    _purge(filled)
    assert _cached_years() == {2025}


def test_a_closed_year_is_read_from_the_cache(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second count of a closed year asks no counting query (it is stored)."""
    first = _report(filled, "2025")
    calls: list[int] = []
    monkeypatch.setattr(stats.Grid, "_combine", lambda *a: calls.append(1))
    assert _report(filled, "2025").tables == first.tables
    assert calls == []


def _writer(db: Path, code: str) -> None:
    """A second process writing to the same SQLite file."""
    program = (
        "import akut_tui.services.base.storage\nfrom datetime import datetime\n"
        "from db.database import connection, open_database\n"
        f"open_database('sqlite:///{db}', create=False)\n"
        "from tests.stats_helpers import add_contact\nwith connection():\n" + code
    )
    subprocess.run([sys.executable, "-c", program], check=True, cwd=ROOT, timeout=120)


SECOND = (
    "  for day in range(1, 9):\n"
    "    add_contact(datetime(2025, 4, day, 12), {'symptom': ['uro']}, contact_type='krise',"
    " crisis_level='alvorlig')\n"
)


def test_a_write_from_a_second_process_reaches_the_figures(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = _report(filled, "all")
    _writer(tmp_path / "akut.db", SECOND)
    assert _report(filled, "all").tables != before.tables
    _assert_true(filled, monkeypatch)


SPAN = (
    "  from db.models import BedOutOfService\n"
    "  BedOutOfService.create(bed=1, started_at=datetime(2024, 12, 20, 9),"
    " ended_at=datetime(2025, 2, 25, 9), reason='Vandskade')\n"
)
"""A second process enters an out-of-service period from December 2024 to February 2025:
the months of a span are bumped only where they have a generation row."""


@pytest.mark.parametrize("code", [SECOND, SPAN], ids=["contacts", "out_of_service"])
def test_a_write_during_a_count_leaves_no_fresh_looking_entry(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: str
) -> None:
    """A second process writes after 2025 was counted and before it is stored: the stored
    entry names the generations read before the count, so it is never used."""
    with connection(), write_transaction():
        StatsGeneration.delete().execute()  # as a database from before the triggers
    keep = year_cache.YearCache.keep
    raced: list[int] = []

    def racing(cache: year_cache.YearCache, year: int, *args: object) -> None:
        if year == 2025 and not raced:
            raced.append(year)
            _writer(tmp_path / "akut.db", code)
        keep(cache, year, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(year_cache.YearCache, "keep", racing)
    _report(filled, "2025")
    assert raced == [2025]
    monkeypatch.setattr(year_cache.YearCache, "keep", keep)
    _assert_true(filled, monkeypatch)


def _read_models() -> set[str]:
    """Tables of every model the statistics modules (and the out-of-service history) import."""
    import ast

    from db import models

    paths = sorted((ROOT / "akut_tui" / "services" / "statistics").rglob("*.py"))
    paths += [ROOT / "akut_tui/services/night/out_of_service.py", ROOT / "db/stats_queries.py"]
    tables = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "db.models":
                for alias in node.names:
                    model = getattr(models, alias.name)
                    tables.add(model._meta.table_name)
    return tables


def test_every_table_the_statistics_read_bumps_its_months() -> None:
    """A new table read by the statistics needs its trigger source (db.stats_triggers)."""
    from db.stats_triggers import SOURCES

    read = _read_models() - {"user", "stats_cache", "stats_generation"}
    assert "contact" in read and "stay_night" in read  # the scan finds the imports
    assert read <= set(SOURCES), read - set(SOURCES)


def test_the_triggers_exist_on_a_database(rt: Runtime) -> None:
    from db.database import database
    from db.stats_triggers import SOURCES

    with connection():
        names = {
            str(n)
            for (n,) in database.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall()
        }
    for table in SOURCES:
        assert {f"stats_{table}_{e}" for e in ("ins", "upd", "del")} <= names
