"""Danish counts with the right plural, and labels cut at a word, never mid-word.

Every "N things" text goes through :func:`count`, so "1 nætter" or
"1 overleveringer" cannot be written; labels that must fit a width go
through :func:`fit_label`. Imports nothing of ours (used by services,
commands and screens alike).
"""

from __future__ import annotations

NOUNS: dict[str, tuple[str, str]] = {
    "nat": ("nat", "nætter"),
    "henvendelse": ("henvendelse", "henvendelser"),
    "overlevering": ("overlevering", "overleveringer"),
    "kladde": ("kladde", "kladder"),
    "person": ("person", "personer"),
    "ophold": ("ophold", "ophold"),
    "overnatningsophold": ("overnatningsophold", "overnatningsophold"),
    "seng": ("seng", "senge"),
    "udkørsel": ("udkørsel", "udkørsler"),
    "minut": ("minut", "minutter"),
    "række": ("række", "rækker"),
    "hændelse": ("hændelse", "hændelser"),
    "bruger": ("bruger", "brugere"),
    "ældre periode": ("ældre periode", "ældre perioder"),
    "liste": ("liste", "lister"),
    "tidligere henvendelse": ("tidligere henvendelse", "tidligere henvendelser"),
    "ny person": ("ny person", "nye personer"),
    "værdi": ("værdi", "værdier"),
    "henvisning": ("henvisning", "henvisninger"),
    "lukket år": ("lukket år", "lukkede år"),
}
"""Singular key → (singular, plural)."""


def noun(word: str, number: int) -> str:
    """Return ``word`` (a key of :data:`NOUNS`) in the form that goes with ``number``."""
    singular, plural = NOUNS[word]
    return singular if number == 1 else plural


def count(number: int, word: str) -> str:
    """Return ``"1 nat"``, ``"3 nætter"``: the number and the right form of ``word``."""
    return f"{number} {noun(word, number)}"


def nights_text(number: int) -> str:
    """Return ``"1 nat"`` / ``"N nætter"``."""
    return count(number, "nat")


def fit_label(text: str, width: int) -> str:
    """Return ``text`` if it fits ``width`` characters, else a shorter form ending in "…".

    The cut falls after a whole word when one fits, so a label is never left
    as "Til gene for andr" or "Ledsager (brugernav".
    """
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    room = text[: width - 1]
    cut = room.rsplit(" ", 1)[0] if " " in room else room
    cut = cut.rstrip(" (,;:-·")
    return (cut or room) + "…"


def join_sentences(first: str, second: str) -> str:
    """Join two Danish sentences as "A. B." (never "beskyttet.; intet er indlæst")."""
    head = first.rstrip()
    if not head.endswith((".", "!", "?")):
        head += "."
    tail = second.strip()
    tail = tail[:1].upper() + tail[1:]
    if not tail.endswith((".", "!", "?")):
        tail += "."
    return f"{head} {tail}"
