"""Version 4: drafts for every dialog (issue 14): ``contact_draft.dialog``.

A dialog draft (check-in, decision, handover...) lives in the same table as the
intake form's drafts, named by its dialog (``beds.check_in:3``); intake drafts
keep NULL. The text of every draft is sealed by the service layer.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 4


def up(migrator: SchemaMigrator) -> None:
    """Add the dialog column and its unique (user, dialog) index."""
    migrate(
        migrator.add_column("contact_draft", "dialog", pw.CharField(max_length=80, null=True)),
        migrator.add_index("contact_draft", ("user_id", "dialog"), True),
    )
