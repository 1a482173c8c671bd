"""Import boundaries from docs/architecture.md, checked on the source and in fresh interpreters."""

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


UI_NAMES = ("textual", "rich", "screens", "akut_tui.app", "akut_tui.tui")
DB_NAMES = ("db", "peewee", "playhouse")

TOP_LEVEL_LAYERS = {
    # Plain helpers every layer may use: stdlib and each other only.
    "__init__.py": "core",
    "clock.py": "core",
    "config.py": "core",
    "cpr.py": "core",
    "cprscan.py": "core",
    "outfiles.py": "core",
    "errors.py": "core",
    "filemodes.py": "core",
    "hashslots.py": "core",
    "incident.py": "core",
    "keys.py": "core",
    "passwords.py": "core",
    "permissions.py": "core",
    "plural.py": "core",
    "sanitize.py": "core",
    "site_keys.py": "core",
    "backup_signature.py": "core",
    # Entry points without a screen: Textual only lazily, through akut_tui.tui.
    "__main__.py": "entry",
    "cli.py": "entry",
    "argparse_da.py": "entry",
    # The Textual app: services, never the database.
    "app.py": "ui",
    "hangup.py": "ui",
    "idle.py": "ui",
    "typeahead.py": "ui",
    "tui.py": "ui",
    "menu.py": "ui",
    "messages.py": "ui",
    "navigation.py": "ui",
    "overrides.py": "ui",
    "session.py": "ui",
    "startup.py": "ui",
}
"""Every module directly in akut_tui/ and its layer; a new module must be added here."""


def _layer(path: Path) -> str:
    relative = path.relative_to(ROOT / "akut_tui")
    if relative.parts[0] == "services":
        return "services"
    if relative.parts[0] == "commands":
        return "entry"
    if relative.parts[0] == "data":
        return "core"
    return TOP_LEVEL_LAYERS.get(str(relative), "unclassified")


def _forbidden(layer: str, name: str) -> bool:
    def under(prefixes: tuple[str, ...]) -> bool:
        return any(name == p or name.startswith(p + ".") for p in prefixes)

    if layer == "core":
        return under(UI_NAMES + DB_NAMES + ("akut_tui.services", "akut_tui.cli"))
    if layer == "services":
        return under(UI_NAMES + ("akut_tui.cli", "akut_tui.commands"))
    if layer == "entry":
        return under(("textual", "rich", "screens", "akut_tui.app"))
    if layer == "ui":
        return under(DB_NAMES)
    return True


@pytest.mark.parametrize(
    "path", _modules("akut_tui"), ids=lambda p: str(p.relative_to(ROOT / "akut_tui"))
)
def test_every_akut_tui_module_keeps_to_its_layer(path: Path) -> None:
    """Every module of akut_tui, not only the package folders, has a layer and keeps to it."""
    layer = _layer(path)
    assert layer != "unclassified", f"{path.name}: add it to TOP_LEVEL_LAYERS"
    bad = {n for n in _imports(path) if _forbidden(layer, n)}
    assert not bad, f"{path.name} ({layer}) imports {bad}"


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
                f"{path.name}: use akut_tui.services.storage.write_transaction"
            )


SPLIT_PENDING: set[str] = set()
"""Modules allowed over 400 lines for now: none."""


def test_app_module_keeps_only_the_app() -> None:
    """Issue 8: the menu, session, navigation and overrides live outside akut_tui/app.py."""
    assert len((ROOT / "akut_tui" / "app.py").read_text(encoding="utf-8").splitlines()) < 250


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
        "import akut_tui.cli",
        "import akut_tui.services.contacts, akut_tui.services.drafts, akut_tui.services.auth",
        "import akut_tui.services.accounts, akut_tui.services.audit",
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
        "import akut_tui.tui, akut_tui.app, sys\n"
        "print(','.join(m for m in ('argon2', 'tabulate', 'dateutil') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _ui_sources() -> list[Path]:
    ui = [p for p in _modules("akut_tui") if TOP_LEVEL_LAYERS.get(p.name) == "ui"]
    return ui + _modules("screens")


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
                "(akut_tui.messages) or check a marker class (screens.support.keys)"
            )


@pytest.mark.parametrize("path", _modules("screens"), ids=lambda p: str(p.relative_to(ROOT)))
def test_screens_have_no_type_ignores_and_no_screen_css(path: Path) -> None:
    """Issue 8: one stylesheet (akut_tui/akut.tcss); DEFAULT_CSS only in reusable widgets."""
    text = path.read_text(encoding="utf-8")
    assert "type: ignore" not in text
    relative = path.relative_to(ROOT / "screens")
    if "DEFAULT_CSS" in text:
        assert relative.parts[0] == "widgets" or str(relative) == "dialogs/confirm.py"


def test_one_stylesheet_and_it_is_packaged() -> None:
    import tomllib

    from akut_tui.app import AkutApp

    assert AkutApp.CSS_PATH == "akut.tcss"
    assert (ROOT / "akut_tui" / "akut.tcss").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]
    for package, patterns in data.items():
        for pattern in patterns:
            assert list((ROOT / package).glob(pattern)), f"{package}/{pattern} matches no file"
    packages = set(project["tool"]["setuptools"]["packages"])
    on_disk = {
        str(p.parent.relative_to(ROOT)).replace("/", ".")
        for folder in ("akut_tui", "screens", "db")
        for p in (ROOT / folder).rglob("__init__.py")
    }
    assert packages == on_disk
