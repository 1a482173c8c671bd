"""``akut demo``: a separate synthetic database, never over a real one; no Textual to create it."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from akut_tui.core.config import DatabaseConfig
from akut_tui.services.startup.opening import open_runtime
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.periods import custom_period
from db.database import connection, database
from db.models import Stay, StayNight, User
from tests.cli_helpers import akut, write_config
from tests.conftest import cheap_hasher, make_config


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "real" / "akut.db")
    return path


def test_demo_builds_realistic_data_and_prints_passwords(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "demo" / "d.db"
    assert akut(cfg, "demo", "--db", str(target), "--months", "3", "--create-only") == 0
    out = capsys.readouterr().out
    for name in ("demo-leder", "demo-koordinator", "demo-medarbejder"):
        assert name in out
    assert not (tmp_path / "real" / "akut.db").exists()
    assert (target.parent / "audit.key").exists()
    config = make_config(target.parent)
    config = replace(config, database=DatabaseConfig(url=f"sqlite:///{target}"))
    rt = open_runtime(config, create=False, hasher=cheap_hasher())
    with connection():
        assert {u.role for u in User.select()} >= {"leder", "koordinator", "medarbejder"}
        longest = max((n.night_number for n in StayNight.select()), default=0)
        assert longest <= config.beds.max_consecutive_nights
        assert Stay.select().count() >= 1
    first, last = out.split(" fra ")[1].split(" (")[0].split(" til ")
    period = custom_period(first, last)
    report = stats.compute(rt, period, suppress=False)
    database.close()
    ministry = {r[0]: r[3] for r in report.table("channel_ministry").rows}
    assert 0.75 < ministry["telefon"] < 0.9 and 0.1 < ministry["fremmoede"] < 0.2
    minutes = {r[0]: r[4] for r in report.table("duration_by_shift").rows}
    assert minutes["dag"] > minutes["aften"] > minutes["nat"]
    persons = {r[0]: r[3] for r in report.table("persons").rows}
    assert 0.3 < persons["top5_contacts"] < 0.45
    # Anonymous callers mostly leave the municipality blank: unknown, not the host.
    municipality = {r[0]: r[3] for r in report.table("municipality").rows}
    assert 0.2 < municipality["ukendt"] < 0.5
    talk = {r[0]: r[2] for r in report.table("crisis_conversation").rows}
    assert talk["ja"] > 0 and talk["nej"] > 0
    for name in ("coordination", "referred_to", "escalation"):
        assert report.table(name).rows[0][2] is not None
    assert {r[0]: r[2] for r in report.table("coordination").rows}["koordinering_noedvendig"] > 0
    # Issue 19: about a quarter referred on, consent mostly ja, anonymous repeat callers common.
    referred = {r[0]: r[3] for r in report.table("referral_target").rows}
    assert 0.65 < referred["ikke_registreret"] < 0.85 and referred["kommune_bostoette"] > 0
    consent = {r[0]: r[3] for r in report.table("referral_consent").rows}
    assert 0.45 < consent["ja"] < 0.75 and consent["nej"] > 0
    # Per referral: who made the contact, staff and the citizen about half each.
    made_by = {r[0]: r[3] for r in report.table("referral_made_by").rows}
    assert 0.3 < made_by["personale"] < 0.6 and 0.3 < made_by["borger_raadet"] < 0.6
    repeat = {r[0]: r[3] for r in report.table("anonymous_repeat").rows}
    assert 0.3 < repeat["ja"] < 0.6 and repeat["ved_ikke"] > 0
    arrived = {r[0]: r[2] for r in report.table("referral_arrived").rows}
    assert arrived["ja"] > 0 and arrived["ikke_fulgt_op"] > arrived["ja"]
    # Issue 19 §3: a third of the contacts assessed; goals followed up with an attainment.
    avoided = {r[0]: r[3] for r in report.table("avoided").rows}
    assert 0.55 < avoided["ikke_registreret"] < 0.75 and avoided["intet"] > 0
    goal = report.table("goal_attainment")
    attained = {r[0]: r[2] for r in goal.rows}
    assert goal.denominator and attained["opnaaet"] > 0
    assert attained["ikke_registreret"] == 0  # the demo answers every completed follow-up
    # Running it again rebuilds the demo (new passwords) instead of refusing it.
    assert akut(cfg, "demo", "--db", str(target), "--months", "1", "--create-only") == 0


def test_demo_refuses_a_real_database(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real" / "akut.db"
    assert akut(cfg, "init") == 0
    size = real.stat().st_size
    assert akut(cfg, "demo", "--db", str(real), "--create-only") == 2
    assert "ikke være den rigtige database" in capsys.readouterr().err
    other = tmp_path / "other" / "x.db"
    open_runtime(make_config(other.parent), hasher=cheap_hasher())
    database.close()
    (other.parent / "akut.db").rename(other)
    assert akut(cfg, "demo", "--db", str(other), "--create-only") == 2
    assert "er ikke en demodatabase" in capsys.readouterr().err
    assert akut(cfg, "demo", "--db", str(other.parent / "new.db"), "--create-only") == 2
    assert "nøgler til en anden database" in capsys.readouterr().err
    assert real.stat().st_size == size


def test_creating_the_demo_never_loads_textual(cfg: Path, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom akut_tui.cli.main import main\n"
        f"rc = main(['--config', {str(cfg)!r}, 'demo', '--db', {str(tmp_path / 'd' / 'd.db')!r},"
        " '--months', '1', '--create-only'])\n"
        "print(rc, 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 False"


def test_a_demo_years_export_counts_every_code_of_every_month(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A year of demo data has some 40 picked codes a month: the month batch asks for
    them in UNION ALL statements of a few hundred parts, which Peewee rendered one nested
    level per part until Python's recursion limit stopped ``akut export --period all``
    (and the statistics of the running year) with an unexpected error."""
    target = tmp_path / "demo" / "d.db"
    assert akut(cfg, "demo", "--db", str(target), "--months", "12", "--create-only") == 0
    capsys.readouterr()
    out = tmp_path / "all.json"
    url = f"sqlite:///{target}"
    assert akut(cfg, "--db", url, "export", "--period", "all", "--out", str(out)) == 0
    tables = {t["name"]: t for t in json.loads(out.read_text(encoding="utf-8"))["tables"]}
    assert tables["symptoms"]["rows"] and tables["contacts"]["denominator"] > 1000


