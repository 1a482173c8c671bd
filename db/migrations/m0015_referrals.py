"""Version 15: referrals on a contact and anonymous repeat callers (issue 19 §2, §4).

- ``contact.referral_consent``, ``contact.referral_made_by``: consent to contact the
  referral targets and who made the contact (codes; NULL: no referral or not recorded).
- ``contact.anonymous_repeat``: "har ringet før" for an anonymous call (a code or NULL).
- ``referral_arrival``: the 14-day follow-up's answer "kom borgeren frem?" per referral.

The targets themselves are ``contact_value`` rows of the ``referral_target`` list.
All columns are nullable, so no table is rebuilt.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 15


class _Contact(pw.Model):
    """Just enough of ``contact`` for the foreign key."""

    id = pw.AutoField()

    class Meta:
        table_name = "contact"


class _ReferralArrival(pw.Model):
    """A frozen copy of ``db.referral_models.ReferralArrival`` as version 15 created it."""

    id = pw.AutoField()
    contact = pw.ForeignKeyField(_Contact, on_delete="CASCADE")
    target = pw.CharField(max_length=40)
    arrived = pw.CharField(max_length=20)
    answered_at = pw.DateTimeField()

    class Meta:
        table_name = "referral_arrival"
        legacy_table_names = False
        indexes = ((("contact", "target"), True),)


def up(migrator: SchemaMigrator) -> None:
    """Add the three nullable contact columns and create ``referral_arrival``."""
    migrate(
        migrator.add_column("contact", "referral_consent", pw.CharField(max_length=20, null=True)),
        migrator.add_column("contact", "referral_made_by", pw.CharField(max_length=20, null=True)),
        migrator.add_column("contact", "anonymous_repeat", pw.CharField(max_length=20, null=True)),
    )
    with migrator.database.bind_ctx([_Contact, _ReferralArrival]):
        migrator.database.create_tables([_ReferralArrival])
