"""Every import inside a function of the three packages is listed here, with its reason.

docs/architecture.md §3: an import inside a function hides a dependency from the
import contracts, so it is allowed only where it keeps a start path light, and the
line above it says so in a ``# Lazy:`` comment. The list below is exhaustive: a new
import inside a function, or one that went away, fails until this list says so.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("akut_tui", "screens", "db")

TEXTUAL = "keeps the CLI from loading Textual"
ARGON2 = "keeps the CLI and the TUI start from loading argon2 until a hash is needed"
TABULATE = "keeps the CLI start from loading tabulate"
XLSX = "keeps every export but xlsx from loading XlsxWriter"
DATEUTIL = "keeps the TUI start from loading dateutil before the first paint"
HIGHS = "keeps the CLI and the TUI start from loading HiGHS until statistics are counted"

LAZY_IMPORTS: dict[tuple[str, str], str] = {
    ("akut_tui/cli/main.py", "akut_tui.tui.run"): TEXTUAL,
    ("akut_tui/cli/commands/demo.py", "akut_tui.tui.run"): TEXTUAL,
    ("akut_tui/tui/run.py", "akut_tui.tui.app"): TEXTUAL,
    ("akut_tui/tui/run.py", "akut_tui.tui_kit.overrides"): TEXTUAL,
    ("akut_tui/services/accounts/auth.py", "argon2.exceptions"): ARGON2,
    ("akut_tui/services/base/runtime.py", "argon2"): ARGON2,
    ("akut_tui/cli/main.py", "tabulate"): TABULATE,
    ("akut_tui/cli/commands/codes.py", "tabulate"): TABULATE,
    ("akut_tui/cli/commands/purge.py", "tabulate"): TABULATE,
    ("akut_tui/services/exporting/formats.py", "tabulate"): TABULATE,
    ("akut_tui/services/exporting/formats.py", "xlsxwriter"): XLSX,
    ("akut_tui/services/demo/build.py", "dateutil.relativedelta"): DATEUTIL,
    ("akut_tui/services/statistics/periods.py", "dateutil.relativedelta"): DATEUTIL,
    ("akut_tui/services/statistics/exact_check.py", "highspy"): HIGHS,
    ("akut_tui/services/statistics/exact_check.py", "numpy"): HIGHS,
}
"""(file, imported module) → why it is imported inside a function."""

DYNAMIC_IMPORTS = {
    "akut_tui/tui/menu.py": "a screen behind the menu is loaded when it opens, not at start",
    "akut_tui/services/statistics/tables/__init__.py": "finds the table modules of its folder",
}
"""Files that import a module by its name at run time (``importlib.import_module``)."""


def _sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _module_level(tree: ast.Module) -> set[int]:
    """The ids of the import nodes at module level, ``if TYPE_CHECKING:`` blocks included."""
    top: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If | ast.Try):
            top.update(id(inner) for inner in ast.walk(node))
        top.add(id(node))
    return top


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return [alias.name for alias in node.names]


def _function_imports() -> dict[tuple[str, str], list[tuple[int, str]]]:
    """(file, module) → (line, the line above) of every import not at module level."""
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        top = _module_level(tree)
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top:
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                for module in _imported(node):
                    found.setdefault((name, module), []).append((node.lineno, above))
    return found


def test_every_import_inside_a_function_is_listed() -> None:
    """Exhaustive: the list above is exactly what the source holds."""
    found = _function_imports()
    assert sorted(found) == sorted(LAZY_IMPORTS)


def test_every_import_inside_a_function_says_why() -> None:
    """The line above each one is a ``# Lazy:`` comment that gives the listed reason."""
    wrong = [
        f"{name}:{line} ({module}): {above!r}"
        for (name, module), places in _function_imports().items()
        for line, above in places
        if not (
            above.startswith("# Lazy:")
            and LAZY_IMPORTS.get((name, module), "\0").lower() in above.lower()
        )
    ]
    assert wrong == []


def test_imports_by_name_are_listed() -> None:
    """``importlib.import_module`` only where listed (it hides a dependency the same way)."""
    users = set()
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                "importlib.import_module",
                "__import__",
                "import_module",
            ):
                users.add(path.relative_to(ROOT).as_posix())
    assert users == set(DYNAMIC_IMPORTS)


def test_the_finder_sees_imports_in_functions_and_methods() -> None:
    """The scan itself: a nested import is found, one under TYPE_CHECKING is not."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import a\n"
        "def f():\n    import b\n"
        "class C:\n    def m(self):\n        from c import d\n"
    )
    top = _module_level(tree)
    nested = [
        _imported(node)[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top
    ]
    assert sorted(nested) == ["b", "c"]
