"""Frequent users and data quality on PostgreSQL: the same figures as on SQLite and the export."""

from __future__ import annotations

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight import data_quality, frequent_users
from akut_tui.services.statistics import compute as stats
from tests.oversight_fixture import login, quality_fixture
from tests.unit.test_data_quality import EXPECTED


def test_data_quality_counts_and_the_export_agree(rt: Runtime) -> None:
    people = quality_fixture()
    leader = login(rt, "lea", "leder")
    report = data_quality.quality_report(rt, leader, "last-12-months")
    shown = {c.code: c.count for c in report.checks}
    assert shown == EXPECTED
    exported = stats.compute(rt, data_quality.quality_period(rt, "last-12-months"), suppress=False)
    tables = {t.name: {row[0]: row[2] for row in t.rows} for t in exported.tables}
    assert shown["no_level"] == tables["crisis_level"]["ikke_vurderet"]
    assert shown["unknown_municipality"] == tables["municipality"]["ukendt"]
    for code, count in EXPECTED.items():
        assert len(data_quality.quality_rows(rt, leader, code, "last-12-months")) == count
    top = frequent_users.frequent_users(rt, leader, 30).rows[0]
    assert (top.id, top.contacts, top.levels, top.nights) == (
        people.ida,
        3,
        ("let", "middel", "alvorlig"),
        2,
    )
