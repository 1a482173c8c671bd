"""Version 2: a one-time password flag, so an admin reset forces a new password."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 2


def up(migrator: SchemaMigrator) -> None:
    """Add ``user.must_change_password`` (false for existing users)."""
    migrate(
        migrator.add_column("user", "must_change_password", pw.BooleanField(default=False)),
    )
