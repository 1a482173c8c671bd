"""``goal_attainment``: progression goals by their attainment at the 14-day follow-up.

The evaluation's definition (issue 19 §3): the unit is a crisis contact with both a
progression goal and a completed follow-up. A follow-up is completed when it is done
in Akut, or when an attainment was recorded (an imported row's attainment is the
record of a follow-up held before). The rows are the fixed scale ``opnaaet``,
``delvist``, ``ikke_opnaaet``, ``ikke_fulgt_op`` (the goal was not taken up at the
follow-up), and ``ikke_registreret`` for a completed follow-up with no answer.
The table's own total is its denominator (``OWN_DENOMINATOR``, as ``follow_up``).
"""

from __future__ import annotations

from collections import Counter

import peewee as pw

from akut_tui.services.statistics.dto import OWN_DENOMINATOR, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, crisis, partition, rows
from db.models import Contact, FollowUp

NOTE = (
    "Af henvendelser med både et progressionsmål og en gennemført opfølgning. "
    "Målbar progression = opnået + delvist + ikke opnået."
)


def build(scope: Scope) -> RawTable:
    """Crisis contacts with a goal and a completed follow-up, by the goal's attainment."""
    done = FollowUp.select(FollowUp.contact).where(FollowUp.done_at.is_null(False))
    followed_up = Contact.goal_attainment.is_null(False) | Contact.id.in_(done)
    query = (
        Contact.select(Contact.goal_attainment, pw.fn.COUNT(Contact.id))
        .where(crisis(scope), Contact.progression_goal == True, followed_up)  # noqa: E712
        .group_by(Contact.goal_attainment)
    )
    found = rows(query)
    counts: Counter[str] = Counter({str(code): int(n) for code, n in found if code})
    table = partition(
        "goal_attainment",
        "Progressionsmål: opfyldelse ved opfølgning efter 14 dage",
        scope.codes("goal_attainment"),
        counts,
        sum(int(n) for _code, n in found),
    )
    table.denominator_key = OWN_DENOMINATOR
    table.note = NOTE
    return table


TABLE = TableSpec("goal_attainment", 183, build)
