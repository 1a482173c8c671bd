"""Issue 16 §2: the tables of what is recorded, person-level figures, shift shares, occupancy.

The contacts come in through ``akut import`` (a fixture with known counts); the
figures are read from ``stats.compute`` without suppression (exact counts) and
from ``akut export`` as JSON (the tables are published, suppressed as usual).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from akut_tui.cli.main import main
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.dto import StatsReport
from db.database import connection
from db.models import BedOutOfService
from tests.cli_helpers import imported
from tests.conftest import FakeClock
from tests.night_helpers import bed_ids, session
from tests.stats_helpers import row_counts

HEADER = (
    "started_at;channel;contact_type;crisis_level;pseudonym;gender;municipality;housing;"
    "escalations;referred_to;coordination_needed;crisis_conversation"
)


def fixture_rows() -> list[str]:
    """26 crisis contacts in August 2015 (see the expected figures in the tests)."""
    lines = [HEADER]
    # Ane: 12 contacts in the day shift, first let, then middel, latest alvorlig;
    # 791 and no housing until the latest, which says 740 and egen_bolig.
    for day in range(1, 13):
        level = "let" if day == 1 else "alvorlig" if day == 12 else "middel"
        muni, housing = ("740", "egen_bolig") if day == 12 else ("791", "")
        lines.append(
            f"2015-08-{day:02d} 10:00;telefon;krise;{level};Ane;kvinde;{muni};{housing};;;;1"
        )
    # Bo: 3 evening contacts, middel each time, no municipality given, §85 housing.
    for day in range(13, 16):
        lines.append(f"2015-08-{day:02d} 16:00;telefon;krise;middel;Bo;mand;;botilbud_85;;;;0")
    # Cy: one night contact, let, Viborg.
    lines.append("2015-08-16 02:00;telefon;krise;let;Cy;;791;;;;;")
    # 10 anonymous day contacts: 4 let, 6 middel; 7 need coordination, 6 referred on,
    # 5 escalated to 112 and the police; municipality and krisesamtale left blank.
    for i in range(10):
        level = "let" if i < 4 else "middel"
        escalation = "112|politi" if i < 5 else ""
        referred = "rusmiddelcenter" if i < 6 else ""
        coordination = "1" if i < 7 else ""
        lines.append(
            f"2015-08-{17 + i:02d} 10:00;telefon;krise;{level};;;;;"
            f"{escalation};{referred};{coordination};"
        )
    return lines


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    return imported(tmp_path, fixture_rows())


def exact(rt: Runtime) -> StatsReport:
    return stats.compute(rt, stats.resolve_period(rt, "2015-08"), suppress=False)


def shares(report: StatsReport, name: str) -> dict[tuple[Any, ...], Any]:
    table = report.table(name)
    code = table.columns.index("code")
    return {tuple(row[: code + 1]): row[code + 3] for row in table.rows}


def test_recorded_fields_are_exported(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    assert report.table("contacts").denominator == 26
    assert row_counts(report, "housing") == {
        "egen_bolig": 1,
        "botilbud_85": 3,
        "andet": 0,
        "ukendt": 22,
    }
    assert row_counts(report, "coordination") == {"koordinering_noedvendig": 7, "ikke_markeret": 19}
    referred = row_counts(report, "referred_to")
    assert referred["rusmiddelcenter"] == 6 and referred["ikke_henvist"] == 20
    assert sum(referred.values()) == 26
    escalation = row_counts(report, "escalation")
    assert escalation["112"] == 5 and escalation["politi"] == 5
    assert escalation["vagtlaege"] == 0 and escalation["ikke_registreret"] == 21


def test_blank_municipality_and_krisesamtale_are_not_bent(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    municipality = row_counts(report, "municipality")
    assert (municipality["791"], municipality["740"], municipality["ukendt"]) == (12, 1, 13)
    assert row_counts(report, "crisis_conversation") == {"ja": 12, "nej": 3, "ikke_registreret": 11}
    method = row_counts(report, "method")
    assert method["krisesamtale"] == 12  # only the ja answers
    # A fresh database had the rules from the start: no "reliable from" note.
    assert report.table("municipality").note == ""


def test_person_level_figures_use_each_persons_latest_values(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    for name in ("persons_by_gender", "contacts_per_person", "crisis_level_first_latest"):
        assert (
            "ikke henvendelser" in report.table(name).note
            or "personer" in report.table(name).note.lower()
        )
    assert report.table("persons_by_gender").denominator == 3
    gender = row_counts(report, "persons_by_gender")
    assert (gender["kvinde"], gender["mand"], gender["ikke_registreret"]) == (1, 1, 1)
    municipality = row_counts(report, "persons_by_municipality")
    assert (municipality["740"], municipality["791"], municipality["ukendt"]) == (1, 1, 1)
    housing = row_counts(report, "persons_by_housing")
    assert housing == {"egen_bolig": 1, "botilbud_85": 1, "andet": 0, "ukendt": 1}
    assert row_counts(report, "persons_by_age_band")["ukendt"] == 3
    assert row_counts(report, "contacts_per_person") == {"1": 1, "2_4": 1, "5_9": 0, "10_plus": 1}
    course = row_counts(report, "crisis_level_first_latest")
    assert report.table("crisis_level_first_latest").denominator == 2
    assert course["let__alvorlig"] == 1 and course["middel__middel"] == 1
    assert sum(course.values()) == 2
    # Gender and age are still reported per contact, labelled as such.
    assert row_counts(report, "gender")["kvinde"] == 12
    assert "pr. henvendelse" in report.table("gender").title
    assert "pr. henvendelse" in report.table("age_band").title


def test_crisis_level_shares_are_within_each_shift(cfg: Path, rt: Runtime) -> None:
    by_shift = shares(exact(rt), "crisis_level_by_shift")
    # Day: 22 contacts (let 5, middel 16, alvorlig 1); evening: 3 middel; night: 1 let.
    assert by_shift[("dag", "middel")] == round(16 / 22, 4)
    assert by_shift[("dag", "let")] == round(5 / 22, 4)
    assert by_shift[("aften", "middel")] == 1.0
    assert by_shift[("nat", "let")] == 1.0
    for shift in ("dag", "aften", "nat"):
        total = sum(v for (s, _c), v in by_shift.items() if s == shift)
        assert abs(total - 1) < 0.001


def test_person_counts_get_no_share_of_contacts(cfg: Path, rt: Runtime) -> None:
    persons = shares(exact(rt), "persons")
    assert persons[("distinct_persons",)] is None
    assert persons[("repeat_persons",)] is None
    assert persons[("contacts_from_repeat_persons",)] == round(15 / 26, 4)


def test_the_export_publishes_the_new_tables(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--config", str(cfg), "export", "--period", "2015-08", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    names = [t["name"] for t in doc["tables"]]
    for name in (
        "housing",
        "coordination",
        "referred_to",
        "escalation",
        "crisis_conversation",
        "persons_by_gender",
        "persons_by_age_band",
        "persons_by_municipality",
        "persons_by_housing",
        "contacts_per_person",
        "crisis_level_first_latest",
    ):
        assert name in names
    tables = {t["name"]: t for t in doc["tables"]}
    # Suppressed as usual: no published count of 1-4.
    for table in tables.values():
        for row in table["rows"]:
            count = row[table["columns"].index("count")]
            assert count is None or count == 0 or count >= 5, (table["name"], row)
    assert tables["coordination"]["rows"][0][2] == 7


def test_occupancy_uses_the_out_of_service_history(rt: Runtime, clock: FakeClock) -> None:
    """A bed out for 10 nights in March and back since counts 10 nights less, not 0 or 31."""
    leader: SignedInUser = session(rt, "leif", role="leder")
    first, second = bed_ids()[:2]
    clock.current = clock.current.replace(year=2026, month=3, day=5, hour=9)
    beds.set_out_of_service(rt, leader, first, "Vandskade")
    clock.advance(days=10)  # back on 15-03: out for the nights 05-03 .. 14-03
    beds.set_out_of_service(rt, leader, first, None)
    clock.advance(days=5)  # 20-03: the second bed goes out and stays out
    beds.set_out_of_service(rt, leader, second, "Brandalarm")
    count = len(bed_ids())
    with connection():
        periods = [
            (p.bed_id, p.reason, p.started_by_id, p.ended_by_id is not None)
            for p in BedOutOfService.select().order_by(BedOutOfService.id)
        ]
    assert periods == [
        (first, "Vandskade", leader.user_id, True),
        (second, "Brandalarm", leader.user_id, False),
    ]
    march = stats.compute(rt, stats.resolve_period(rt, "2026-03"), suppress=False)
    assert march.table("overnight").denominator == count * 31 - 10 - 12  # 20-03 .. 31-03
    february = stats.compute(rt, stats.resolve_period(rt, "2026-02"), suppress=False)
    assert february.table("overnight").denominator == count * 28  # all in service then
