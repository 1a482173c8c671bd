"""Shared fixtures: a real SQLite file per test, a fake clock and cheap argon2."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from akut_tui.core.config import Config, DatabaseConfig, SecurityConfig
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.startup.opening import open_runtime
from db.database import database

PASSWORD = "korrekt hest batteri klips"
"""A password that passes the policy, used for every test account."""


class FakeClock:
    """A settable clock returning aware UTC datetimes."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        """Move the clock forward by a ``timedelta(**kwargs)``."""
        self.current += timedelta(**kwargs)


def cheap_hasher() -> PasswordHasher:
    """argon2id with tiny parameters: about 1 ms per verify."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def make_config(tmp_path: Path) -> Config:
    """A config whose database and keys live under ``tmp_path`` (never the user's home)."""
    return replace(
        Config(),
        database=DatabaseConfig(url=f"sqlite:///{tmp_path / 'akut.db'}"),
        security=replace(
            SecurityConfig(),
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            argon2_parallelism=1,
        ),
        source="<test>",
        base_dir=str(tmp_path),
    )


E2E_DIR = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as ``e2e`` (real terminals and servers)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--crash-kills N``: the SIGKILL crash test at full size (docs/security.md row 5: 200)."""
    parser.addoption(
        "--crash-kills",
        type=int,
        default=15,
        help="number of SIGKILLs in tests/integration/test_crash.py (default 15; full run 200)",
    )


@pytest.fixture(autouse=True)
def _isolate_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's config, data folder and error log out of every test."""
    monkeypatch.delenv("AKUT_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("AKUT_ERROR_LOG", str(tmp_path / "errors.log"))


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at a fixed evening time (Europe/Copenhagen 20:00)."""
    return FakeClock(datetime(2026, 11, 20, 19, 0, tzinfo=UTC))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Test configuration under ``tmp_path``."""
    return make_config(tmp_path)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database created once per session (schema, value lists, beds, keys)."""
    folder = tmp_path_factory.mktemp("template")
    open_runtime(make_config(folder), hasher=cheap_hasher())
    database.close()
    return folder


@pytest.fixture
def rt(config: Config, clock: FakeClock, template_db: Path, tmp_path: Path) -> Iterator[Runtime]:
    """An initialised runtime on a fresh SQLite file (a copy of the session template)."""
    for name in ("akut.db", "audit.key", "pseudonym.key"):
        target = tmp_path / name
        target.write_bytes((template_db / name).read_bytes())
        target.chmod(0o600)
    runtime = open_runtime(config, now=clock, hasher=cheap_hasher())
    yield runtime
    if not database.is_closed():
        database.close()
