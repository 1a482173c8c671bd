"""``channel_ministry``: the contact form as the ministry counts it.

A caller other than the citizen overrides the channel; an overnight guest (a
stay linked to the contact) counts as an in-person contact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import cast

import peewee as pw

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import channel_cube
from akut_tui.services.statistics.tables.kit import (
    NOT_REGISTERED,
    Scope,
    TableSpec,
    crisis,
    partition,
    rows,
)
from db.models import Contact, Stay

CODES = (
    ("telefon", "Telefon"),
    ("fremmoede", "Personligt fremmøde inkl. overnatning"),
    ("virtuel", "Virtuel"),
    ("paaroerende_samarbejdspartner", "Fra pårørende og samarbejdspartnere"),
)


def stay_channel_moves(scope: Scope) -> dict[str, int]:
    """channel -> citizen-initiated crisis contacts (not in person) that led to a stay.

    The (few) contacts with a stay are looked up by id, so a big contact table costs nothing.
    """
    linked = Stay.select(Stay.contact).where(Stay.contact.is_null(False)).distinct()
    ids = sorted(int(row[0]) for row in cast(Iterable[tuple[int]], linked.tuples()))
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        query = (
            Contact.select(Contact.channel, pw.fn.COUNT(Contact.id))
            .where(
                Contact.id.in_(ids[start : start + 500]),
                crisis(scope),
                Contact.caller == "borger",
                Contact.channel != "fremmoede",
            )
            .group_by(Contact.channel)
        )
        for channel, n in rows(query):
            counts[str(channel)] = counts.get(str(channel), 0) + int(n)
    return counts


def build(scope: Scope) -> RawTable:
    """Crisis contacts by the ministry's channel."""
    ministry: Counter[str] = Counter()
    for who, via, _partner, n in scope.shared(channel_cube):
        ministry["paaroerende_samarbejdspartner" if who != "borger" else via] += n
    for via, n in stay_channel_moves(scope).items():
        ministry[via] -= n
        ministry["fremmoede"] += n
    table = partition(
        "channel_ministry",
        "Kontaktform (ministeriets opgørelse)",
        CODES,
        ministry,
        scope,
    )
    # Every caller but the citizen (every code of the caller list, relatives calling for
    # their own support and unregistered callers included) is one row here.
    others = (*(c for c, _ in scope.codes("caller") if c != "borger"), NOT_REGISTERED[0])
    table.linked = ((("paaroerende_samarbejdspartner",), "who_contacts", others),)
    return table


TABLE = TableSpec("channel_ministry", 30, build)
