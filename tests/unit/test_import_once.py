"""``akut import`` imports a row only once (issue 16 §4), and records what a blank means.

Every test drives the real command (``main(argv)``) on a real SQLite file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import Contact, ImportedRow
from tests.cli_helpers import akut, write_config

HEADER = "started_at;channel;contact_type;crisis_level;cpr;municipality;crisis_conversation"
GOOD = (
    f"{HEADER}\n"
    "2015-08-01 09:00;telefon;krise;let;;;1\n"
    "2015-08-01 10:00;telefon;krise;middel;0101801233;740;0\n"
    "2015-08-02 02:10;telefon;stille_opkald;;;;\n"
)


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    return path


def write(tmp_path: Path, text: str, name: str = "good.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def count() -> int:
    with connection():
        return int(Contact.select().count())


def test_the_same_file_twice_is_refused(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD)
    assert akut(cfg, "import", path) == 0
    assert "Indlæst 3 henvendelser" in capsys.readouterr().out
    assert akut(cfg, "import", path) == 1
    err = capsys.readouterr().err
    assert "filen er allerede indlæst (alle 3 rækker)" in err and "Intet er indlæst" in err
    assert count() == 3


def test_a_row_already_imported_stops_a_new_file(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert akut(cfg, "import", write(tmp_path, GOOD)) == 0
    # A row differing in one field (no krisesamtale answer) is a new row.
    other = "started_at,channel,contact_type,crisis_level\n2015-08-01 09:00,telefon,krise,let\n"
    assert akut(cfg, "import", write(tmp_path, other, "other.csv")) == 0
    capsys.readouterr()
    # Other column order, comma separator, blanks around a value, an empty column.
    again = (
        "crisis_conversation,municipality,crisis_level,started_at,channel,contact_type\n"
        "0,,let,2015-10-01 09:00,telefon,krise\n"
        "1,, let ,2015-08-01 09:00,telefon,krise\n"
    )
    assert akut(cfg, "import", write(tmp_path, again, "again.csv")) == 1
    err = capsys.readouterr().err
    assert "linje 3: rækken er allerede indlæst (1 af filens 2 rækker" in err
    assert count() == 4


def test_dry_run_counts_duplicates(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD)
    assert akut(cfg, "import", path, "--dry-run") == 0
    assert "Ingen af rækkerne er indlæst før." in capsys.readouterr().out
    assert akut(cfg, "import", path) == 0
    mixed = GOOD + "2015-08-03 11:00;virtuel;krise;let;;;\n"
    assert akut(cfg, "import", write(tmp_path, mixed, "mixed.csv"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Filen er i orden: 4 henvendelser" in out
    assert "3 af 4 rækker er allerede indlæst" in out
    assert count() == 3


def test_identical_rows_in_one_file_are_separate_contacts_but_each_imported_once(
    cfg: Path, tmp_path: Path
) -> None:
    silent = "2015-08-02 02:10;telefon;stille_opkald;;;;\n"
    two_silent = f"{HEADER}\n{silent}{silent}"
    assert akut(cfg, "import", write(tmp_path, two_silent)) == 0
    assert count() == 2
    one = f"{HEADER}\n2015-08-02 02:10;telefon;stille_opkald;;;;\n"
    assert akut(cfg, "import", write(tmp_path, one, "one.csv")) == 1
    three = two_silent + silent
    assert akut(cfg, "import", write(tmp_path, three, "three.csv")) == 1
    assert count() == 2


def test_reimport_after_deleting_needs_nothing_special(cfg: Path, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert akut(cfg, "import", path) == 0
    with connection():
        Contact.delete().execute()  # foreign keys on: the digests go with the contacts
        assert ImportedRow.select().count() == 0
    assert akut(cfg, "import", path) == 0
    assert count() == 3
    # Deleted by hand with plain sqlite3 (foreign keys off): the digests stay behind.
    con = sqlite3.connect(tmp_path / "akut.db")
    con.execute("DELETE FROM contact_value")
    con.execute("DELETE FROM contact")
    con.commit()
    con.close()
    assert akut(cfg, "import", path) == 0
    assert count() == 3


def test_digests_hold_no_cpr_and_blanks_mean_unknown(cfg: Path, tmp_path: Path) -> None:
    assert akut(cfg, "import", write(tmp_path, GOOD)) == 0
    with connection():
        rows = list(Contact.select().order_by(Contact.started_at))
        digests = [r.digest for r in ImportedRow.select()]
    assert all(len(d) == 64 and "0101801233" not in d for d in digests)
    assert [r.home_municipality for r in rows] == ["ukendt", "740", "ukendt"]
    assert [r.conversation for r in rows] == ["ja", "nej", "ikke_registreret"]


def test_krisesamtale_column_refuses_other_values(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = f"{HEADER}\n2015-08-01 09:00;telefon;krise;let;;;ja\n"
    assert akut(cfg, "import", write(tmp_path, bad)) == 1
    assert "linje 2, kolonne crisis_conversation: skal være 0, 1 eller tom" in (
        capsys.readouterr().err
    )
