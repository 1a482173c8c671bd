"""Every third-party package the installed code imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"akut_tui", "screens", "db"}
OPTIONAL = {"psycopg2"}  # the postgres extra, imported only when a postgresql:// URL is used


def _top_level_imports() -> set[str]:
    names: set[str] = set()
    for package in sorted(OURS):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - OURS - set(sys.stdlib_module_names) - {"__future__"}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-")
        for spec in project["dependencies"]
    }


def test_every_imported_distribution_is_a_declared_dependency() -> None:
    owners = packages_distributions()
    declared = _declared()
    missing = sorted(
        f"{module} (from {dist})"
        for module in _top_level_imports() - OPTIONAL
        for dist in owners.get(module, [module])
        if dist.lower().replace("_", "-") not in declared
    )
    assert missing == [], f"imported but not in [project] dependencies: {missing}"
