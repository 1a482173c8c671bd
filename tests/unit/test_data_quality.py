"""Data quality (issue 18 §5): each check's count, its rows, the export's figures, the role."""

from __future__ import annotations

import pytest

from akut_tui.core.errors import NotFound, PermissionDenied
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight import data_quality
from akut_tui.services.statistics import compute as stats
from db.database import connection
from db.models import AuditEvent
from tests.oversight_fixture import People, login, quality_fixture

EXPECTED = {
    "no_level": 2,  # no level, and a level code the export does not know
    "unknown_municipality": 10,  # Ida 3, Ole 5, the follow-up one and the one without a level
    "old_drafts": 1,
    "overdue_followups": 1,
    "missing_decision": 1,
    "unsigned_handovers": 1,
    "duplicates": 2,
    "import_failed": 1,
}


def _counts(rt: Runtime, period: str = "last-12-months") -> dict[str, int]:
    coord = login(rt, "kirsten", "koordinator")
    report = data_quality.quality_report(rt, coord, period)
    return {check.code: check.count for check in report.checks}


def test_every_check_counts_its_rows(rt: Runtime) -> None:
    quality_fixture()
    assert _counts(rt) == EXPECTED


def test_the_contact_figures_are_the_exports(rt: Runtime) -> None:
    """The same fixture through the export and the screen gives the same numbers."""
    quality_fixture()
    for period in ("last-12-months", "last-month", "all"):
        report = stats.compute(rt, data_quality.quality_period(rt, period), suppress=False)
        tables = {t.name: {row[0]: row[2] for row in t.rows} for t in report.tables}
        counts = _counts(rt, period) if period == "last-12-months" else None
        leader = login(rt, f"lea{len(period)}", "leder")
        shown = {c.code: c.count for c in data_quality.quality_report(rt, leader, period).checks}
        assert shown["no_level"] == tables["crisis_level"]["ikke_vurderet"]
        assert shown["unknown_municipality"] == tables["municipality"]["ukendt"]
        if counts is not None:
            assert counts == shown
    assert _counts_all(rt)["no_level"] == 3  # the old contact is in "all"


def _counts_all(rt: Runtime) -> dict[str, int]:
    leader = login(rt, "leo", "leder")
    return {c.code: c.count for c in data_quality.quality_report(rt, leader, "all").checks}


def test_rows_behind_each_check_match_its_count(rt: Runtime) -> None:
    people: People = quality_fixture()
    leader = login(rt, "lea", "leder")
    for code, count in EXPECTED.items():
        rows = data_quality.quality_rows(rt, leader, code, "last-12-months")
        assert len(rows) == count, code
    dups = data_quality.quality_rows(rt, leader, "duplicates", "last-12-months")
    keys = {row.key for row in dups}
    assert f"dup:{people.ida}-{people.ida_twin}" in keys
    assert f"dup:{people.cpr_person}-{people.nick_person}" in keys
    (broken,) = data_quality.quality_rows(rt, leader, "import_failed", "last-12-months")
    assert "ingen yderligere tiltag" in broken.detail
    (guest,) = data_quality.quality_rows(rt, leader, "missing_decision", "last-12-months")
    assert guest.detail == "Ole"
    (handover,) = data_quality.quality_rows(rt, leader, "unsigned_handovers", "last-12-months")
    assert handover.when == "18-11-2026"
    for rows_of in EXPECTED:
        for row in data_quality.quality_rows(rt, leader, rows_of, "last-12-months"):
            assert "hemmelig" not in repr(row)


def test_staff_are_refused_in_the_service(rt: Runtime) -> None:
    quality_fixture()
    staff = login(rt, "mette", "medarbejder")
    with pytest.raises(PermissionDenied):
        data_quality.quality_report(rt, staff, "last-12-months")
    with pytest.raises(PermissionDenied):
        data_quality.quality_rows(rt, staff, "duplicates", "last-12-months")


def test_an_unknown_check_is_not_found(rt: Runtime) -> None:
    leader = login(rt, "lea", "leder")
    with pytest.raises(NotFound):
        data_quality.quality_rows(rt, leader, "nonsense", "last-12-months")


def test_views_are_audited(rt: Runtime) -> None:
    quality_fixture()
    leader = login(rt, "lea", "leder")
    data_quality.quality_report(rt, leader, "last-12-months")
    data_quality.quality_rows(rt, leader, "duplicates", "last-12-months")
    with connection():
        events = list(AuditEvent.select().order_by(AuditEvent.seq))[-2:]
    assert [(e.action, e.object_id) for e in events] == [
        ("quality.view", "alle"),
        ("quality.rows", "duplicates"),
    ]
