"""The figures of closed years, kept in the database and never stale (issue 16 §3).

A year whose last day has passed is counted once and its grid (every month, quarter
and the year: unsuppressed tables and the joint suppression's decisions) is stored
with the merged answers its longer periods need (each identified person's first and
latest contact, the duration cube, ...), so ``all`` merges ten stored years instead
of counting ten years. The night pair's two processes and ``akut export`` share it.

Truth: an entry names the generation of every UTC month the year touches and of
:data:`db.stats_cache.GLOBAL`, read BEFORE counting; the database triggers
(:mod:`db.stats_triggers`) bump a month's generation in the same transaction as
any write that can change its figures. An entry is used only while all its
generations are current, so a write between the count and the store leaves an
entry that is never used. Everything else the figures depend on (the statistics
code, the schema version, the time zone, the shifts, the value lists and their
labels) is in the entry's ``context`` digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import peewee as pw

from akut_tui.core.config import ShiftConfig
from akut_tui.core.errors import StorageError
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.statistics import codec
from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.joint_suppression import Decision
from akut_tui.services.statistics.periods import Period, utc_bounds
from akut_tui.services.statistics.tables.kit import MERGES
from akut_tui.services.statistics.tables.people import PersonEnds, person_ends
from db import stats_cache as store
from db.database import connection
from db.migrations import LATEST

YearFigures = dict[str, tuple[Sequence[RawTable], Sequence[Decision]]]
"""Period label -> (unsuppressed tables, decisions) of every period of a year's grid."""
Answers = dict[tuple[Callable[..., Any], tuple[Any, ...]], Any]
"""A scope's remembered answers: (shared query, args) -> answer."""

ENABLED = True
"""Switch for tests that must count afresh."""


