"""The demo's referrals, consent and "har ringet før" (issue 19 §5), with plausible shares.

Drawn from a stream of their own, so the figures of the fields drawn before
issue 19 stay those of the seed.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from akut_tui.services.contacts import columns
from akut_tui.services.contacts.form import ContactInput

TARGETS: tuple[tuple[str, int], ...] = (
    ("kommune_bostoette", 20),
    ("laege_egen_laege", 14),
    ("region_distriktspsykiatri", 12),
    ("kommune_misbrugscenter", 9),
    ("myndighed_voksen", 8),
    ("laege_vagtlaege", 8),
    ("region_psyk_akutmodtagelse", 6),
    ("frivillig_livslinien", 6),
    ("kommune_jobcenter", 4),
    ("frivillig_headspace", 3),
    ("akut_anden_kommune", 3),
    ("noed_politi", 2),
)
"""Targets and their weights: most referrals go to the municipality's own services and
the citizen's doctor or the district psychiatry."""
REFERRED = 0.25
"""Share of crisis contacts with a referral."""
CONSENT = (("ja", 60), ("nej", 10), ("ikke_spurgt", 15), ("", 15))
MADE_BY = (("personale", 45), ("borger_raadet", 45), ("", 10))
REPEAT = (("ja", 45), ("nej", 25), ("ved_ikke", 10), ("", 20))
"""Among anonymous calls: a repeat caller is common, and a fifth are not asked."""


def _one(rnd: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rnd.choices([c for c, _ in weighted], [w for _, w in weighted])[0]


def draw(form: ContactInput, moment: datetime, pid: int | None) -> None:
    """Fill the issue-19 fields of a drawn crisis contact (non-crisis contacts keep none)."""
    if form.contact_type != "krise":
        return
    rnd = random.Random(f"{moment.isoformat()}|{pid}|referrals")
    if rnd.random() < REFERRED:
        count = 2 if rnd.random() < 0.15 else 1
        chosen: list[str] = []
        while len(chosen) < count:
            target = _one(rnd, TARGETS)
            if target not in chosen:
                chosen.append(target)
        form.referrals = chosen
        # Each referral its own answers (an unrecorded one is left out).
        consents = {target: _one(rnd, CONSENT) for target in chosen}
        made_by = {target: _one(rnd, MADE_BY) for target in chosen}
        form.referral_consent = {t: code for t, code in consents.items() if code}
        form.referral_made_by = {t: code for t, code in made_by.items() if code}
    if form.identity == "anonym":
        form.anonymous_repeat = _one(rnd, REPEAT)


ARRIVED = (("ja", 55), ("nej", 20), ("ved_ikke", 25))
""""Kom borgeren frem?" at a completed follow-up."""


def arrival_rows(
    contact_id: int, form: ContactInput, answered_at: datetime
) -> list[dict[str, Any]]:
    """The answers of a contact whose follow-up was done: one per referral."""
    rnd = random.Random(f"{contact_id}|arrived")
    return [
        {"contact": contact_id, "target": target, "arrived": _one(rnd, ARRIVED),
         "answered_at": answered_at}
        for target in form.referrals
    ]  # fmt: skip


def store_arrivals(rows: list[dict[str, Any]]) -> None:
    """Record the drawn answers on their referrals (in the demo's transaction)."""
    for row in rows:
        columns.set_arrival(row["contact"], row["target"], row["arrived"], row["answered_at"])
