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
from tests.cli_helpers import akut, imported, write_config
from tests.conftest import FakeClock
from tests.night_helpers import session
from tests.stats_helpers import row_counts

HEADER = "started_at;channel;contact_type;crisis_level;pseudonym;caller;referrals;" + (
    "referral_consent;referral_made_by;anonymous_repeat"
)


def fixture_rows() -> list[str]:
    """14 crisis contacts in August 2015: 12 anonymous, 2 from a relative seeking support;
    8 of them refer to 11 targets, consent and made-by given for all of a row's referrals
    at once or one per referral (docs/import.md)."""
    lines = [HEADER]
    day = iter(range(1, 32))
    for _ in range(4):  # bostøtte, consent ja, staff made the contact, has called before
        lines.append(
            f"2015-08-{next(day):02d} 10:00;telefon;krise;let;;borger;kommune_bostoette;ja;"
            "personale;ja"
        )
    for _ in range(2):  # two targets: consent nej to bostøtte, ja to Livslinien; advised
        lines.append(
            f"2015-08-{next(day):02d} 10:00;telefon;krise;middel;;borger;"
            "kommune_bostoette|frivillig_livslinien;nej|ja;borger_raadet;nej"
        )
    lines.append(
        f"2015-08-{next(day):02d} 10:00;telefon;krise;alvorlig;;borger;noed_112;;;ved_ikke"
    )
    # Two targets, each with one answer left empty in the per-referral lists.
    lines.append(
        f"2015-08-{next(day):02d} 10:00;telefon;krise;middel;;borger;"
        "laege_vagtlaege|noed_politi;|ikke_spurgt;personale|;"
    )
    for _ in range(4):  # no referral, nothing asked
        lines.append(f"2015-08-{next(day):02d} 10:00;telefon;krise;let;;borger;;;;")
    for _ in range(2):  # a relative calling for their own support (a nickname: not anonymous)
        lines.append(
            f"2015-08-{next(day):02d} 10:00;telefon;krise;let;Ida;paaroerende_egen_stoette;;;;"
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
    assert (target["laege_vagtlaege"], target["noed_politi"]) == (1, 1)
    assert target["region_distriktspsykiatri"] == 0
    assert target["ikke_registreret"] == 6
    assert report.table("referral_target").denominator == 14


def test_referral_consent_counts_referrals_by_their_own_consent(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    # The unit is a referral: 11, the sum of referral_target's target rows.
    target = row_counts(report, "referral_target")
    assert sum(n for code, n in target.items() if code != "ikke_registreret") == 11
    assert report.table("referral_consent").denominator == 11
    assert row_counts(report, "referral_consent") == {
        "ja": 6,
        "nej": 2,
        "ikke_spurgt": 1,
        "ikke_registreret": 2,
    }


def test_referral_made_by_counts_referrals_by_who_made_the_contact(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    assert report.table("referral_made_by").denominator == 11
    assert row_counts(report, "referral_made_by") == {
        "personale": 5,
        "borger_raadet": 4,
        "ikke_registreret": 2,
    }


def test_the_three_referral_tables_share_their_total(cfg: Path, rt: Runtime) -> None:
    report = exact(rt)
    totals = {
        name: report.table(name).denominator
        for name in ("referral_consent", "referral_made_by", "referral_arrived")
    }
    assert set(totals.values()) == {11}


@pytest.mark.parametrize(
    ("referrals", "consent", "column", "text"),
    [
        ("noed_112|noed_politi", "ja|nej|ja", "referral_consent", "3 værdier til 2 henvisninger"),
        ("", "ja", "referral_consent", "henvist til"),
        ("noed_112", "maaske", "referral_consent", "ukendt kode"),
        ("noed_112|noed_112", "", "referrals", "flere gange"),
    ],
)
def test_a_bad_referral_row_is_refused_with_its_column(
    rt: Runtime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    referrals: str,
    consent: str,
    column: str,
    text: str,
) -> None:
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    csv_path = tmp_path / "bad.csv"
    header = "started_at;channel;crisis_level;referrals;referral_consent"
    row = f"2015-08-01 10:00;telefon;let;{referrals};{consent}"
    csv_path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    capsys.readouterr()
    assert akut(path, "import", str(csv_path)) != 0
    err = capsys.readouterr().err
    assert f"linje 2, kolonne {column}" in err and text in err, err


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
        referral_consent={"region_distriktspsykiatri": "ja", "kommune_jobcenter": "nej"},
        referral_made_by={"kommune_jobcenter": "personale"},
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
    assert report.table("referral_arrived").denominator == 13  # 11 imported + 2 saved
    assert row_counts(report, "referral_arrived") == {
        "ja": 1,
        "nej": 0,
        "ved_ikke": 0,
        "ikke_fulgt_op": 12,
    }


def test_the_export_publishes_the_referral_tables_suppressed(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--config", str(cfg), "export", "--period", "2015-08", "--format", "json"]) == 0
    tables = {t["name"]: t for t in json.loads(capsys.readouterr().out)["tables"]}
    names = ("referral_target", "referral_consent", "referral_made_by", "referral_arrived")
    for name in (*names, "anonymous_repeat"):
        table = tables[name]
        for row in table["rows"]:
            count = row[table["columns"].index("count")]
            assert count is None or count == 0 or count >= 5, (name, row)
    consent = tables["referral_consent"]
    nej = [r for r in consent["rows"] if r[consent["columns"].index("code")] == "nej"][0]
    assert nej[consent["columns"].index("count")] is None  # 2: suppressed