@cache
def code_digest() -> str:
    """A digest of the code the figures come from (a new Akut counts afresh)."""
    root = Path(__file__).resolve().parents[3]
    digest = hashlib.sha256(str(LATEST).encode())
    files = sorted((root / "akut_tui" / "services" / "statistics").rglob("*.py"))
    files += [root / "db" / "stats_queries.py", root / "db" / "stats_triggers.py"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _name(query: Callable[..., Any]) -> str:
    return f"{query.__module__}:{query.__qualname__}"


def pack_ends(ends: PersonEnds) -> list[Any]:
    """:func:`~.tables.people.person_ends` as flat columns: the few hundred distinct value
    tuples once, then 8 numbers or times per person (fast to read back)."""
    values: dict[tuple[Any, ...], int] = {}
    flat: list[Any] = []
    for pid, (n, first_key, first, last_key, last) in ends.items():
        first_at, last_at = codec.encode(first_key[0]), codec.encode(last_key[0])
        at_first, at_last = (
            values.setdefault(first, len(values)),
            values.setdefault(last, len(values)),
        )
        flat += [pid, n, first_at, first_key[1], at_first, last_at, last_key[1], at_last]
    return [[codec.encode(v) for v in values], flat]


def unpack_ends(packed: list[Any]) -> PersonEnds:
    """The answer :func:`pack_ends` was given."""
    values = [codec.decode(v) for v in packed[0]]
    flat, decode, out = packed[1], codec.decode, {}
    for i in range(0, len(flat), 8):
        pid, n, first_at, first_id, first, last_at, last_id, last = flat[i : i + 8]
        out[pid] = (
            n,
            (decode(first_at), first_id),
            values[first],
            (decode(last_at), last_id),
            values[last],
        )
    return out


PACKERS: dict[Callable[..., Any], tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    person_ends: (pack_ends, unpack_ends),
}
"""Shared queries whose large answers get a compact form of their own."""


class YearCache:
    """The stored figures of closed years for one count (one screen or export)."""

    def __init__(self, today: date, tz: str, shifts: ShiftConfig, stored: dict[str, Any]) -> None:
        """``today``: the local date; ``stored``: the value lists as stored (codes, labels)."""
        self.today, self.tz = today, tz
        text = json.dumps(
            [
                code_digest(),
                tz,
                [shifts.day_start, shifts.evening_start, shifts.night_start],
                stored,
            ],
            sort_keys=True,
            default=str,
        )
        self.context = int.from_bytes(
            hashlib.sha256(text.encode()).digest()[:8], "big", signed=True
        )

    def closed(self, year: int) -> bool:
        """True once the year's last local day has passed (its figures only change by edits)."""
        return ENABLED and date(year, 12, 31) < self.today

    def storable(self, year: int) -> bool:
        """True for a closed year and for the running one: a year's figures depend on the
        data alone (never on today's date), and the running year's entry is dropped by
        the next write to any of its months, so the screen opened twice between two
        writes counts the year once (on a small site most of that is the suppression's)."""
        return ENABLED and year <= self.today.year

    def months(self, year: int) -> tuple[int, int]:
        """The first and last UTC month (generation keys) the local year touches."""
        lo, hi = utc_bounds(Period(date(year, 1, 1), date(year, 12, 31), str(year)), self.tz)
        return store.month_number(lo), store.month_number(hi - timedelta(microseconds=1))

    def generations(self, year: int) -> list[int]:
        """The current generations the year depends on (read before counting)."""
        first, last = self.months(year)
        with connection():
            return store.generations([*range(first, last + 1), store.GLOBAL])

    def current(self, year: int) -> bool:
        """True when ``year`` is stored and its entry would be used (without reading it)."""
        gens = self.generations(year)
        with connection():
            found = store.header(year)
        return found is not None and found[0] == self.context and json.loads(found[1]) == gens

    def restore(self, year: int) -> tuple[YearFigures, Answers] | list[int]:
        """The stored figures and answers of ``year`` if current, else the generations to
        store a fresh count under."""
        gens = self.generations(year)
        with connection():
            found = store.load(year)
        if found is None or found[0] != self.context or json.loads(found[1]) != gens:
            return self._fresh_generations(year)
        body = codec.unpack(found[2])
        queries = {_name(q): q for q in MERGES}
        answers = {}
        for name, args, value in body["answers"]:
            query = queries.get(name)
            if query is not None:
                unpack = PACKERS[query][1] if query in PACKERS else codec.decode
                answers[(query, codec.decode(args))] = unpack(value)
        figures: YearFigures = {
            label: (codec.Decoded(raw[1:]), codec.Decoded(dec[1:]))
            for label, (raw, dec) in body["figures"].items()
        }
        return figures, answers

    def _fresh_generations(self, year: int) -> list[int]:
        """The generations to store a fresh count of ``year`` under, read after giving each
        of its months a generation row (a write to a span of months bumps only months with
        a row: db.stats_triggers); a read-only database stores nothing anyway. Once a
        year's months have their rows (after its first count) this takes no write lock."""
        first, last = self.months(year)
        with connection():
            missing = store.months_without_rows(range(first, last + 1))
        if missing:
            try:
                with write_transaction():
                    store.make_rows(missing)
            except (StorageError, pw.DatabaseError):
                pass
        return self.generations(year)

    def keep(self, year: int, gens: list[int], figures: YearFigures, answers: Answers) -> None:
        """Store a fresh count of ``year`` made after reading ``gens``; a database that
        refuses the write (read-only) just goes without."""
        try:
            kept = [
                [
                    _name(query),
                    codec.encode(args),
                    (PACKERS.get(query) or (codec.encode,))[0](value),
                ]
                for (query, args), value in answers.items()
                if query in MERGES
            ]
            stored = {
                k: [codec.encode(list(r)), codec.encode(list(d))] for k, (r, d) in figures.items()
            }
            body = {"figures": stored, "answers": kept}
            blob = codec.pack(body)
        except TypeError:
            return  # an answer the codec does not know: count this year afresh next time
        try:
            with write_transaction():
                store.store(year, self.months(year), self.context, json.dumps(gens).encode(), blob)
        except (StorageError, pw.DatabaseError):
            return  # a read-only database: the next count is fresh too
