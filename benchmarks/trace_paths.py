"""Benchmark: trace three paths through Akut's modules and count the returns (issue 17).

Traces, on a scratch database, (1) a quick-log save through
``contacts.save_contact``, (2) a bed check-in through ``stays.check_in`` and
(3) ``akut export`` on a small database through ``akut_tui.cli.main``, with
``sys.setprofile`` restricted to the three packages (``akut_tui``, ``screens``,
``db``). For each path it prints:

* the route: the modules the value passes through, in order ("stays"; a
  module calling a function of the same module is one stay);
* the number of returns: a stay in a module that the route had already left
  earlier (``contacts -> clock -> contacts`` is one return);
* the most-visited modules.

What counts as a stay: a call of a function of the three packages that
receives the traced value (the form, the check-in dialog's input, the argv),
or anything the path computed while holding it (the return value of a call
made by a frame that holds it, an object it constructed). Calls with only the
runtime, the session or constants are plumbing, not the value's route (on the
export path the runtime is opened from the configuration the argv names, so
there it is the value too). A call made by a third-party library is the
library's own work, not a stay (Peewee calling a field's ``db_value``); the
standard library is transparent, and so is code of the packages that did not
get the value itself: a comprehension, a generator expression or a lambda
(their own frames in Python 3.11) is the code it stands in, so a call made
in ``[spec.build(scope) for spec in specs]`` counts as one made in a loop.
The value is followed by identity, so the quick-log and check-in paths run on
a clock whose every reading is a new object, as the system clock's is.

"Entries" count the calls into a module from another module; the route's
stays also count the returns into a module. ``--fold MODULE`` counts a call
into MODULE (or a module under it) and everything it calls as one stay:
``--fold services.statistics`` shows the export's pipeline with the
statistics as one stage.

    python benchmarks/trace_paths.py [--route] [--fold MODULE]

Target (issue 17 §1): at most 6 returns on each path, no module entered more
than twice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PACKAGES = ("akut_tui", "screens", "db")
TARGET_RETURNS = 6
TARGET_VISITS = 2


def _module(filename: str, root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> str | None:
    """The dotted name of a module of the packages under ``root``, else ``None``."""
    try:
        relative = Path(filename).resolve().relative_to(root)
    except ValueError:
        return None
    if not relative.parts or relative.parts[0] not in packages:
        return None
    name = ".".join(relative.with_suffix("").parts)
    return name.removeprefix("akut_tui.")


PLAIN = (str, bytes, int, float, bool, type(None))


class Tracer:
    """Record the route of one value through the modules of the three packages."""

    def __init__(
        self,
        *,
        root: Path = ROOT,
        packages: tuple[str, ...] = PACKAGES,
        fold: tuple[str, ...] = (),
    ) -> None:
        """Trace the modules of ``packages`` under ``root``; a call into a module named
        by a prefix in ``fold`` is one stay, with everything it calls until it returns."""
        self.root, self.packages, self.fold = root, packages, fold
        self._folding: int | None = None
        """The frame of the folded call under way, if any."""
        self.route: list[str] = []
        self.entries: Counter[str] = Counter()
        """Calls into each module from another module (the route's stays reached by a call)."""
        self._counted: dict[int, str] = {}
        self._modules: dict[str, str | None] = {}
        self._tracked: dict[int, object] = {}
        self._carriers: set[int] = set()

    def _module_of(self, frame: FrameType) -> str | None:
        filename = frame.f_code.co_filename
        if filename not in self._modules:
            self._modules[filename] = _module(filename, self.root, self.packages)
        return self._modules[filename]

    def _track(self, value: object) -> None:
        if not isinstance(value, PLAIN):
            self._tracked[id(value)] = value  # kept alive so its id is not reused

    def _arguments(self, frame: FrameType) -> list[object]:
        code = frame.f_code
        count = code.co_argcount + code.co_kwonlyargcount
        count += bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
        values = [frame.f_locals.get(name) for name in code.co_varnames[:count]]
        spread: list[object] = []
        for value in values:
            spread.append(value)
            if isinstance(value, tuple | dict) and not hasattr(value, "_fields"):
                spread.extend(value.values() if isinstance(value, dict) else value)
        return spread

    def _called_by_library(self, frame: FrameType) -> bool:
        """True when a third-party library (not the standard library) made this call,
        directly or through code of the packages that it called.

        Frames of the packages between the call and the path's nearest stay are
        the path's own code (a comprehension, a lambda, a helper that did not get
        the value), not a library: only a third-party frame makes it the library's.
        """
        if not self._counted:
            return False  # the path's own entry
        caller = frame.f_back
        while caller is not None:
            if id(caller) in self._counted:
                return False
            if "site-packages" in caller.f_code.co_filename:
                return True
            caller = caller.f_back
        return False

    def _enter(self, module: str) -> None:
        if not self.route or self.route[-1] != module:
            self.route.append(module)

    def _stay(self, frame: FrameType, module: str) -> None:
        """Record a counted call: a new stay unless it is inside a folded call."""
        if self._folding is not None:
            return
        if self._fold_name(module) in self.fold:
            self._folding, module = id(frame), self._fold_name(module)
        if not self.route or self.route[-1] != module:
            self.entries[module] += 1
        self._enter(module)

    def profile(self, frame: FrameType, event: str, arg: Any) -> None:
        """The ``sys.setprofile`` hook: a call of the packages that receives the value is a stay.

        What any call (of the packages or not) makes from the value is the value too
        (``dataclasses.replace(form, ...)``, a query's rows, a prepared record).
        """
        if event == "call":
            if not any(id(value) in self._tracked for value in self._arguments(frame)):
                return
            self._carriers.add(id(frame))
            module = self._module_of(frame)
            if module is None or self._called_by_library(frame):
                return
            self._counted[id(frame)] = module
            self._stay(frame, module)
        elif event == "return":
            caller = frame.f_back
            if caller is not None and id(caller) in self._counted:
                # What the path computes while it holds the value is the value too.
                self._track(arg)
                if frame.f_code.co_name == "__init__":
                    self._track(frame.f_locals.get("self"))
            if id(frame) not in self._carriers:
                return
            self._carriers.discard(id(frame))
            self._track(arg)
            if self._counted.pop(id(frame), None) is None:
                return
            if self._folding is not None:
                if self._folding != id(frame):
                    return  # inside the folded call
                self._folding = None
            while caller is not None and id(caller) not in self._counted:
                caller = caller.f_back
            if caller is not None:
                self._enter(self._fold_name(self._counted[id(caller)]))

    def _fold_name(self, module: str) -> str:
        """The stay a module's code counts as: its fold prefix, or itself."""
        return next((p for p in self.fold if module == p or module.startswith(p + ".")), module)

    def run(self, call: Callable[[], object], value: object) -> None:
        """Trace ``call()``, following ``value`` (an argument it passes on)."""
        self._track(value)
        sys.setprofile(self.profile)
        try:
            call()
        finally:
            sys.setprofile(None)


def returns(route: list[str]) -> int:
    """Stays in a module the route had already left."""
    seen: set[str] = set()
    count = 0
    for module in route:
        if module in seen:
            count += 1
        seen.add(module)
    return count


class Readings:
    """A stopped clock whose every reading is a new object, as the system clock's is.

    The tests' ``FakeClock`` hands out one object again and again: the tracer,
    which follows the value by identity, would take a later reading of the clock
    for the moment the path computed earlier (a bed check-in's contact time).
    """

    def __init__(self, start: datetime) -> None:
        """Stand still at ``start`` (an aware datetime)."""
        self.current = start

    def __call__(self) -> datetime:
        """The time: equal to ``current``, never the same object."""
        return self.current + timedelta(0)


def _setup(folder: Path) -> tuple[Any, Any, Path]:
    from akut_tui.services.accounts import auth
    from akut_tui.services.accounts import users as accounts
    from akut_tui.services.startup.opening import open_runtime
    from tests.conftest import PASSWORD, cheap_hasher, make_config

    clock = Readings(datetime(2026, 11, 20, 19, 0, tzinfo=UTC))
    rt = open_runtime(make_config(folder), now=clock, hasher=cheap_hasher())
    accounts.create_user(rt, "trace", PASSWORD, "leder", actor=None, display_name="Trace")
    session = auth.login(rt, "trace", PASSWORD)
    config = folder / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{folder / "akut.db"}"\n'
        "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n",
        encoding="utf-8",
    )
    return rt, session, config


