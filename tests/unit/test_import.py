"""``akut import`` and ``akut codes``: all or nothing, line/column/reason, audited, derived."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import AuditEvent, Contact, ContactValue, FollowUp, Person
from tests.cli_helpers import akut, write_config

ROOT = Path(__file__).resolve().parents[2]
HEADER = "started_at;channel;caller;partner_type;crisis_level;duration_min;pseudonym;cpr;symptoms"


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    return path


def write(tmp_path: Path, text: str, name: str = "in.csv", bom: bool = False) -> str:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def contacts() -> int:
    with connection():
        return int(Contact.select().count())


def test_the_documented_example_imports(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert akut(cfg, "import", str(ROOT / "docs" / "import-example.csv")) == 0
    assert "Indlæst 4 henvendelser (01-07-2015 til 02-07-2015)" in capsys.readouterr().out
    with connection():
        rows = list(Contact.select().order_by(Contact.started_at))
        assert [(c.shift, str(c.shift_date)) for c in rows] == [
            ("dag", "2015-07-01"),
            ("aften", "2015-07-01"),
            ("nat", "2015-07-01"),
            ("nat", "2015-07-01"),
        ]
        assert rows[1].crisis_plan and rows[1].note == "kom selv efter aftale"
        assert rows[3].contact_type == "stille_opkald" and rows[3].anonymous
        picks = {
            (v.list_name, v.code)
            for v in ContactValue.select().where(ContactValue.contact == rows[2].id)
        }
        assert picks == {
            ("symptom", "selvmordstanker"),
            ("event", "overfald_ulykke"),
            ("action", "politi_112"),
            ("action", "indlaeggelse"),
        }
        assert FollowUp.select().count() == 0


def test_comma_separator_bom_cpr_and_pseudonyms(cfg: Path, tmp_path: Path) -> None:
    text = (
        "started_at,channel,pseudonym,cpr\n"
        "2015-08-01 10:00,telefon,Åse,\n"
        "2015-08-02 10:00,telefon,åse,\n"
        '2015-08-03 10:00,"fremmoede",,010180-1233\n'
        "2015-08-04 10:00,telefon,,0101801233\n"
    )
    assert akut(cfg, "import", write(tmp_path, text, bom=True)) == 0
    with connection():
        rows = list(Contact.select().order_by(Contact.started_at))
        assert rows[0].person_id == rows[1].person_id is not None
        assert rows[2].person_id == rows[3].person_id != rows[0].person_id
        assert (rows[2].cpr_status, rows[2].gender, rows[2].age_band) == ("oplyst", "mand", "35_44")
        assert rows[0].cpr_status == "ikke_relevant" and not rows[0].anonymous
        person = Person.get_by_id(rows[2].person_id)
        assert person.cpr_key and person.cpr_plain is None  # retention long passed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2015-08-01 10:00;telfon;;;;;;;", "linje 3, kolonne channel: ukendt kode 'telfon'"),
        ("2015-08-01;telefon;;;;;;;", "linje 3, kolonne started_at: skriv lokal tid"),
        ("2015-08-01 10:00;telefon;samarbejdspartner;;;;;;", "kolonne partner_type"),
        ("2015-08-01 10:00;telefon;;;let;90000;;;", "kolonne duration_min: Varighed"),
        ("2015-08-01 10:00;telefon;;;;;;12345;", "linje 3, kolonne cpr:"),
        ("2015-08-01 10:00;telefon;;;;;;;angst|uroo", "kolonne symptoms: ukendt kode"),
        ("2014-08-01 10:00;telefon;;;;;;;", "før tilbuddets start"),
        ("2099-08-01 10:00;telefon;;;;;;;", "fremtiden"),
    ],
)
def test_one_bad_row_stops_everything(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    text = f"{HEADER}\n2015-08-01 09:00;telefon;;;;;;;\n{line}\n2015-08-02 09:00;telefon;;;;;;;\n"
    assert akut(cfg, "import", write(tmp_path, text)) == 1
    err = capsys.readouterr().err
    assert expected in err and "Intet er indlæst." in err
    assert contacts() == 0


def test_header_problems(cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert akut(cfg, "import", write(tmp_path, "started_at;kanal\n")) == 1
    assert "linje 1, kolonne kanal: ukendt kolonne" in capsys.readouterr().err
    assert akut(cfg, "import", write(tmp_path, "started_at;duration_min\n")) == 1
    assert "kolonne channel: kolonnen mangler" in capsys.readouterr().err
    assert akut(cfg, "import", write(tmp_path, "")) == 1
    assert akut(cfg, "import", str(tmp_path / "missing.csv")) == 2
    path = tmp_path / "latin1.csv"
    path.write_bytes("started_at;channel\n2015-08-01 10:00;t\xe6lefon\n".encode("latin-1"))
    assert akut(cfg, "import", str(path)) == 1
    assert "linje 2: filen er ikke UTF-8" in capsys.readouterr().err


def test_dry_run_writes_nothing_but_is_audited(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"{HEADER}\n2015-08-01 09:00;telefon;;;;;Bo;;\n"
    assert akut(cfg, "import", write(tmp_path, text), "--dry-run") == 0
    assert "Intet er skrevet" in capsys.readouterr().out
    assert contacts() == 0
    assert akut(cfg, "import", write(tmp_path, text)) == 0
    assert contacts() == 1
    with connection():
        events = [(e.action, e.object_id) for e in AuditEvent.select().order_by(AuditEvent.seq)]
        assert Person.select().count() == 1
    assert events[-2:] == [("contacts.import_dry_run", "1"), ("contacts.import", "1")]


def test_codes_lists_every_value_list(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert akut(cfg, "codes", "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"code": "telefon", "label": "Telefon", "retired": False} in doc["channel"]
    assert {"channel", "symptom", "municipality", "crisis_level"} <= doc.keys()
    assert akut(cfg, "codes") == 0
    assert "fremmoede" in capsys.readouterr().out


def test_codes_without_a_database_shows_the_packaged_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "none" / "x.db"}"\n', encoding="utf-8"
    )
    assert akut(path, "codes", "--format", "json") == 0
    assert "telefon" in capsys.readouterr().out
    assert not (tmp_path / "none" / "x.db").exists()


def test_import_and_codes_never_load_textual() -> None:
    code = (
        "import akut_tui.cli.commands.import_csv\n"
        "import akut_tui.cli.commands.codes\n"
        "import akut_tui.services.importing.importer\n"
        "import sys; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_field_over_the_limit_names_line_column_and_limit(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15 §8: a 131,073-character field ended in an incident id."""
    text = f"{HEADER};note\n2015-08-01 09:00;telefon;;;;;;;;ok\n"
    text += "2015-08-01 10:00;telefon;;;;;;;;" + "x" * 131_073 + "\n"
    assert akut(cfg, "import", write(tmp_path, text)) == 1
    err = capsys.readouterr().err
    assert "linje 3, kolonne note: feltet har 131.073 tegn; højst 131.072" in err
    assert "hændelse" not in err and "Intet er indlæst" in err
    assert contacts() == 0


def test_duplicate_header_columns_are_refused(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "started_at;channel;note;note\n2015-08-01 10:00;telefon;a;b\n"
    assert akut(cfg, "import", write(tmp_path, text)) == 1
    assert "linje 1, kolonne note: kolonnen står mere end én gang" in capsys.readouterr().err
    assert contacts() == 0


@pytest.mark.parametrize(
    "line",
    [
        "010190-1234;telefon;;;;;;;",  # a CPR in the time column
        "2015-08-01 10:00;telefon;;;;;;;angst|0101901234",  # ... as a code
    ],
)
def test_an_import_error_never_quotes_a_cpr(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    assert akut(cfg, "import", write(tmp_path, f"{HEADER}\n{line}\n")) == 1
    err = capsys.readouterr().err
    assert "linje 2" in err and "XXXXXX-XXXX" in err
    assert "1234" not in err