def test_a_demo_years_crisis_counts_are_shown_in_every_period(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A realistic site's headline figure survives the joint suppression: the crisis
    count of the last year, of each of its quarters and of each month is published.
    The global check used to hide a dead-end complement row (a "not a partner" row
    beside zeros), which took the crisis count with it: the demo's year, several
    quarters and months showed '-' for the number of crisis contacts."""
    target = tmp_path / "demo" / "d.db"
    assert akut(cfg, "demo", "--db", str(target), "--months", "24", "--create-only") == 0
    capsys.readouterr()
    url = f"sqlite:///{target}"
    for by in (None, "quarter", "month"):
        out = tmp_path / f"{by}.json"
        extra = ["--by", by] if by else []
        assert (
            akut(cfg, "--db", url, "export", "--period", "last-year", *extra, "--out", str(out))
            == 0
        )
        contacts = json.loads(out.read_text(encoding="utf-8"))["tables"][0]
        assert contacts["name"] == "contacts"
        code = contacts["columns"].index("code")
        count = contacts["columns"].index("count")
        crisis = [row[count] for row in contacts["rows"] if row[code] == "krise"]
        assert len(crisis) == {None: 1, "quarter": 4, "month": 12}[by]
        assert all(c is not None and c >= 5 for c in crisis), (by, crisis)
