"""The progression goal's attainment, recorded at the 14-day follow-up (issue 19 §3).

A contact that set a progression goal (with or without a kind from the
``goal_kind`` list) gets an attainment on the fixed scale of the
``goal_attainment`` list (``opnaaet``, ``delvist``, ``ikke_opnaaet``,
``ikke_fulgt_op``) when it is followed up. The answer is stored on the contact
through the contact mapping and audited (``followup.goal``).
"""

from __future__ import annotations

from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.contacts import columns as contact_columns
from db.models import Contact, FollowUp, ValueItem

ATTAINMENT_LIST = "goal_attainment"


def record_attainment(rt: Runtime, session: SignedInUser, followup_id: int, code: str) -> str:
    """Record the attainment of the goal of a follow-up's contact; audited.

    An answer may be changed (the latest counts). Returns the code stored.
    """
    with write_transaction():
        require(session, "followup.complete")
        known = ValueItem.select().where(
            ValueItem.list_name == ATTAINMENT_LIST, ValueItem.code == code
        )
        if not known.exists():
            raise ValidationError(
                "Svar opnået, delvist, ikke opnået eller ikke fulgt op.", "goal_attainment"
            )
        followup = FollowUp.get_or_none(FollowUp.id == followup_id)
        if followup is None:
            raise NotFound("Opfølgningen findes ikke.")
        goal = Contact.select(Contact.progression_goal).where(Contact.id == followup.contact_id)
        if not goal.scalar():
            raise ValidationError("Der blev ikke sat et progressionsmål ved denne henvendelse.")
        contact_columns.set_goal_attainment([int(followup.contact_id)], code)
        audit.record(
            rt,
            "followup.goal",
            actor=session,
            object_type="followup",
            object_id=followup_id,
            person_ref=followup.person_id or "",
        )
    return code
