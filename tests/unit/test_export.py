"""``akut export``: formats, CSV for Danish Excel, formula neutralising, audit, no Textual."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.exporting.formats import neutralise
from db.database import connection, write_transaction
from db.models import AuditEvent, ValueItem
from tests.stats_helpers import add_contact


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    """A config file naming the test database (the ``rt`` fixture made it)."""
    with connection():
        with write_transaction():
            for day in range(1, 11):
                add_contact(datetime(2015, 8, day, 10), {"symptom": ["angst"]}, duration_min=25)
            for day in range(1, 6):
                add_contact(datetime(2015, 8, day, 16), channel="fremmoede", crisis_level="let")
            add_contact(datetime(2015, 8, 1, 17), contact_type="testopkald")
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "akut.db"}"\n'
        "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n",
        encoding="utf-8",
    )
    return path


def export(cfg: Path, *argv: str) -> int:
    try:
        return main(["--config", str(cfg), "export", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize(
    "text",
    [
        "=1+2",
        "+45",
        "-3",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\0x",
        # Issue 15 §8: a space, newline or invisible character before the sign.
        " =1+2",
        "  +45",
        '\n=HYPERLINK("x")',
        "\u200b=1+2",
        "\ufeff@SUM(A1)",
        "\u00a0-3",
        "\u200e\u2060 =cmd",
        "\uff1d1+2",  # full-width equals sign
    ],
)
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert neutralise("Angst") == "Angst"


def test_csv_for_danish_excel(cfg: Path, tmp_path: Path) -> None:
    out = tmp_path / "q3.csv"
    assert export(cfg, "--period", "2015Q3", "--out", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["table", "month", "quarter"]
    assert {len(row) for row in rows} == {10}
    channel = [line for line in lines if line.startswith('"channel";') and '"telefon"' in line]
    assert channel == ['"channel";;;;"telefon";"Telefon";10;0,6667;;']


def test_csv_rfc4180_for_machines(cfg: Path, tmp_path: Path) -> None:
    out = tmp_path / "q3.csv"
    assert export(cfg, "--period", "2015Q3", "--csv-dialect", "rfc4180", "--out", str(out)) == 0
    text = out.read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff")
    assert '"channel",,,,"telefon","Telefon",10,0.6667,,' in text


def test_a_label_carrying_a_formula_is_prefixed_and_quoted(cfg: Path, tmp_path: Path) -> None:
    with connection():
        ValueItem.update(label='=HYPERLINK("http://x";"klik")').where(
            ValueItem.list_name == "symptom", ValueItem.code == "angst"
        ).execute()
    out = tmp_path / "q3.csv"
    assert export(cfg, "--period", "2015Q3", "--out", str(out)) == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"";""klik"")"' in text
    xlsx = tmp_path / "q3.xlsx"
    assert export(cfg, "--period", "2015Q3", "--out", str(xlsx)) == 0
    with zipfile.ZipFile(xlsx) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in book.read(n).decode() for n in sheets)
        assert "=HYPERLINK" in book.read("xl/sharedStrings.xml").decode()


def test_json_contract_and_audit(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(cfg, "--from", "2015-08-01", "--to", "31-08-2015", "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["period"]["from"] == "2015-08-01" and doc["period"]["to"] == "2015-08-31"
    assert doc["suppression"] == {"threshold": 5, "applied": True}
    assert {"site", "generated_at", "akut_version", "tables"} <= doc.keys()
    channel = next(t for t in doc["tables"] if t["name"] == "channel")
    assert channel["columns"] == ["code", "label", "count", "share"]
    assert channel["denominator"] == 15
    contacts = next(t for t in doc["tables"] if t["name"] == "contacts")
    assert ["testopkald", "Testopkald", None, None] in contacts["rows"]
    assert export(cfg, "--period", "2015-08", "--no-suppress", "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["suppression"]["applied"] is False
    with connection():
        events = list(AuditEvent.select().order_by(AuditEvent.seq.desc()).limit(2))
    assert [e.action for e in events] == ["stats.export_unsuppressed", "stats.export"]
    assert events[0].username.startswith("os:")
    assert (events[0].object_type, events[0].object_id) == ("export.json", "2015-08")
    assert events[1].object_id == "2015-08-01..2015-08-31"


def test_bad_period_is_a_danish_usage_error(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(cfg, "--period", "2015Q9") == 2
    assert "Ukendt periode" in capsys.readouterr().err
    assert export(cfg, "--to", "2015-08-01") == 2


def test_table_and_markdown(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(cfg, "--period", "2015-08", "--format", "table", "--by", "month") == 0
    text = capsys.readouterr().out
    assert "Kontaktform (som registreret) [channel], nævner 15" in text
    assert "66,7 %" in text
    assert export(cfg, "--period", "2015-08", "--format", "md") == 0
    assert "| Kode " in capsys.readouterr().out


def test_export_path_never_loads_textual() -> None:
    code = (
        "import akut_tui.cli.commands.export, akut_tui.services.exporting.formats\n"
        "import akut_tui.services.statistics.compute\n"
        "import sys; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_export_never_creates_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.toml"
    target = tmp_path / "none" / "akut.db"
    path.write_text(f'[database]\nurl = "sqlite:///{target}"\n', encoding="utf-8")
    assert export(path, "--period", "2015Q3", "--format", "json") == 1
    assert "akut init" in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])
def test_unsuppressed_export_says_so_on_its_first_line(cfg: Path, tmp_path: Path, fmt: str) -> None:
    """Issue 16: a file made with --no-suppress opens with a warning of small counts."""
    out = tmp_path / f"raw.{fmt}"
    argv = ["--period", "2015-08", "--format", fmt, "--out", str(out)]
    assert export(cfg, *argv, "--no-suppress") == 0
    first = out.read_bytes().decode("utf-8-sig").splitlines()
    line = first[1] if fmt == "json" else first[0]  # JSON: the first key after "{"
    assert "små tal" in line and "ADVARSEL" in line
    assert export(cfg, *argv, "--force") == 0
    assert "ADVARSEL" not in out.read_bytes().decode("utf-8-sig")


def test_unsuppressed_xlsx_warns_on_its_first_row(cfg: Path, tmp_path: Path) -> None:
    out = tmp_path / "raw.xlsx"
    assert export(cfg, "--period", "2015-08", "--out", str(out), "--no-suppress") == 0
    with zipfile.ZipFile(out) as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "ADVARSEL" in strings and "små tal (1-4)" in strings
