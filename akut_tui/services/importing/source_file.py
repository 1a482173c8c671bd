"""Reading an import file: its encoding, its header, and its records with their line numbers.

The rows' meaning (validation, persons, storage) is :mod:`akut_tui.services.importing.importer`'s.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from akut_tui.core.cpr import redact_cpr
from akut_tui.core.errors import AkutError

COLUMNS = tuple(
    """started_at channel caller partner_type contact_type crisis_level duration_min
    pseudonym birth_year cpr municipality housing gender age_band symptoms events actions
    escalations referred_to coordination_needed stabilisation turned_away crisis_conversation
    crisis_plan progression_goal followup_wanted note referrals referral_consent
    referral_made_by anonymous_repeat goal_kind goal_attainment avoided""".split()
)
"""The columns a file may have, in the documented order (docs/import.md)."""
REQUIRED = ("started_at", "channel")


class ImportFailed(AkutError):
    """A bad file or row; ``line`` and ``column`` say where (line 1 is the header)."""

    def __init__(self, line: int, column: str, reason: str) -> None:
        """Build the Danish one-line message ``linje N, kolonne C: reason``.

        A CPR-like number quoted from the file (a value refused in another column)
        is masked: the message goes to a terminal and perhaps a ticket.
        """
        column, reason = redact_cpr(column), redact_cpr(reason)
        where = f"linje {line}" + (f", kolonne {column}" if column else "")
        super().__init__(f"{where}: {reason}")
        self.line, self.column, self.reason = line, column, reason


def decode(data: bytes) -> str:
    """Return the file as text (UTF-8, with or without a byte-order mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(line, "", "filen er ikke UTF-8") from None


def open_reader(text: str) -> tuple[csv.DictReader[str], list[str]]:
    """Return a reader over the records and the checked column names of the header."""
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        names = [n.strip() for n in reader.fieldnames or []]
    except csv.Error as exc:
        raise ImportFailed(1, "", f"overskriften kan ikke læses ({exc})") from None
    if not names or names == [""]:
        raise ImportFailed(1, "", "filen er tom; første linje skal være kolonnenavnene")
    twice = [n for i, n in enumerate(names) if n in names[:i]]
    if twice:
        raise ImportFailed(1, twice[0], "kolonnen står mere end én gang i overskriften")
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise ImportFailed(1, unknown[0], "ukendt kolonne; se docs/import.md")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise ImportFailed(1, missing[0], "kolonnen mangler")
    reader.fieldnames = names
    return reader, names


FIELD_LIMIT = 131_072
"""Most characters in one field of an import file (the csv module's default limit)."""


def records(reader: csv.DictReader[str], names: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, record); a field over :data:`FIELD_LIMIT` names its line and column.

    The csv module's own limit is lifted while reading (and restored after) so that
    the check here, which knows the column, is the one that refuses.
    """
    old_limit = csv.field_size_limit(sys.maxsize)
    try:
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFailed(reader.line_num, "", f"linjen kan ikke læses ({exc})") from None
            for name in names:
                value = raw.get(name)
                if value is not None and len(value) > FIELD_LIMIT:
                    raise ImportFailed(
                        reader.line_num,
                        name,
                        f"feltet har {len(value):,} tegn; højst {FIELD_LIMIT:,}".replace(",", "."),
                    )
            yield reader.line_num, raw
    finally:
        csv.field_size_limit(old_limit)
