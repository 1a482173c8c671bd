"""Version 17: one row per referral, with its consent, who made it and its arrival (issue 19 §2).

Before, a contact's referral targets were ``contact_value`` rows of ``referral_target``,
while consent and who made the contact were one ``contact`` column each for all of
its targets, and the follow-up's "kom borgeren frem?" sat in ``referral_arrival``.
Now each referral is its ``contact_value`` row, with four nullable columns beside it:

- ``consent`` (the ``consent`` list), ``made_by`` (the ``referral_by`` list),
- ``arrived`` (the ``referral_arrived`` list) and ``answered_at``.

The data moves: each target row takes its contact's ``referral_consent`` and
``referral_made_by`` (those two contact columns are then cleared) and its answer from
``referral_arrival`` (that row is then deleted). Nothing is lost: an answer whose
referral was later taken off the contact stays in ``referral_arrival`` (never counted,
as before), and a contact column with no target to carry it stays where it was.
The columns are nullable, so no table is rebuilt.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 17

_MOVES = (
    # Each referral takes its contact's consent and made-by.
    "UPDATE contact_value SET "
    "consent = (SELECT c.referral_consent FROM contact c WHERE c.id = contact_value.contact_id), "
    "made_by = (SELECT c.referral_made_by FROM contact c WHERE c.id = contact_value.contact_id) "
    "WHERE list_name = 'referral_target'",
    # ... and the follow-up's answer about it.
    "UPDATE contact_value SET "
    "arrived = (SELECT a.arrived FROM referral_arrival a WHERE a.contact_id = "
    "contact_value.contact_id AND a.target = contact_value.code), "
    "answered_at = (SELECT a.answered_at FROM referral_arrival a WHERE a.contact_id = "
    "contact_value.contact_id AND a.target = contact_value.code) "
    "WHERE list_name = 'referral_target'",
    # Then the old places let go of what moved (and only of that).
    "UPDATE contact SET referral_consent = NULL, referral_made_by = NULL WHERE id IN "
    "(SELECT contact_id FROM contact_value WHERE list_name = 'referral_target')",
    "DELETE FROM referral_arrival WHERE EXISTS (SELECT 1 FROM contact_value v WHERE "
    "v.list_name = 'referral_target' AND v.contact_id = referral_arrival.contact_id "
    "AND v.code = referral_arrival.target)",
)


def up(migrator: SchemaMigrator) -> None:
    """Add the four nullable per-referral columns and move the referral data onto them."""
    migrate(
        migrator.add_column("contact_value", "consent", pw.CharField(max_length=20, null=True)),
        migrator.add_column("contact_value", "made_by", pw.CharField(max_length=20, null=True)),
        migrator.add_column("contact_value", "arrived", pw.CharField(max_length=20, null=True)),
        migrator.add_column("contact_value", "answered_at", pw.DateTimeField(null=True)),
    )
    for statement in _MOVES:
        migrator.database.execute_sql(statement)
