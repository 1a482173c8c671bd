"""Version 14: a short plan reference beside the special-attention flag (issue 18 §4).

``person.special_attention_plan`` holds a code pointing at the plan kept
elsewhere (``SP-12``), never a journal; nullable, so no table is rebuilt.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 14


def up(migrator: SchemaMigrator) -> None:
    """Add the nullable plan reference to ``person``."""
    migrate(
        migrator.add_column(
            "person", "special_attention_plan", pw.CharField(max_length=20, null=True)
        )
    )
