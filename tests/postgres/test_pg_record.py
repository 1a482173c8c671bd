"""Issue 15 §1 and §8 on PostgreSQL: the attacks whose code path is shared with SQLite.

Each scenario of :data:`tests.record_attacks.SHARED` runs against a new
database of the throwaway server, through the real ``akut`` command line.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests import record_attacks
from tests.pg import PgServer

pytestmark = pytest.mark.postgres
_numbers = itertools.count(1)


@pytest.mark.parametrize("name", sorted(record_attacks.SHARED))
def test_attack_is_held_on_postgresql(name: str, pg_server: PgServer, tmp_path: Path) -> None:
    url = pg_server.create_database(f"akut_record_{next(_numbers)}")
    inst = record_attacks.make_install(tmp_path / "site", url)
    outcome = record_attacks.SHARED[name](inst)
    assert outcome.held, outcome.detail
