"""Fixtures for the ``postgres`` tests: one throwaway server per session, a database per test.

The server (:mod:`tests.pg`) starts once, at the first test that needs it.
One database is initialised once through the real schema upgrade; before
each test its tables are emptied and the seed rows put back (:class:`Seed`),
and the keys are copied to the test's own ``tmp_path``. Without the
server binaries or the driver every test here is skipped with the reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from akut_tui.core.config import Config, DatabaseConfig
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.startup.opening import open_runtime
from db.database import database
from tests.conftest import FakeClock, cheap_hasher, make_config
from tests.pg import PgServer, PgUnavailable, start_server

KEY_FILES = ("audit.key", "pseudonym.key")
_numbers = itertools.count(1)


def pg_config(tmp_path: Path, url: str) -> Config:
    """The tests' config (cheap argon2) on ``url``, with the keys in ``tmp_path``."""
    base = make_config(tmp_path)
    return replace(
        base,
        database=DatabaseConfig(url=url),
        security=replace(base.security, key_dir=str(tmp_path)),
    )


def write_config_file(config: Config, path: Path) -> Path:
    """Write ``config``'s database URL, key folder and argon2 cost as a TOML file."""
    sec = config.security
    path.write_text(
        f'[database]\nurl = "{config.database.url}"\n'
        f'[security]\nkey_dir = "{sec.key_dir}"\n'
        f"argon2_time_cost = {sec.argon2_time_cost}\n"
        f"argon2_memory_kib = {sec.argon2_memory_kib}\n"
        f"argon2_parallelism = {sec.argon2_parallelism}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the whole session (skips when none can be started)."""
    try:
        server = start_server()
    except PgUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.stop()


class Seed:
    """The rows of an initialised database, put back before each test (faster than a copy).

    ``CREATE DATABASE ... TEMPLATE`` costs 0.1-0.3 s here; emptying the tables of
    one database and inserting the seed rows (value lists, beds, schema version)
    again costs a few tens of milliseconds.
    """

    def __init__(self, server: PgServer, dbname: str) -> None:
        self.server = server
        self.dbname = dbname
        from psycopg2 import sql

        con = server.connect(dbname)
        try:
            with con.cursor() as cur:
                cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                self.tables = sorted(str(row[0]) for row in cur.fetchall())
                self.rows: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
                for table in self.tables:
                    cur.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table)))
                    columns = [str(d[0]) for d in cur.description]
                    self.rows[table] = (columns, cur.fetchall())
                cur.execute(
                    "SELECT table_name FROM information_schema.columns WHERE table_schema = "
                    "'public' AND column_name = 'id' AND column_default LIKE 'nextval%'"
                )
                self.serial = sorted(str(row[0]) for row in cur.fetchall())
        finally:
            con.close()

    def restore(self) -> None:
        """Empty every table and insert the seed rows; sequences restart after them."""
        from psycopg2 import sql
        from psycopg2.extras import execute_values

        con = self.server.connect(self.dbname)
        con.autocommit = False
        try:
            with con.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '10s'")
                # DELETE (not TRUNCATE, which makes new files for every table and index)
                # with the foreign-key triggers off for this transaction.
                cur.execute("SET LOCAL session_replication_role = replica")
                for table in self.tables:
                    cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                for table, (columns, rows) in self.rows.items():
                    if rows:
                        insert = sql.SQL("INSERT INTO {} ({}) VALUES %s").format(
                            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
                        )
                        execute_values(cur, insert.as_string(cur), rows)
                for table in self.serial:
                    cur.execute(
                        sql.SQL(
                            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                            "COALESCE(MAX(id), 0) + 1, false) FROM {}"
                        ).format(sql.Identifier(table)),
                        (sql.Identifier(table).as_string(cur),),
                    )
            con.commit()
        finally:
            con.close()


@pytest.fixture(scope="session")
def pg_seed(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Seed, Path]:
    """Initialise one database through the real schema upgrade; return its seed and key folder."""
    folder = tmp_path_factory.mktemp("pg-keys")
    url = pg_server.create_database("akut_test")
    open_runtime(pg_config(folder, url), hasher=cheap_hasher())
    database.close()
    return Seed(pg_server, "akut_test"), folder


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database (no schema)."""
    return pg_server.create_database(f"akut_empty_{next(_numbers)}")


@pytest.fixture
def config(pg_server: PgServer, pg_seed: tuple[Seed, Path], tmp_path: Path) -> Config:
    """Overrides ``config``: the initialised database, emptied back to its seed rows.

    The keys of the initialisation are copied to ``tmp_path``.
    """
    seed, keys = pg_seed
    seed.restore()
    for name in KEY_FILES:
        target = tmp_path / name
        target.write_bytes((keys / name).read_bytes())
        target.chmod(0o600)
    return pg_config(tmp_path, pg_server.url(seed.dbname))


@pytest.fixture
def rt(config: Config, clock: FakeClock) -> Iterator[Runtime]:
    """An open runtime on a fresh PostgreSQL database (fake clock, cheap argon2).

    Overrides the SQLite ``rt`` of tests/conftest.py for every test under this
    folder, so service tests imported from the SQLite suites run here unchanged.
    """
    runtime = open_runtime(config, now=clock, hasher=cheap_hasher())
    yield runtime
    if not database.is_closed():
        database.close()
