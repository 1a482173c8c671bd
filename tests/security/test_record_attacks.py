"""Issue 15 §1, §2 and §8 on SQLite: every attack of :mod:`tests.record_attacks` is held.

Each runs the real ``akut`` command line in subprocesses against real files
(``tests/postgres/test_pg_record.py`` runs the shared ones on PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import record_attacks

ALL = {**record_attacks.SHARED, **record_attacks.SQLITE_ONLY}


@pytest.mark.parametrize("name", sorted(ALL))
def test_attack_is_held(name: str, tmp_path: Path) -> None:
    inst = record_attacks.make_install(tmp_path / "site")
    outcome = ALL[name](inst)
    assert outcome.held, outcome.detail
