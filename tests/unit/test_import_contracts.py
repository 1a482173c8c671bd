"""The import contracts of pyproject.toml ([tool.importlinter]) hold; no import cycle.

The layers, the forbidden imports and the acyclic packages are declared once, as
import-linter contracts (docs/architecture.md §3); this test runs them. A cycle
between single modules of the three packages fails here too, whatever package
the modules are in.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("akut_tui", "screens", "db")
RUN_LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
)
"""The ``lint-imports`` command, run by the interpreter of the tests (no PATH needed)."""


def _lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN_LINT_IMPORTS, "--config", str(config), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_import_contracts_are_kept() -> None:
    """Every contract of [tool.importlinter] is kept (lint-imports exits 0)."""
    result = _lint_imports(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails_the_check(tmp_path: Path) -> None:
    """The check is not vacuous: a contract the code breaks makes lint-imports fail."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    settings = project["tool"]["importlinter"]
    lines = [
        "[importlinter]",
        "root_packages =",
        *(f"    {name}" for name in settings["root_packages"]),
        "include_external_packages = True",
        "",
        "[importlinter:contract:broken]",
        "name = screens may not use services (they do)",
        "type = forbidden",
        "source_modules = screens",
        "forbidden_modules = akut_tui.services",
    ]
    config = tmp_path / "broken.ini"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _lint_imports(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph.modules or graph.is_module_squashed(child):
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_back() -> None:
    """Issue 17 §2: no import cycle in the three packages, imports in functions and
    under ``TYPE_CHECKING`` included (a type-only import couples two modules too)."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=False)
    assert _cycles(graph) == []


def test_the_contracts_cover_every_package_and_count_type_only_imports() -> None:
    """No package is left out of the no-cycle contract; TYPE_CHECKING imports count."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]
    assert settings["exclude_type_checking_imports"] is False
    acyclic = next(c for c in settings["contracts"] if c["type"] == "acyclic_siblings")
    assert sorted(acyclic["ancestors"]) == sorted(PACKAGES)
    assert "skip_descendants" not in acyclic and "ignore_imports" not in acyclic
    assert all("ignore_imports" not in contract for contract in settings["contracts"])


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The finder itself: two modules importing each other are reported."""
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]