def paths(folder: Path) -> dict[str, tuple[Callable[[], object], object]]:
    """The three traced calls, on a scratch database under ``folder``."""
    from akut_tui.cli.main import main
    from akut_tui.services.contacts.form import ContactInput
    from akut_tui.services.contacts.records import save_contact
    from akut_tui.services.night.stays import CheckInInput, check_in
    from db.database import connection
    from db.models import Bed

    rt, session, config = _setup(folder)
    quick = ContactInput(crisis_level="middel", symptoms=["angst"], duration_min="4")
    for _ in range(5):  # a small database for the export, and every lazy import loaded
        save_contact(rt, session, quick)
    with connection():
        beds = [int(b.id) for b in Bed.select().order_by(Bed.sort_order)]
    check_in(rt, session, CheckInInput(beds[0], "010180-1235", False, "", False, False, False))
    out = folder / "warm.json"
    main(
        [
            "--config",
            str(config),
            "export",
            "--period",
            "all",
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
    guest = CheckInInput(beds[1], "020285-2346", False, "", False, False, False)
    out = folder / "export.json"
    argv = ["--config", str(config), "export", "--period", "all", "--format", "json"]
    argv += ["--out", str(out)]
    return {
        "quick-log save (contacts.save_contact)": (
            lambda: save_contact(rt, session, quick),
            quick,
        ),
        "bed check-in (stays.check_in)": (lambda: check_in(rt, session, guest), guest),
        "akut export (cli.main)": (lambda: main(argv), argv),
    }


def returned_into(route: list[str]) -> Counter[str]:
    """The returns counted by the module returned into."""
    seen: set[str] = set()
    into: Counter[str] = Counter()
    for module in route:
        if module in seen:
            into[module] += 1
        seen.add(module)
    return into


def report(name: str, tracer: Tracer, *, show_route: bool) -> bool:
    """Print one path's figures; True when it meets the target."""
    route = tracer.route
    visits = Counter(route)
    count = returns(route)
    if tracer.fold:
        name += " [" + ", ".join(tracer.fold) + " folded into one stay]"
    worst = tracer.entries.most_common(1)[0][1] if tracer.entries else 0
    ok = count <= TARGET_RETURNS and worst <= TARGET_VISITS
    print(f"{name}")
    print(f"  stays {len(route)}, modules {len(visits)}, returns {count}, most entries {worst}")
    print("  most visited (stays): " + ", ".join(f"{m} {n}" for m, n in visits.most_common(5)))
    print(
        "  most entered (calls): " + ", ".join(f"{m} {n}" for m, n in tracer.entries.most_common(5))
    )
    into = returned_into(route).most_common(5)
    print("  returns into: " + ", ".join(f"{m} {n}" for m, n in into))
    if show_route:
        print("  route: " + " > ".join(route))
    print(
        f"  target (<= {TARGET_RETURNS} returns, <= {TARGET_VISITS} entries): "
        + ("met" if ok else "NOT met")
    )
    return ok


def main() -> int:
    """Trace the three paths and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route", action="store_true", help="print every route in full")
    parser.add_argument(
        "--fold",
        action="append",
        default=[],
        metavar="MODULE",
        help="count a call into MODULE (or a module under it), and all it calls, as one stay "
        "(e.g. services.statistics: the export's pipeline with the statistics as one stage)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="akut-trace-") as tmp:
        calls = paths(Path(tmp))
        results = []
        for name, (call, value) in calls.items():
            tracer = Tracer(fold=tuple(args.fold))
            tracer.run(call, value)
            results.append(report(name, tracer, show_route=args.route))
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
