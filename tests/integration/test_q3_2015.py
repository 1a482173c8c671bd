"""The Q3 2015 reference figures of docs/domain.md §5, built through ``akut import``.

Ministry channel 83 / 15 / 2 %, crisis level let 41 %, middel 20 %, alvorlig
6 % with the rest not crisis-related or not assessed, and 28 / 19 / 14 minutes
by shift, checked in the JSON, CSV and xlsx exports; golden files pin the table
and CSV formats (``AKUT_UPDATE_GOLDEN=1`` rewrites them after a reviewed change).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from akut_tui.cli.main import main
from akut_tui.services.base.runtime import Runtime
from tests import q3_fixture
from tests.cli_helpers import write_config

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    """A database holding the Q3 2015 fixture, imported with ``akut import``."""
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    data = tmp_path / "q3.csv"
    data.write_text(q3_fixture.text(), encoding="utf-8")
    assert main(["--config", str(path), "import", str(data)]) == 0
    return path


def export(cfg: Path, tmp_path: Path, fmt: str, *extra: str) -> bytes:
    out = tmp_path / f"q3.{fmt}"
    out.unlink(missing_ok=True)  # an export never overwrites a file without --force
    argv = [
        "--config",
        str(cfg),
        "export",
        "--period",
        "2015Q3",
        "--format",
        fmt,
        "--out",
        str(out),
    ]
    assert main([*argv, *extra]) == 0
    return out.read_bytes()


def _shares(table: dict) -> dict[str, float]:
    return {row[0]: row[3] for row in table["rows"]}


def test_json_reproduces_the_reference_figures(cfg: Path, tmp_path: Path) -> None:
    doc = json.loads(export(cfg, tmp_path, "json"))
    tables = {t["name"]: t for t in doc["tables"]}
    assert doc["period"] == {"from": "2015-07-01", "to": "2015-09-30", "label": "2015Q3"}
    contacts = {row[0]: row[2] for row in tables["contacts"]["rows"]}
    assert (contacts["krise"], contacts["stille_opkald"]) == (400, 30)
    ministry = _shares(tables["channel_ministry"])
    assert (ministry["telefon"], ministry["fremmoede"]) == (0.83, 0.15)
    assert ministry["paaroerende_samarbejdspartner"] == 0.02
    assert ministry["virtuel"] == 0.0 and ministry["ikke_registreret"] == 0.0
    levels = _shares(tables["crisis_level"])
    assert (levels["let"], levels["middel"], levels["alvorlig"]) == (0.41, 0.2, 0.06)
    assert round(levels["ikke_krise"] + levels["ikke_vurderet"], 4) == 0.33
    minutes = {row[0]: row[4] for row in tables["duration_by_shift"]["rows"]}
    assert (minutes["dag"], minutes["aften"], minutes["nat"]) == (28.0, 19.0, 14.0)
    raw = json.loads(export(cfg, tmp_path, "json", "--no-suppress"))
    cross = next(t for t in raw["tables"] if t["name"] == "crisis_level_by_shift")
    by_shift = {(r[0], r[1]): r[3] for r in cross["rows"]}
    # Moderate/severe mostly by day; the mild share is highest in the evening and at night.
    assert by_shift[("dag", "middel")] > by_shift[("aften", "middel")] > by_shift[("nat", "middel")]
    mild = {s: by_shift[(s, "let")] / n for s, n in (("dag", 180), ("aften", 140), ("nat", 80))}
    assert mild["nat"] > mild["aften"] > mild["dag"]


def test_csv_reproduces_the_reference_figures(cfg: Path, tmp_path: Path) -> None:
    data = export(cfg, tmp_path, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    ministry = {r["code"]: r["share"] for r in rows if r["table"] == "channel_ministry"}
    assert (
        ministry["telefon"],
        ministry["fremmoede"],
        ministry["paaroerende_samarbejdspartner"],
    ) == (
        "0,83",
        "0,15",
        "0,02",
    )
    levels = {r["code"]: r["share"] for r in rows if r["table"] == "crisis_level"}
    assert (levels["let"], levels["middel"], levels["alvorlig"]) == ("0,41", "0,2", "0,06")
    minutes = {r["code"]: r["mean_min"] for r in rows if r["table"] == "duration_by_shift"}
    assert (minutes["dag"], minutes["aften"], minutes["nat"]) == ("28,0", "19,0", "14,0")


def test_repeat_persons_cannot_be_worked_out_from_the_one_contact_row(
    cfg: Path, tmp_path: Path
) -> None:
    """Issue 16 §1: distinct_persons minus contacts_per_person's '1' row is repeat_persons.

    In the reference quarter every identified person came more than once (the '1' row
    is 0); showing the number of persons next to it gave the hidden repeat persons away.
    """
    doc = json.loads(export(cfg, tmp_path, "json"))
    tables = {t["name"]: {row[0]: row[2] for row in t["rows"]} for t in doc["tables"]}
    persons, bands = tables["persons"], tables["contacts_per_person"]
    assert persons["repeat_persons"] is None
    assert persons["distinct_persons"] is None or bands["1"] is None


def _sheet(book: zipfile.ZipFile, name: str) -> list[list[str]]:
    """Cell texts of one worksheet (shared strings resolved)."""
    strings = [
        "".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t"))
        for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", NS)
    ]
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    names = [s.get("name") for s in workbook.find("x:sheets", NS) or []]
    sheet = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{names.index(name) + 1}.xml"))
    grid = []
    for row in sheet.iter(f"{{{NS['x']}}}row"):
        cells: list[str] = []
        for cell in row.findall("x:c", NS):
            value = cell.findtext("x:v", default="", namespaces=NS)
            if cell.get("t") == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{{{NS['x']}}}t"))
            column = ord(re.match(r"[A-Z]", cell.get("r", "A"))[0]) - ord("A")  # type: ignore[index]
            cells += [""] * (column - len(cells))
            cells.append(strings[int(value)] if cell.get("t") == "s" else value)
        grid.append(cells + [""] * (10 - len(cells)))
    return grid


def _body(grid: list[list[str]]) -> list[list[str]]:
    """The data rows: those after the column header row."""
    start = next(i for i, row in enumerate(grid) if row[0] == "code")
    return grid[start + 1 :]


def test_xlsx_reproduces_the_reference_figures(cfg: Path, tmp_path: Path) -> None:
    path = tmp_path / "q3.xlsx"
    path.write_bytes(export(cfg, tmp_path, "xlsx"))
    with zipfile.ZipFile(path) as book:
        ministry = {r[0]: r[3] for r in _body(_sheet(book, "channel_ministry"))}
        levels = {r[0]: r[3] for r in _body(_sheet(book, "crisis_level"))}
        minutes = {r[0]: r[4] for r in _body(_sheet(book, "duration_by_shift"))}
        heading = _sheet(book, "Forklaring")[0][0]
        assert heading.startswith("Socialt Akuttilbud: 01-07-2015 til 30-09-2015")
    assert [
        float(ministry[k]) for k in ("telefon", "fremmoede", "paaroerende_samarbejdspartner")
    ] == [
        0.83,
        0.15,
        0.02,
    ]
    assert [float(levels[k]) for k in ("let", "middel", "alvorlig")] == [0.41, 0.2, 0.06]
    assert [float(minutes[k]) for k in ("dag", "aften", "nat")] == [28.0, 19.0, 14.0]


@pytest.mark.parametrize(
    ("fmt", "golden"), [("table", "q3_2015_table.txt"), ("csv", "q3_2015.csv")]
)
def test_golden_files(cfg: Path, tmp_path: Path, fmt: str, golden: str) -> None:
    data = export(cfg, tmp_path, fmt)
    target = GOLDEN / golden
    if os.environ.get("AKUT_UPDATE_GOLDEN"):
        target.write_bytes(data)
    assert data == target.read_bytes(), f"{golden} changed; review, then AKUT_UPDATE_GOLDEN=1"


def test_csv_opens_in_libreoffice_with_the_right_columns_and_no_formula(
    cfg: Path, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    from db.database import connection
    from db.models import ValueItem

    with connection():
        ValueItem.update(label="=1+1").where(
            ValueItem.list_name == "symptom", ValueItem.code == "angst"
        ).execute()
    source = tmp_path / "q3.csv"
    source.write_bytes(export(cfg, tmp_path, "csv"))
    # Import as Danish users would: ; separated, UTF-8 (76), Danish locale (decimal comma).
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--infilter=CSV:59,34,76,1,,1030",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "lo" / "q3.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        grid = _sheet(book, re.search(r'name="([^"]+)"', book.read("xl/workbook.xml").decode())[1])
    assert "<f>" not in sheet and "<f " not in sheet, "a formula was evaluated"
    assert {len(row) for row in grid[1:] if row} <= {7, 8, 9, 10}
    assert grid[0] == list(
        (
            "table",
            "month",
            "quarter",
            "shift",
            "code",
            "label",
            "count",
            "share",
            "mean_min",
            "median_min",
        )
    )
    ministry = [r for r in grid if r and r[0] == "channel_ministry" and r[4:5] == ["telefon"]]
    assert ministry and float(ministry[0][7]) == 0.83
    assert any("=1+1" in cell for row in grid for cell in row)
