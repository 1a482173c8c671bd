"""Version 16: the progression goal's kind and its attainment at the follow-up (issue 19 §3).

- ``contact.goal_kind``: the kind of the progression goal set at the contact (a code of
  the ``goal_kind`` list, or NULL: none recorded).
- ``contact.goal_attainment``: the 14-day follow-up's attainment on the fixed scale
  ``opnaaet``, ``delvist``, ``ikke_opnaaet``, ``ikke_fulgt_op`` (NULL: not recorded).

Staff's assessment of what the citizen would otherwise have done ("uden
akuttilbuddet") is stored as ``contact_value`` rows of the ``avoided`` list and
needs no schema change. Both columns are nullable, so no table is rebuilt.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 16


def up(migrator: SchemaMigrator) -> None:
    """Add the two nullable contact columns."""
    migrate(
        migrator.add_column("contact", "goal_kind", pw.CharField(max_length=40, null=True)),
        migrator.add_column("contact", "goal_attainment", pw.CharField(max_length=20, null=True)),
    )
