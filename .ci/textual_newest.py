"""CI early warning: the fast tests against the newest Textual release (issue 17 §3).

Akut pins Textual (pyproject.toml) and leans on a few private names of it
(``akut_tui/tui_kit/overrides.py``). This step builds a second venv, installs Akut with
its test extra, upgrades Textual to the newest release on the package index
(ignoring the pin), and runs:

1. the start-up check (``missing_private_names``): would Akut refuse to start?
2. ``tests/unit/test_overrides.py``, one test per override, reported per override;
3. the fast tests (``-m "not slow and not e2e"``) on both cores, in the test files
   that drive Textual (those that mention ``run_test`` or import ``textual``): the
   other tests cannot tell one Textual from another, so this subset keeps the step
   to a few minutes (``FAST_TIMEOUT`` at most; a timeout is reported, not hidden).

It prints a summary that names every override that broke. It never fails CI:
``.ci/run`` ignores its exit code, and it exits 0 unless it could not run at all
(then it says why). Usage: ``python3 .ci/textual_newest.py [VENV_DIR]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-m", "not slow and not e2e", "-n", "2", "-q", "-p", "no:randomly"]
FAST_TIMEOUT = 420
"""Seconds the fast tests may take here before the step says so and stops them."""
OVERRIDES = {
    "focus": "override 1: Screen.focused without repaint (QuietScreen, QuietModalScreen)",
    "prune": "override 2: one paint when a screen is removed (batch_update)",
    "paints_the_one_below": "override 2: one paint when a screen is removed (batch_update)",
    "fatal_error": "override 3: crash report with an incident id (App._fatal_error)",
    "crash": "override 3: crash report with an incident id (App._fatal_error)",
    "pump_idle": "type-ahead gate: pump_idle (MessagePump._message_queue, _pending_message)",
    "after_refresh": "type-ahead gate: call_after_refresh runs callbacks in order",
    "private_names": "start-up check: every private name Akut reads is there",
    "missing_private": "start-up check: every private name Akut reads is there",
    "refuses_to_start": "start-up check: every private name Akut reads is there",
    "no_private_textual_name": "no private Textual name outside akut_tui/tui_kit/overrides.py",
}


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in the repository, echoing it."""
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, text=True, check=False, **kw)  # type: ignore[call-overload,no-any-return]


def build_venv(venv: Path) -> Path | None:
    """A venv with Akut, its test extra and the newest Textual; its python, or None."""
    python = venv / "bin" / "python"
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "-q", "-e", ".[test]"],
        [str(python), "-m", "pip", "install", "-q", "--upgrade", "textual"],
    ]
    for step in steps:
        try:
            if run(step, timeout=300).returncode != 0:
                return None
        except subprocess.TimeoutExpired:
            print("timed out after 300 s")
            return None
    return python


def override_results(python: Path, venv: Path) -> dict[str, list[str]]:
    """Each override's test outcomes from tests/unit/test_overrides.py."""
    report = venv / "overrides.xml"
    run([str(python), "-m", "pytest", "-q", "-p", "no:randomly", "tests/unit/test_overrides.py",
         f"--junitxml={report}"], capture_output=True)  # fmt: skip
    results: dict[str, list[str]] = {}
    if not report.exists():
        return results
    for case in ET.parse(report).getroot().iter("testcase"):
        name = case.get("name", "")
        failed = case.find("failure") is not None or case.find("error") is not None
        label = next((v for k, v in OVERRIDES.items() if k in name), f"other: {name}")
        results.setdefault(label, []).append(f"{name}: {'BROKEN' if failed else 'ok'}")
    return results


def textual_test_files() -> list[str]:
    """The test files that drive Textual (the subset this step runs)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if "e2e" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if "run_test" in source or "from textual" in source or "import textual" in source:
            found.append(str(path.relative_to(ROOT)))
    return found


def fast_tests(python: Path) -> tuple[str, list[str]]:
    """Run the subset; its closing line and its failures (or why it has none)."""
    files = textual_test_files()
    cmd = [str(python), "-m", "pytest", *FAST, *files]
    print("+", " ".join(cmd[:9]), f"... ({len(files)} test files)", flush=True)
    try:
        fast = subprocess.run(
            cmd, cwd=ROOT, text=True, capture_output=True, timeout=FAST_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return f"TIMED OUT after {FAST_TIMEOUT} s (no verdict)", []
    lines = [line for line in fast.stdout.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    closing = lines[-1].strip("= ") if lines else "no output"
    if fast.returncode != 0 and not failed:
        failed = lines[-20:]
    return closing, failed


def main() -> int:
    """Run the early warning and print its summary."""
    default = Path(tempfile.gettempdir()) / "akut-textual-newest"
    venv = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    started = time.monotonic()
    print("=== Early warning: fast tests against the newest Textual release ===", flush=True)
    print("    (allowed to fail: its result never fails CI; the main gate follows)", flush=True)
    python = build_venv(venv)
    if python is None:
        print("=== Early warning NOT RUN: the second venv could not be built (see above) ===")
        return 1
    pinned = subprocess.run(
        [sys.executable, "-c", "import tomllib;print([d for d in tomllib.load(open("
         "'pyproject.toml','rb'))['project']['dependencies'] if d.startswith('textual')][0])"],
        cwd=ROOT, text=True, capture_output=True, check=False,
    ).stdout.strip()  # fmt: skip
    newest = run([str(python), "-c", "import importlib.metadata as m;print(m.version('textual'))"],
                 capture_output=True).stdout.strip()  # fmt: skip
    check = run(
        [str(python), "-c", "from textual.app import App;from akut_tui.tui_kit.overrides import "
         "missing_private_names as m;print(', '.join(m(App())) or 'none')"],
        capture_output=True,
    )  # fmt: skip
    missing = check.stdout.strip() or f"could not check: {check.stderr.strip()[-300:]}"
    results = override_results(python, venv)
    closing, failed = fast_tests(python)
    broken = sorted(label for label, cases in results.items() if any("BROKEN" in c for c in cases))
    print(f"=== Early warning summary ({time.monotonic() - started:.0f} s) ===")
    print(f"Textual pinned: {pinned}; tested here: {newest} (newest release)")
    print(f"Start-up check, private names missing: {missing}")
    for label in sorted(results):
        state = "BROKEN" if label in broken else "ok"
        print(f"  [{state}] {label}")
        for case in results[label] if label in broken else []:
            print(f"      {case}")
    print(f"Overrides broken: {', '.join(broken) if broken else 'none'}")
    print(f"Fast tests that drive Textual, on Textual {newest}: {closing}")
    print("\n".join(failed[:40]))
    passed = not failed and not broken and "passed" in closing and "TIMED" not in closing
    verdict = "PASSED" if passed else "FAILED (allowed to fail)"
    print(f"=== Early warning {verdict} ===", flush=True)
    return 0 if verdict == "PASSED" else 1


if __name__ == "__main__":
    sys.exit(main())
