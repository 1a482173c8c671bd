"""Shared helpers for the night-work tests (beds, outreach, handover)."""

from __future__ import annotations

from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night.stays import CheckInInput
from db.database import connection
from db.models import AuditEvent, Bed
from tests.conftest import PASSWORD

CPR_A = "010180-1235"
CPR_B = "020285-2346"
CPR_C = "030390-3457"


def session(rt: Runtime, name: str, role: str = "medarbejder", display: str = "") -> SignedInUser:
    """Create a user and log in."""
    accounts.create_user(rt, name, PASSWORD, role, actor=None, display_name=display)
    return auth.login(rt, name, PASSWORD)


def bed_ids() -> list[int]:
    """Return the bed ids in board order."""
    with connection():
        return [b.id for b in Bed.select().order_by(Bed.sort_order)]


def form(bed_id: int, cpr: str = CPR_A, **kwargs: object) -> CheckInInput:
    """A check-in form with the exclusion checks answered "no"."""
    values: dict[str, object] = {
        "intoxicated": False,
        "threatening": False,
        "disturbing": False,
    }
    values.update(kwargs)
    return CheckInInput(bed_id=bed_id, cpr_text=cpr, **values)  # type: ignore[arg-type]


def actions() -> list[str]:
    """Return every audit action in order."""
    with connection():
        return [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
