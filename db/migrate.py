"""Create or upgrade the schema in one transaction, and seed the value lists."""

from __future__ import annotations

from datetime import datetime

from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator

from db.database import database, is_sqlite, write_transaction
from db.migrations import LATEST, MIGRATIONS
from db.models import ALL_MODELS, SchemaVersion, ValueItem
from db.stats_indexes import ensure_indexes
from db.stats_triggers import ensure_triggers
from db.value_lists import VALUE_LISTS


class SchemaTooNewError(RuntimeError):
    """The database was made by a newer version of Akut."""


def schema_version() -> int | None:
    """Return the stored schema version, or ``None`` for an empty database."""
    if "schema_version" not in database.get_tables():
        return None
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return int(row.version) if row else None


def _migrator() -> SchemaMigrator:
    if is_sqlite():
        return SqliteMigrator(database.obj)
    return PostgresqlMigrator(database.obj)


def upgrade(now: datetime) -> tuple[int | None, int]:
    """Bring the schema to :data:`LATEST`; return (version before, version after)."""
    with write_transaction():
        before = schema_version()
        if before is None:
            database.create_tables(ALL_MODELS)
            SchemaVersion.create(version=LATEST, applied_at=now)
        elif before > LATEST:
            raise SchemaTooNewError(
                f"databasen har skemaversion {before}, men programmet kender kun {LATEST}"
            )
        else:
            migrator = _migrator()
            for module in MIGRATIONS:
                if module.VERSION > before:
                    module.up(migrator)
            if before < LATEST:
                SchemaVersion.update(version=LATEST, applied_at=now).execute()
        seed_value_lists()
        ensure_indexes()
        ensure_triggers()
    return before, LATEST


def seed_value_lists() -> int:
    """Insert value-list entries whose code is missing; never overwrite edited labels."""
    existing = {
        (v.list_name, v.code) for v in ValueItem.select(ValueItem.list_name, ValueItem.code)
    }
    rows = [
        {"list_name": name, "code": code, "label": label, "sort_order": index}
        for name, items in VALUE_LISTS.items()
        for index, (code, label) in enumerate(items)
        if (name, code) not in existing
    ]
    for start in range(0, len(rows), 100):
        ValueItem.insert_many(rows[start : start + 100]).execute()
    return len(rows)
