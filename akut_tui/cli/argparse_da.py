"""Danish texts for argparse, so every line the CLI prints is Danish.

argparse looks its messages up through a module-level gettext function at the
moment it prints them. No Danish catalogue ships with Python, so ``install``
points that look-up at the table below; a message missing from the table falls
back to English rather than failing.
"""

from __future__ import annotations

import argparse

DANISH: dict[str, str] = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "optional arguments": "tilvalg",
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets version og afslut",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ugyldigt valg: %(value)r (vælg mellem %(choices)s)"
    ),
    "the following arguments are required: %s": "følgende argumenter mangler: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "expected one argument": "forventede ét argument",
    "expected at most one argument": "forventede højst ét argument",
    "expected at least one argument": "forventede mindst ét argument",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydigt tilvalg: %(option)s kan betyde %(matches)s"
    ),
    "not allowed with argument %s": "ikke tilladt sammen med argumentet %s",
    "ignored explicit argument %r": "ignorerede det udtrykkelige argument %r",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "invalid %(type)s value: %(value)r": "ugyldig værdi af typen %(type)s: %(value)r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "ukendt kommando %(parser_name)r (valg: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "subcommands": "kommandoer",
}


def translate(message: str) -> str:
    """Return the Danish text for an argparse message (English if unknown)."""
    return DANISH.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """Plural-aware variant for Python versions whose argparse uses ngettext."""
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Make argparse print Danish from now on (idempotent)."""
    setattr(argparse, "_", translate)  # noqa: B010 - argparse reads the module global
    if hasattr(argparse, "ngettext"):
        setattr(argparse, "ngettext", translate_plural)  # noqa: B010
