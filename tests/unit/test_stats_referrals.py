"""Issue 19: referrals, consent, "kom borgeren frem?" and anonymous repeat callers.

The contacts come in through ``akut import`` (a fixture with known counts); the
follow-up answers through the follow-up service. Figures are read from
``stats.compute`` without suppression, and from ``akut export`` (suppressed as usual).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.errors import ValidationError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups, referrals
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import save_contact
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.dto import StatsReport
from tests.cli_helpers import imported
from tests.conftest import FakeClock
from tests.night_helpers import session
from tests.stats_helpers import row_counts

HEADER = "started_at;channel;contact_type;crisis_level;pseudonym;caller;referrals;" + (
    "referral_consent;anonymous_repeat"
)


def fixture_rows() -> list[str]:
    """14 crisis contacts in August 2015: 12 anonymous, 2 from a relative seeking support."""
    lines = [HEADER]
    day = iter(range(1, 32))
    for _ in range(4):  # bostøtte, consent ja, has called before
        lines.append(
            f"2015-08-{next(day):02d} 10:00;telefon;krise;let;;borger;kommune_bostoette;ja;ja"
        )
    for _ in range(2):  # two targets, consent nej, first call
        lines.append(
            f"2015-08-{next(day):02d} 10:00;telefon;krise;middel;;borger;"
            "kommune_bostoette|frivillig_livslinien;nej;nej"
        )
    lines.append(f"2015-08-{next(day):02d} 10:00;telefon;krise;alvorlig;;borger;noed_112;;ved_ikke")
    for _ in range(5):  # no referral, nothing asked
        lines.append(f"2015-08-{next(day):02d} 10:00;telefon;krise;let;;borger;;;")
    for _ in range(2):  # a relative calling for their own support (a nickname: not anonymous)
        lines.append(
            f"2015-08-{next(day):02d} 10:00;telefon;krise;let;Ida;paaroerende_egen_stoette;;;"
        )
    return lines  # fmt: skip


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    return imported(tmp_path, fixture_rows())


def exact(rt: Runtime) -> StatsReport:
    return stats.compute(rt, stats.resolve_period(rt, "2015-08"), suppress=False)


def test_referral_target_counts_contacts_per_target(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    target = row_counts(report, "referral_target")
    assert target["kommune_bostoette"] == 6
    assert target["frivillig_livslinien"] == 2
    assert target["noed_112"] == 1
    assert target["region_distriktspsykiatri"] == 0
    assert target["ikke_registreret"] == 7
    assert report.table("referral_target").denominator == 14


def test_referral_consent_is_of_contacts_with_a_referral(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    assert report.table("referral_consent").denominator == 7
    assert row_counts(report, "referral_consent") == {
        "ja": 4,
        "nej": 2,
        "ikke_spurgt": 0,
        "ikke_registreret": 1,
    }


def test_anonymous_repeat_is_of_anonymous_contacts(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    assert report.table("anonymous_repeat").denominator == 12
    assert row_counts(report, "anonymous_repeat") == {
        "ja": 4,
        "nej": 2,
        "ved_ikke": 1,
        "ikke_registreret": 5,
    }


def test_relatives_for_their_own_support_are_counted_apart(cfg: Path, rt: Runtime) -> None:
    who = row_counts(exact(rt), "who_contacts")
    assert who["paaroerende_egen_stoette"] == 2
    assert who["paaroerende"] == 0 and who["borger"] == 12


def test_referral_arrived_counts_each_referral_answered_at_the_follow_up(
    cfg: Path, rt: Runtime, clock: FakeClock
) -> None:
    clock.current = datetime(2015, 8, 30, 12, tzinfo=UTC)
    staff = session(rt, "sara")
    form = ContactInput(
        started_at=datetime(2015, 8, 20, 12, tzinfo=UTC),
        crisis_level="let",
        followup_wanted=True,
        referrals=["region_distriktspsykiatri", "kommune_jobcenter"],
        referral_consent="ja",
        referral_made_by="personale",
    )
    save_contact(rt, staff, form)
    (row,) = [r for r in followups.due_followups(rt, staff) if r.referrals]
    assert row.referrals == (("kommune_jobcenter", ""), ("region_distriktspsykiatri", ""))
    referrals.record_arrival(rt, staff, row.id, "region_distriktspsykiatri", "nej")
    # A changed answer replaces the first one.
    answers = referrals.record_arrival(rt, staff, row.id, "region_distriktspsykiatri", "ja")
    assert answers == (("kommune_jobcenter", ""), ("region_distriktspsykiatri", "ja"))
    with pytest.raises(ValidationError, match="ikke henvist dertil"):
        referrals.record_arrival(rt, staff, row.id, "noed_politi", "ja")
    with pytest.raises(ValidationError, match="ja, nej eller ved ikke"):
        referrals.record_arrival(rt, staff, row.id, "kommune_jobcenter", "maaske")
    report = exact(rt)
    assert report.table("referral_arrived").denominator == 11  # 9 imported + 2 saved
    assert row_counts(report, "referral_arrived") == {
        "ja": 1,
        "nej": 0,
        "ved_ikke": 0,
        "ikke_fulgt_op": 10,
    }


def test_the_export_publishes_the_referral_tables_suppressed(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--config", str(cfg), "export", "--period", "2015-08", "--format", "json"]) == 0
    tables = {t["name"]: t for t in json.loads(capsys.readouterr().out)["tables"]}
    for name in ("referral_target", "referral_consent", "referral_arrived", "anonymous_repeat"):
        table = tables[name]
        for row in table["rows"]:
            count = row[table["columns"].index("count")]
            assert count is None or count == 0 or count >= 5, (name, row)
    consent = tables["referral_consent"]
    nej = [r for r in consent["rows"] if r[consent["columns"].index("code")] == "nej"][0]
    assert nej[consent["columns"].index("count")] is None  # 2: suppressed
