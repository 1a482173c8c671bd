"""Import boundaries from STYLE.md, checked on the source and in fresh interpreters."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("screens"), ids=lambda p: p.name)
def test_screens_never_touch_the_database_layer(path: Path) -> None:
    bad = {n for n in _imports(path) if n == "db" or n.startswith(("db.", "peewee", "playhouse"))}
    assert not bad, f"{path.name} imports {bad}; call an akut_tui service instead"
    assert "akut_tui.app" not in _imports(path), "screens must not import the app"


@pytest.mark.parametrize("path", _modules("db"), ids=lambda p: p.name)
def test_db_imports_nothing_of_ours_or_textual(path: Path) -> None:
    bad = {n for n in _imports(path) if n.startswith(("akut_tui", "screens", "textual", "rich"))}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", _modules("akut_tui/services"), ids=lambda p: p.name)
def test_services_never_import_the_ui(path: Path) -> None:
    bad = {
        n
        for n in _imports(path)
        if n.startswith(("textual", "screens", "akut_tui.app", "akut_tui.tui"))
    }
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize(
    "statement",
    [
        "import akut_tui.cli",
        "import akut_tui.services.intake, akut_tui.services.auth, akut_tui.services.audit",
        "import akut_tui.services.followups, akut_tui.services.persons",
    ],
)
def test_headless_paths_do_not_load_textual_or_argon2(statement: str) -> None:
    code = (
        f"{statement}\nimport sys\n"
        "loaded = [m for m in ('textual', 'argon2', 'tabulate') if m in sys.modules]\n"
        "print(','.join(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_sql_built_with_string_formatting() -> None:
    """SECURITY.md row 13: every query is parameterised."""
    offenders = []
    for package in ("akut_tui", "screens", "db"):
        for path in _modules(package):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "execute_sql(" in line and ('f"' in line or "f'" in line or "%" in line):
                    offenders.append(f"{path.name}:{number}")
    assert offenders == []


@pytest.mark.parametrize("path", _modules("akut_tui/services"), ids=lambda p: p.name)
def test_services_write_no_backend_specific_sql(path: Path) -> None:
    """Backend differences live in db/ (db.queries), so PostgreSQL runs the same services."""
    text = path.read_text(encoding="utf-8")
    for needle in ("execute_sql(", "is_sqlite(", "create_function("):
        assert needle not in text, f"{path.name} uses {needle}; add a helper to db/queries.py"


def test_tui_start_path_loads_nothing_heavy_before_first_paint() -> None:
    """Issue 4: no argon2, tabulate or dateutil until they are used."""
    code = (
        "import akut_tui.tui, akut_tui.app, sys\n"
        "print(','.join(m for m in ('argon2', 'tabulate', 'dateutil') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
