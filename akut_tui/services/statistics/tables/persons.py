"""``persons``: distinct persons, repeat persons and their contacts, the top five's contacts."""

from __future__ import annotations

from akut_tui.services.statistics.dto import TOTAL, Bound, RawRow, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, figures
from akut_tui.services.statistics.tables.people import ends


def person_figures(scope: Scope) -> tuple[int, int, int, int]:
    """(distinct persons, repeat persons, contacts from repeat persons, top-5 contacts).

    From the per-person contact counts the person-level tables read too
    (:func:`~akut_tui.services.statistics.tables.people.ends`), so the period's
    persons are grouped once.
    """
    per_person = sorted((n for n, _first, _last in scope.shared(ends)), reverse=True)
    repeat = [n for n in per_person if n > 1]
    return len(per_person), len(repeat), sum(repeat), sum(per_person[:5])


CONTACT_FIGURES = ("contacts_from_repeat_persons", "top5_contacts")
"""Figures that count contacts, so they get a share of the crisis contacts; the
person counts get none (a count of persons is not a share of contacts)."""

DISTINCT = (("", ("distinct_persons",)),)
REPEAT = (("", ("repeat_persons",)),)
REPEAT_CONTACTS = (("", ("contacts_from_repeat_persons",)),)
TOP5 = (("", ("top5_contacts",)),)
CONTACTS = (("", (TOTAL,)),)
BOUNDS = (
    Bound(REPEAT, DISTINCT),
    Bound(REPEAT + REPEAT, REPEAT_CONTACTS),  # a repeat person has at least two contacts
    Bound(DISTINCT + REPEAT_CONTACTS, REPEAT + CONTACTS),  # one contact per other person
    Bound(TOP5, CONTACTS),
    Bound(TOP5, REPEAT_CONTACTS, slack=5),  # the top five less the repeat persons' contacts
    Bound(DISTINCT, CONTACTS),  # these two follow from the others; declared so that a
    Bound(REPEAT_CONTACTS, CONTACTS),  # chain through them is seen one bound at a time
)
"""What the definitions say about the figures (and the crisis contacts) together."""


def build(scope: Scope) -> RawTable:
    """The person figures of the period (persons known by CPR or nickname).

    Distinct counts do not add up over time. The last three figures are hidden
    together: with the number of persons, any two of them give the third.
    """
    distinct, repeat, repeat_n, top5 = person_figures(scope)
    table = figures(
        "persons",
        "Personer (kendt CPR eller kaldenavn)",
        scope,
        [
            RawRow("distinct_persons", "Forskellige personer", distinct),
            RawRow("repeat_persons", "Personer med mere end én henvendelse", repeat),
            RawRow("contacts_from_repeat_persons", "Henvendelser fra gengangere", repeat_n),
            RawRow("top5_contacts", "Henvendelser fra de 5 hyppigste", top5),
        ],
        "Andele kun for henvendelser, af alle krisehenvendelser (anonyme medregnet); "
        "personer har ingen andel.",
    )
    table.share_codes = CONTACT_FIGURES
    table.additive_codes = ()
    table.together = ("repeat_persons", "contacts_from_repeat_persons", "top5_contacts")
    table.bounds = BOUNDS
    return table


TABLE = TableSpec("persons", 200, build, summable=False)
