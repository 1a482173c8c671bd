"""The demo's progression goals, their attainment and staff's "uden akuttilbuddet" assessment
(issue 19 §3, §5), with plausible shares.

Drawn from streams of their own, so the figures of the fields drawn before stay
those of the seed. The attainment follows the evaluation: progression could be
measured for about 81 % of the goals that were followed up.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts.form import EXCLUSIVE_AVOIDED, ContactInput

KINDS: tuple[tuple[str, int], ...] = (
    ("soevn", 18),
    ("netvaerk", 20),
    ("daglig_struktur", 22),
    ("kontakt_behandling", 16),
    ("oekonomi_praktisk", 10),
    ("bolig", 5),
    ("rusmidler", 5),
    ("andet", 4),
)
"""Goal kinds and their weights."""
FOLLOWED_GOAL = 0.8
"""Share of the contacts wanting a follow-up that set a progression goal."""
WITH_KIND = 0.85
"""Share of the progression goals whose kind is recorded."""
ATTAINMENT = (("opnaaet", 40), ("delvist", 30), ("ikke_opnaaet", 11), ("ikke_fulgt_op", 19))
"""At a completed follow-up: measurable (the first three) about 81 %."""
ASSESSED = 0.35
"""Share of crisis contacts where staff recorded what was avoided."""
AVOIDED = (
    ("intet", 30),
    ("psykiatrisk_akutmodtagelse", 20),
    ("vagtlaege", 15),
    ("indlaeggelse", 10),
    ("ved_ikke", 10),
    ("112_politi", 8),
    ("skadestue", 7),
)


def _one(rnd: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rnd.choices([c for c, _ in weighted], [w for _, w in weighted])[0]


def draw(form: ContactInput, moment: datetime, pid: int | None) -> None:
    """Fill the goal's kind and the "uden akuttilbuddet" assessment of a drawn crisis contact."""
    if form.contact_type != "krise":
        return
    rnd = random.Random(f"{moment.isoformat()}|{pid}|goals")
    # The 14-day follow-up is "på borgernes progressionsmål": most who want one set a goal.
    if form.followup_wanted and rnd.random() < FOLLOWED_GOAL:
        form.progression_goal = True
    if form.progression_goal and rnd.random() < WITH_KIND:
        form.goal_kind = _one(rnd, KINDS)
    if rnd.random() < ASSESSED:
        first = _one(rnd, AVOIDED)
        form.avoided = [first]
        if first not in EXCLUSIVE_AVOIDED and rnd.random() < 0.2:
            second = _one(rnd, AVOIDED)
            if second != first and second not in EXCLUSIVE_AVOIDED:
                form.avoided.append(second)


def attainment(contact_id: int) -> str:
    """The attainment recorded at a contact's completed follow-up (its own stream)."""
    return _one(random.Random(f"{contact_id}|goal"), ATTAINMENT)


def store_attainments(answers: Sequence[tuple[int, str]]) -> None:
    """Write the drawn attainments (in the demo's transaction), one update per code."""
    by_code: dict[str, list[int]] = {}
    for contact_id, code in answers:
        by_code.setdefault(code, []).append(contact_id)
    for code, ids in by_code.items():
        contact_columns.set_goal_attainment(ids, code)
