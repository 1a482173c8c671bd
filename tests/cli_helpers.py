"""What the CLI tests repeat, written once: a configuration file and running ``akut``.

``write_config`` writes a configuration for a SQLite file with the cheap argon2
settings every test uses (docs/architecture.md §5: a busy thread slows Pilot's
idle check, and a real hash costs 0.1–0.2 s); ``akut`` runs ``main`` as the
command would and returns its exit code, a ``SystemExit`` (argparse) included.
"""

from __future__ import annotations

from pathlib import Path

from akut_tui.cli.main import main

CHEAP_ARGON2 = (
    "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n"
)
"""The argon2 settings of the tests: one pass over 1 MiB."""


def write_config(path: Path, db: Path | str) -> None:
    """Write a configuration to ``path`` for the SQLite database file ``db``."""
    path.write_text(f'[database]\nurl = "sqlite:///{db}"\n{CHEAP_ARGON2}', encoding="utf-8")


def akut(cfg: Path, *argv: str) -> int:
    """``akut --config cfg argv...``: the exit code (argparse's ``SystemExit`` too)."""
    try:
        return main(["--config", str(cfg), *argv])
    except SystemExit as exc:
        return int(exc.code or 0)


def imported(tmp_path: Path, lines: list[str]) -> Path:
    """A configuration for ``tmp_path/akut.db`` with ``lines`` (header first) brought in
    through ``akut import``; the configuration's path."""
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    csv_path = tmp_path / "history.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert akut(path, "import", str(csv_path)) == 0
    return path
