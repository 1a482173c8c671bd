"""benchmarks/trace_paths.py: what the tracer counts, and the three traced paths (issue 17 §1).

The tracer is checked on a small package written under tmp_path (its route is
known by construction), then run on the real paths: the quick-log save and the
bed check-in stay within the target (at most 6 returns, no module entered more
than twice), and the export's pipeline, with the statistics as one stage,
stays within its measured route (docs/architecture.md §7.4).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics.compute import compute
from akut_tui.services.statistics.periods import parse_period

TRACE_PATHS = Path(__file__).resolve().parents[2] / "benchmarks" / "trace_paths.py"

PACKAGE = {
    "__init__.py": "",
    "entry.py": """
from tracepkg import shaping, stage


def in_comprehension(value):
    return [shaping.shape(value, n) for n in range(2)]


def in_loop(value):
    out = []
    for n in range(2):
        out.append(shaping.shape(value, n))
    return out


def staged(value):
    return stage.outer(value)
""",
    "shaping.py": """
def shape(value, n):
    return (value, n)
""",
    "stage.py": """
from tracepkg import inner


def outer(value):
    return [inner.work(value), inner.work(value)]
""",
    "inner.py": """
def work(value):
    return [value]
""",
}


@pytest.fixture(scope="module")
def trace_paths() -> ModuleType:
    """The benchmark script, loaded as a module."""
    spec = importlib.util.spec_from_file_location("trace_paths_under_test", TRACE_PATHS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    """``tracepkg`` written under a temporary root, imported; yields (root, its entry)."""
    root = tmp_path_factory.mktemp("traced")
    (root / "tracepkg").mkdir()
    for name, text in PACKAGE.items():
        (root / "tracepkg" / name).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        yield root, importlib.import_module("tracepkg.entry")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "tracepkg" or m.startswith("tracepkg.")]:
            del sys.modules[name]


@pytest.fixture
def route_of(trace_paths: ModuleType, package: tuple[Path, ModuleType]) -> Callable[..., str]:
    """``route_of(name, **options)``: the route of ``tracepkg.entry.<name>(value)``
    through ``tracepkg``, as "entry > shaping > ..." (``options`` go to the tracer)."""
    root, entry = package

    def route(name: str, **options: object) -> str:
        tracer = trace_paths.Tracer(root=root, packages=("tracepkg",), **options)
        value = ["the value"]
        tracer.run(lambda: getattr(entry, name)(value), value)
        return " > ".join(m.removeprefix("tracepkg.") for m in tracer.route)

    return route


def test_calls_made_in_a_comprehension_are_stays(
    trace_paths: ModuleType, route_of: Callable[..., str]
) -> None:
    """A comprehension is the path's own code, not a library: its calls count."""
    route = route_of("in_comprehension")
    assert route == "entry > shaping > entry > shaping > entry"
    assert trace_paths.returns(route.split(" > ")) == 3


def test_a_comprehension_counts_as_its_loop(route_of: Callable[..., str]) -> None:
    assert route_of("in_comprehension") == route_of("in_loop")


def test_a_folded_module_is_one_stay_with_what_it_calls(route_of: Callable[..., str]) -> None:
    assert route_of("staged") == "entry > stage > inner > stage > inner > stage > entry"
    assert route_of("staged", fold=("tracepkg.stage",)) == "entry > stage > entry"


def test_the_traced_clock_hands_out_new_readings(trace_paths: ModuleType) -> None:
    """Followed by identity, one object handed out twice would join unrelated readings."""
    start = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    clock = trace_paths.Readings(start)
    first, second = clock(), clock()
    assert first == second == start
    assert first is not second and first is not start


@pytest.fixture(scope="module")
def traced(
    trace_paths: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[list[str], list[str]]]:
    """Path -> (route, modules entered, once per entry) of the real paths; the
    export with the statistics folded into one stay (tracing all of it takes seconds)."""
    routes: dict[str, tuple[list[str], list[str]]] = {}
    calls = trace_paths.paths(tmp_path_factory.mktemp("paths"))
    for name, (call, value) in calls.items():
        export = name.startswith("akut export")
        tracer = trace_paths.Tracer(fold=("services.statistics",) if export else ())
        tracer.run(call, value)
        entries = [m for m, n in tracer.entries.items() for _ in range(n)]
        routes[name.split(" ")[0]] = (list(tracer.route), entries)
    return routes


@pytest.mark.parametrize("path", ["quick-log", "bed"])
def test_the_save_and_the_check_in_meet_the_target(
    trace_paths: ModuleType, traced: dict[str, tuple[list[str], list[str]]], path: str
) -> None:
    route, entries = traced[path]
    assert trace_paths.returns(route) <= trace_paths.TARGET_RETURNS, route
    assert max(entries.count(m) for m in entries) <= trace_paths.TARGET_VISITS, route


EXPORT_PIPELINE = [
    "cli.main",
    "core.config",
    "cli.main",
    "cli.commands.export",
    "services.exporting.statistics_file",
    "services.startup.opening",
    "core.key_files",
    "services.startup.opening",
    "core.hashslots",
    "services.startup.opening",
    "services.exporting.statistics_file",
    "core.outfiles",
    "services.exporting.statistics_file",
    "services.statistics",
    "services.exporting.statistics_file",
    "services.exporting.formats",
    "services.exporting.statistics_file",
    "services.audit.trail",
    "db.utctime",
    "services.audit.trail",
    "services.exporting.statistics_file",
    "core.outfiles",
    "services.exporting.statistics_file",
    "cli.commands.export",
    "cli.main",
]
"""The export's route with the statistics as one stage (docs/architecture.md §7.4)."""


def test_the_export_pipeline_enters_each_stage_once(
    trace_paths: ModuleType, traced: dict[str, tuple[list[str], list[str]]]
) -> None:
    """One call into the statistics, one into the rendering, the audit, the opening;
    the output file twice (checked before counting, so a refused file leaves the
    year cache unwritten, and written after the audit)."""
    route, entries = traced["akut"]
    assert route == EXPORT_PIPELINE
    assert entries.count("services.statistics") == 1
    assert max(entries.count(m) for m in entries) <= trace_paths.TARGET_VISITS


def test_the_joint_suppression_asks_the_identities_once(
    trace_paths: ModuleType, rt: Runtime
) -> None:
    """The suppression hands the identities plain data (each table's total cell) and
    gets the equations back: one entry, no calls back into the suppression."""
    period = parse_period("2026", date(2026, 11, 20), None)
    tracer = trace_paths.Tracer(fold=("services.statistics.tables",))
    tracer.run(lambda: compute(rt, period, suppress=True), period)
    assert tracer.entries["services.statistics.identities"] == 1, tracer.route
    assert tracer.entries["services.statistics.joint_suppression"] == 1, tracer.route
