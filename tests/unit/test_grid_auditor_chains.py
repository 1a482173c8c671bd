"""Issue 16 §1 on bigger databases: cells pinned only by a chain of published relations.

Each database here is one the long auditor run (``AKUT_AUDIT_EXAMPLES=150``) found
with hidden cells pinned before the joint suppression checked the year's relations
together (:mod:`akut_tui.services.statistics.chains`) and the tables declared their
bounds (admissions, anonymous contacts, the persons figures).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from akut_tui.services.base.runtime import Runtime
from tests.unit.test_grid_auditor import _audit_random

CASES = Path(__file__).parents[1] / "data" / "grid_auditor_chains.json"
BASE: dict[str, Any] = {
    "hour": 2,
    "contact_type": "krise",
    "channel": "telefon",
    "caller": "borger",
    "conversation": "ja",
    "referrals": [],
    "consent": None,
    "arrived": None,
    "crisis_level": "let",
    "gender": "ikke_registreret",
    "age_band": "ukendt",
    "municipality": "851",
    "symptoms": [],
    "events": [],
    "person": None,
    "admitted": (),
    "anonymous": True,
    "called_before": None,
}


def _found(name: str) -> list[dict[str, Any]]:
    """A database the long run found, from tests/data/grid_auditor_chains.json (each
    contact as its changes from :data:`BASE`)."""
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    return [{**BASE, **change} for change in cases[name]]


def _contacts(*changes: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**BASE, **change} for change in changes]


def test_tiny_year_persons_bounded_by_all_contacts(rt: Runtime) -> None:
    """Five contacts in a year, four of them crisis: every person table is hidden whole,
    but the shown number of all contacts (5) bounds the repeat persons to 0-2 (a repeat
    person has two contacts), so that number must be hidden too."""
    contacts = _contacts(
        {
            "month": 1,
            "day": 0,
            "contact_type": "stille_opkald",
            "age_band": "under_18",
            "symptoms": ["angst"],
            "consent": "ja",
            "arrived": "ja",
        },
        {
            "month": 8,
            "day": 0,
            "hour": 10,
            "channel": "virtuel",
            "gender": "kvinde",
            "age_band": "25_34",
            "symptoms": ["angst", "selvskade"],
            "person": 2,
            "referrals": ["noed_112", "kommune_bostoette"],
            "consent": "ja",
            "arrived": "ja",
        },
        {
            "month": 4,
            "day": 16,
            "channel": "fremmoede",
            "crisis_level": "alvorlig",
            "municipality": "147",
            "symptoms": ["uro"],
            "events": ["udskrivelse_psykiatri"],
            "referrals": ["kommune_bostoette", "noed_112"],
            "consent": "nej",
            "arrived": "nej",
            "person": 2,
        },
        {
            "month": 5,
            "day": 15,
            "channel": "fremmoede",
            "caller": "samarbejdspartner",
            "age_band": "under_18",
            "symptoms": ["uro", "selvskade"],
            "events": ["udskrivelse_psykiatri"],
            "referrals": ["noed_112", "kommune_bostoette"],
        },
        {
            "month": 3,
            "day": 5,
            "conversation": "ikke_registreret",
            "gender": "kvinde",
            "municipality": "147",
            "consent": "ja",
            "arrived": "nej",
            "person": 1,
        },
    )
    _audit_random(rt, contacts)


def test_admissions_bounded_by_the_actions_over_the_other_quarters(rt: Runtime) -> None:
    """The year's admissions (11, shown) less Q2's (5, hidden) are at least the year's
    ``indlaeggelse`` actions less Q2's (both shown): with the declared bound alone, each
    quarter checked on its own, Q2's admissions were pinned to 5 (summing the bound over
    Q1, Q3 and Q4, whose admissions and actions were hidden, gives it)."""
    _audit_random(rt, _found("admissions"))


def test_anonymous_contacts_bound_the_cpr_status_over_the_year(rt: Runtime) -> None:
    """Q1's ``anonym`` CPR status was pinned (to 5) by the anonymous contacts' bound summed
    over the other quarters, against the year's shown figures."""
    _audit_random(rt, _found("anonymous"))


def test_admissions_bounded_over_two_quarters_with_one_shown(rt: Runtime) -> None:
    """Q3's hidden admissions (5) were pinned to 5-7: the year's admissions less Q2's and
    Q3's are at least the year's actions less Q2's and Q3's (Q2 shown, Q3's actions shown);
    leaving out one quarter at a time counted Q2's one spare admission as room."""
    _audit_random(rt, _found("admissions_two_quarters"))


def test_persons_pinned_only_by_several_relations_at_once(rt: Runtime) -> None:
    """June's repeat persons, its 2-4 band and a first/latest cell were pinned to 0-2.5 by
    several relations taken together (persons against contacts, bands against persons,
    first/latest against both), which bound propagation, one relation at a time, never
    narrowed: the exact check (:mod:`akut_tui.services.statistics.exact_check`) solves
    the year's linear program as a reader with a solver would."""
    _audit_random(rt, _found("persons_june"))
