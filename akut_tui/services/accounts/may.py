""" "May I?": permission questions a screen asks before it opens a dialog.

A dialog for something the user may not do should never open: the refusal
would come only after the typing. The screen asks here first (in a worker);
the service that does the work checks again when it runs.
"""

from __future__ import annotations

from akut_tui.services.accounts.auth import require
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection


def check(rt: Runtime, session: SignedInUser, action: str) -> None:
    """Raise ``PermissionDenied`` unless the user may do ``action`` now."""
    del rt  # the role is read from the database, as every service does
    with connection():
        require(session, action)
