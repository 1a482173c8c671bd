"""Import only once: a keyed digest per imported row, checked before anything is written.

Each row's digest (:func:`row_digest` of :func:`row_text`) is stored with its
contact in ``imported_row``; a row whose digest is already there stops the
import (``--dry-run`` counts such rows instead). Deleting a contact deletes its
digest, so re-importing after a deliberate delete needs nothing special.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import cast

from akut_tui.core.errors import AkutError
from akut_tui.core.plural import count
from db.models import Contact, ImportedRow

DIGEST_CONTEXT = b"akut-import-row\x00"


class AlreadyImported(AkutError):
    """A row of the file was imported before (its contact still exists).

    ``line`` is the first such row's line, 0 when the whole file was imported.
    """

    def __init__(self, line: int, reason: str) -> None:
        """Build the Danish message (``linje N: reason``, or the reason alone)."""
        super().__init__(f"linje {line}: {reason}" if line else reason)
        self.line, self.reason = line, reason


def row_text(raw: dict[str, str]) -> str:
    """A row's content as one text: its non-empty fields, sorted by column name.

    Column order, the separator, empty columns and surrounding blanks do not change it.
    """
    fields = sorted((name, (raw.get(name) or "").strip()) for name in raw if name)
    return "\x1f".join(f"{name}\x1e{value}" for name, value in fields if value)


def row_digest(key: bytes, text: str, occurrence: int) -> str:
    """The keyed digest stored for an imported row (:func:`row_text`, its occurrence).

    ``occurrence`` (1 for the first of identical rows in a file, 2 for the
    second ...) lets a file hold two identical rows (two silent calls in one
    minute) and still refuses each of them the second time. Keyed with the
    pseudonym key, so a stored digest cannot be used to test CPR numbers.
    """
    message = DIGEST_CONTEXT + f"{occurrence}\x1d{text}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def already_imported(rows: list[tuple[int, str]], *, forget_stale: bool) -> set[str]:
    """Digests of ``rows`` ((line, digest) pairs) imported before whose contact still exists.

    A digest left behind by a contact deleted without the foreign-key cascade
    (plain SQL with foreign keys off) is stale; with ``forget_stale`` it is
    removed, so the row can be imported again.
    """
    digests = [digest for _line, digest in rows]
    stored: dict[str, int] = {}
    for start in range(0, len(digests), 500):
        query = ImportedRow.select(ImportedRow.digest, ImportedRow.contact).where(
            ImportedRow.digest.in_(digests[start : start + 500])
        )
        for digest, contact_id in cast(Iterable[tuple[str, int]], query.tuples()):
            stored[str(digest)] = int(contact_id)
    ids = sorted(set(stored.values()))
    alive: set[int] = set()
    for start in range(0, len(ids), 500):
        found = Contact.select(Contact.id).where(Contact.id.in_(ids[start : start + 500]))
        alive.update(int(row[0]) for row in cast(Iterable[tuple[int]], found.tuples()))
    stale = [d for d, cid in stored.items() if cid not in alive]
    if forget_stale and stale:
        for start in range(0, len(stale), 500):
            ImportedRow.delete().where(ImportedRow.digest.in_(stale[start : start + 500])).execute()
    return {d for d, cid in stored.items() if cid in alive}


def refuse(rows: list[tuple[int, str]], duplicates: set[str]) -> None:
    """Stop the import: the whole file, or its first row, was imported before."""
    if len(duplicates) == len(rows):
        what = "den ene række" if len(rows) == 1 else f"alle {count(len(rows), 'række')}"
        raise AlreadyImported(0, f"filen er allerede indlæst ({what}); intet nyt at indlæse")
    first = min(line for line, digest in rows if digest in duplicates)
    of_file = f"{len(duplicates)} af filens {count(len(rows), 'række')}"
    raise AlreadyImported(
        first,
        f"rækken er allerede indlæst ({of_file} er det); "
        "fjern dem, eller se 'akut import --dry-run'",
    )
