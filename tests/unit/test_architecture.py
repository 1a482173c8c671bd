"""Architecture rules from docs/architecture.md, checked on the source and in fresh interpreters.

Who may import whom is declared once, as import-linter contracts in pyproject.toml
([tool.importlinter]), and run by tests/unit/test_import_contracts.py.
"""

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


def _source(module: str) -> Path:
    """The source file of a dotted module name (a package: its folder's __init__.py)."""
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _contract(contract_id: str) -> dict[str, object]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = project["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


@pytest.mark.parametrize("path", _modules("akut_tui/services"), ids=lambda p: p.name)
def test_services_write_through_the_storage_module(path: Path) -> None:
    """A refused write reaches the UI as StorageError only if no service bypasses storage."""
    if path.name == "storage.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "db.database":
            names = {alias.name for alias in node.names}
            assert "write_transaction" not in names, (
                f"{path.name}: use akut_tui.services.base.storage.write_transaction"
            )


SPLIT_PENDING: set[str] = set()
"""Modules allowed over 400 lines for now: none."""


def test_app_module_keeps_only_the_app() -> None:
    """Issue 8: the menu, session, navigation and overrides live outside akut_tui/tui/app.py."""
    assert len(_source("akut_tui.tui.app").read_text(encoding="utf-8").splitlines()) < 250


def test_no_module_is_over_400_lines() -> None:
    """docs/architecture.md §3: a module that grows past 400 lines is doing more than one job."""
    long = [
        f"{path.relative_to(ROOT)}: {n}"
        for package in ("akut_tui", "screens", "db")
        for path in _modules(package)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
        and str(path.relative_to(ROOT)) not in SPLIT_PENDING
    ]
    assert long == []


@pytest.mark.parametrize(
    "statement",
    [
        "import akut_tui.cli.main",
        "import akut_tui.services.contacts.records\nimport akut_tui.services.drafts.forms",
        "import akut_tui.services.accounts.auth",
        "import akut_tui.services.accounts.users, akut_tui.services.audit.trail",
        "import akut_tui.services.contacts.followups, akut_tui.services.contacts.persons",
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
    """docs/security.md row 13: every query is parameterised."""
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
        "import akut_tui.tui.run, akut_tui.tui.app, sys\n"
        "print(','.join(m for m in ('argon2', 'tabulate', 'dateutil') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _ui_sources() -> list[Path]:
    """The Textual shell and the screens: the sources of the import contract "ui"."""
    sources: list[Path] = []
    for module in _contract("ui")["source_modules"]:  # type: ignore[attr-defined]
        path = _source(module)
        sources += (
            _modules(str(path.parent.relative_to(ROOT))) if path.name == "__init__.py" else [path]
        )
    return sorted(sources)


NODE_WORDS = ("app", "screen", "focused", "widget", "node", "event", "self")
"""A getattr/hasattr on something named like this is a look-up of a screen or the app."""


@pytest.mark.parametrize("path", _ui_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_screens_and_app_never_look_each_other_up_by_name(path: Path) -> None:
    """Issue 8: typed messages and markers, not getattr/hasattr on the app or a widget."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and node.args
        ):
            target = ast.unparse(node.args[0])
            assert not any(word in target for word in NODE_WORDS), (
                f"{path.name}:{node.lineno} looks an attribute up by name; post a message "
                "(akut_tui.tui_kit.messages) or check a marker class (screens.support.key_markers)"
            )


@pytest.mark.parametrize("path", _modules("screens"), ids=lambda p: str(p.relative_to(ROOT)))
def test_screens_have_no_type_ignores_and_no_screen_css(path: Path) -> None:
    """Issue 8: one stylesheet (akut_tui/tui/akut.tcss); DEFAULT_CSS only in reusable widgets."""
    text = path.read_text(encoding="utf-8")
    assert "type: ignore" not in text
    relative = path.relative_to(ROOT / "screens")
    if "DEFAULT_CSS" in text:
        assert relative.parts[0] == "widgets" or str(relative) == "dialogs/confirm.py"


def test_one_stylesheet_and_it_is_packaged() -> None:
    import tomllib

    from akut_tui.tui.app import AkutApp

    assert AkutApp.CSS_PATH == "akut.tcss"
    assert _source("akut_tui.tui.app").with_name("akut.tcss").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]
    for package, patterns in data.items():
        for pattern in patterns:
            folder = ROOT.joinpath(*package.split("."))
            assert list(folder.glob(pattern)), f"{package}/{pattern} matches no file"
    packages = set(project["tool"]["setuptools"]["packages"])
    on_disk = {
        str(p.parent.relative_to(ROOT)).replace("/", ".")
        for folder in ("akut_tui", "screens", "db")
        for p in (ROOT / folder).rglob("__init__.py")
    }
    assert packages == on_disk
