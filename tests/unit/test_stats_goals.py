"""Issue 19 §3: the tables ``goal_attainment`` and ``avoided``.

The contacts come in through ``akut import`` (a fixture with known counts); one more
through the form and the follow-up service. Figures are read from ``stats.compute``
without suppression, and from ``akut export`` (suppressed as usual).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import save_contact
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.dto import MULTI, OWN_DENOMINATOR, StatsReport
from tests.cli_helpers import imported, write_config
from tests.conftest import FakeClock
from tests.night_helpers import session
from tests.stats_helpers import row_counts

HEADER = "started_at;channel;contact_type;crisis_level;progression_goal;goal_kind;" + (
    "goal_attainment;avoided"
)
GROUPS = (
    (6, "0;soevn;opnaaet;psykiatrisk_akutmodtagelse"),
    (5, "0;netvaerk;delvist;intet"),
    (2, "1;;ikke_opnaaet;indlaeggelse|vagtlaege"),  # a goal without a kind
    (1, "0;daglig_struktur;ikke_fulgt_op;"),
    (3, "0;soevn;;"),  # a goal, not followed up: outside the denominator
    (4, "0;;;"),
)
"""(rows, the goal and avoided columns): 21 crisis contacts in August 2015."""


def fixture_rows() -> list[str]:
    """The import file's lines, header first."""
    lines = [HEADER]
    day = iter(range(1, 32))
    for count, tail in GROUPS:
        for _ in range(count):
            lines.append(f"2015-08-{next(day):02d} 10:00;telefon;krise;let;{tail}")
    return lines


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    return imported(tmp_path, fixture_rows())


def exact(rt: Runtime) -> StatsReport:
    return stats.compute(rt, stats.resolve_period(rt, "2015-08"), suppress=False)


def test_goal_attainment_is_of_goals_with_a_completed_follow_up(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    table = report.table("goal_attainment")
    assert table.denominator == 14
    assert row_counts(report, "goal_attainment") == {
        "opnaaet": 6,
        "delvist": 5,
        "ikke_opnaaet": 2,
        "ikke_fulgt_op": 1,
        "ikke_registreret": 0,
    }
    assert "både et progressionsmål og en gennemført opfølgning" in table.note
    assert row_counts(report, "method")["progressionsmaal"] == 17  # a kind sets the goal


def test_a_follow_up_done_in_akut_counts_even_without_an_answer(
    cfg: Path, rt: Runtime, clock: FakeClock
) -> None:
    clock.current = datetime(2015, 9, 10, 12, tzinfo=UTC)
    staff = session(rt, "sara")
    for kind in ("soevn", "bolig"):
        form = ContactInput(
            started_at=datetime(2015, 8, 25, 12, tzinfo=UTC),
            crisis_level="let",
            followup_wanted=True,
            goal_kind=kind,
        )
        save_contact(rt, staff, form)
    open_rows = [r for r in followups.due_followups(rt, staff) if r.goal == "soevn"]
    followups.complete_followup(rt, staff, open_rows[0].id, "forbedret")
    report = exact(rt)
    # The completed follow-up joins the denominator unanswered; the open one does not.
    assert report.table("goal_attainment").denominator == 15
    assert row_counts(report, "goal_attainment")["ikke_registreret"] == 1


def test_avoided_is_a_multi_value_table_of_crisis_contacts(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    table = report.table("avoided")
    assert table.denominator == 21
    assert row_counts(report, "avoided") == {
        "indlaeggelse": 2,
        "psykiatrisk_akutmodtagelse": 6,
        "vagtlaege": 2,
        "112_politi": 0,
        "skadestue": 0,
        "intet": 5,
        "ved_ikke": 0,
        "ikke_registreret": 8,
    }
    assert "personalets vurdering" in table.title and "Personalets vurdering" in table.note


def test_the_tables_declare_their_denominators(cfg: Path, rt: Runtime) -> None:
    """goal_attainment's denominator is its own total; avoided is a multi-value table of
    the crisis count (what the joint suppression and the auditor rely on)."""
    from tests.grid_audit import raw_tables

    declared = {t.name: t for t in raw_tables(rt, 2015)}
    goal, avoided = declared["goal_attainment"], declared["avoided"]
    assert goal.denominator_key == OWN_DENOMINATOR and goal.kind == "partition"
    assert avoided.kind == MULTI and avoided.denominator_key == "crisis"
    assert goal.additive_codes is None and not goal.linked


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("2015-08-01 10:00;telefon;krise;let;0;;opnaaet;", "progression_goal", "progressionsmål"),
        ("2015-08-01 10:00;telefon;krise;let;0;motion;;", "goal_kind", "ukendt kode 'motion'"),
        ("2015-08-01 10:00;telefon;krise;let;1;;lidt;", "goal_attainment", "ukendt kode"),
        ("2015-08-01 10:00;telefon;krise;let;0;;;intet|vagtlaege", "avoided", "sammen med"),
        ("2015-08-01 10:00;telefon;krise;let;0;;;hospital", "avoided", "ukendt kode"),
    ],
)
def test_import_refuses_bad_goal_columns(
    rt: Runtime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line: str,
    column: str,
    reason: str,
) -> None:
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(f"{HEADER}\n{line}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--config", str(path), "import", str(csv_path)]) != 0
    err = capsys.readouterr().err
    assert f"linje 2, kolonne {column}" in err and reason in err


def test_the_export_publishes_the_goal_tables_suppressed(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--config", str(cfg), "export", "--period", "2015-08", "--format", "json"]) == 0
    tables = {t["name"]: t for t in json.loads(capsys.readouterr().out)["tables"]}
    for name in ("goal_attainment", "avoided"):
        table = tables[name]
        for row in table["rows"]:
            count = row[table["columns"].index("count")]
            assert count is None or count == 0 or count >= 5, (name, row)
    goal = tables["goal_attainment"]
    shown = {r[0]: r[goal["columns"].index("count")] for r in goal["rows"]}
    assert goal["denominator"] == 14 and shown["opnaaet"] == 6 and shown["ikke_registreret"] == 0
    assert shown["ikke_opnaaet"] is None and shown["ikke_fulgt_op"] is None  # 2 and 1
    # Their sum would be 14 - 6 - 5 = 3: the smallest shown cell is hidden with them.
    assert shown["delvist"] is None
