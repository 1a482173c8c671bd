"""The audit log for the leader: filtered pages of events, newest first, in Danish words.

Pages go by key: each page asks for ``seq`` below the last one shown, through an
index that ends in ``seq`` (schema version 13), so the 1000th page costs what
the first does. A filter on a kind of action or on a person with merged records
is several equality filters; each is read through its index and the results
merged, never a scan. Only the leader (``audit.view``) may read the log, checked
here; the first page of every search is itself an audit event.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any, cast

from akut_tui.core.errors import ValidationError
from akut_tui.services.accounts.auth import normalise_username, require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.oversight.audit_dto import AuditFilter, AuditLine, AuditPage
from akut_tui.services.oversight.audit_people import resolve_person, seq_bounds
from akut_tui.services.oversight.audit_text import (
    KINDS,
    kind_help,
    person_text,
    place,
    sentence,
    who_text,
)
from akut_tui.services.statistics.periods import parse_date
from db.models import AuditEvent, Person, User
from db.utctime import aware_utc

PAGE = 50
"""Lines per page."""
_COLUMNS = (
    AuditEvent.seq, AuditEvent.at, AuditEvent.user_id, AuditEvent.username, AuditEvent.action,
    AuditEvent.object_type, AuditEvent.object_id, AuditEvent.person_ref,
)  # fmt: skip


def _branches(flt: AuditFilter, person_ids: list[int]) -> list[Any]:
    """One equality condition per index range to read (``[None]``: the whole log).

    The most selective filter picks the index: a person, else a user (one of
    many), else a kind of action (a few action codes, merged).
    """
    if person_ids:
        return [AuditEvent.person_ref == str(pid) for pid in person_ids]
    if flt.user:
        return [AuditEvent.username == flt.user]
    if flt.kind:
        return [AuditEvent.action == action for action in KINDS[flt.kind][1]]
    return [None]


def _unindexed(field: Any) -> Any:
    """``field || ''``: the same value, but no index is used for it.

    The other filters are checked row by row along the chosen index; left
    indexable, the planner may read a whole filter's range and sort it instead.
    """
    return field.concat("")


def _common(flt: AuditFilter, person_ids: list[int], low: int | None, high: int | None) -> Any:
    """The conditions every branch shares (those not used to pick the index)."""
    condition: Any = AuditEvent.seq >= (low if low is not None else 0)
    if high is not None:
        condition &= AuditEvent.seq <= high
    if flt.user and person_ids:
        condition &= _unindexed(AuditEvent.username) == flt.user
    if flt.kind and (person_ids or flt.user):
        condition &= _unindexed(AuditEvent.action).in_(KINDS[flt.kind][1])
    return condition


def read_events(
    branches: list[Any], common: Any, before: int | None, limit: int
) -> list[tuple[Any, ...]]:
    """The newest ``limit`` raw rows below ``before`` matching any branch; needs a connection."""
    lists: list[list[tuple[Any, ...]]] = []
    for branch in branches:
        condition = common if branch is None else (common & branch)
        if before is not None:
            condition &= AuditEvent.seq < before
        query = (
            AuditEvent.select(*_COLUMNS).where(condition).order_by(AuditEvent.seq.desc())
            .limit(limit).tuples()
        )  # fmt: skip
        lists.append([tuple(cast(Iterable[Any], row)) for row in query])
    if len(lists) == 1:
        return lists[0]
    merged = heapq.merge(*lists, key=lambda row: -int(row[0]))
    return [row for _, row in zip(range(limit), merged, strict=False)]


def render(rows: Iterable[tuple[Any, ...]]) -> list[AuditLine]:
    """Turn raw rows into Danish lines (one read each for the users and persons named)."""
    rows = list(rows)
    user_ids = {row[2] for row in rows if row[2] is not None}
    names = {
        int(u.id): str(u.display_name or "")
        for u in User.select(User.id, User.display_name).where(User.id.in_(list(user_ids)))
    }
    refs = {int(row[7]) for row in rows if str(row[7]).isdigit()}
    people = {
        int(p.id): person_text(p.id, p.nickname, p.cpr_plain, bool(p.cpr_key))
        for p in Person.select(Person.id, Person.nickname, Person.cpr_plain, Person.cpr_key).where(
            Person.id.in_(list(refs))
        )
    }
    lines = []
    for seq, at, user_id, username, action, otype, oid, pref in rows:
        who = who_text(str(username), names.get(user_id) if user_id is not None else None)
        ref = str(pref)
        person = people.get(int(ref), f"borger nr. {ref}") if ref.isdigit() else ""
        lines.append(
            AuditLine(
                seq=int(seq),
                at=aware_utc(at),
                who=who,
                text=sentence(who, str(action), person, str(otype), str(oid)),
                action=str(action),
                place=place(str(action), str(username)),
            )
        )
    return lines


def parse_filter(user: str, person: str, kind: str, start: str, end: str) -> AuditFilter:
    """The filter from the screen's fields; a bad date or kind raises :class:`ValidationError`.

    The error's ``field`` names the field (``user``, ``person``, ``kind``, ``start``, ``end``).
    """
    days = []
    for name, text in (("start", start), ("end", end)):
        try:
            days.append(parse_date(text) if text.strip() else None)
        except ValidationError as exc:
            raise ValidationError(str(exc), name) from None
    kind = kind.strip().lower()
    return check_filter(AuditFilter(user, person, kind, days[0], days[1]))


def check_filter(flt: AuditFilter) -> AuditFilter:
    """Refuse an unknown kind or a day range that ends before it starts."""
    if flt.kind and flt.kind not in KINDS:
        raise ValidationError(f"Ukendt slags handling. Vælg en af: {kind_help()}.", "kind")
    if flt.start and flt.end and flt.end < flt.start:
        raise ValidationError("Slutdatoen ligger før startdatoen.", "end")
    user = flt.user.strip()
    if user and not user.startswith("os:"):
        user = normalise_username(user)
    return AuditFilter(user, flt.person, flt.kind, flt.start, flt.end)


def audit_page(
    rt: Runtime,
    session: SignedInUser | None,
    flt: AuditFilter,
    before: int | None = None,
    limit: int = PAGE,
) -> AuditPage:
    """One page of the log under ``flt``, newest first, below seq ``before``.

    The first page (``before=None``) is audited as ``audit.view`` (with the
    person as reference when the filter names one).
    """
    flt = check_filter(flt)
    with connection():
        require(session, "audit.view")
        person_ids: list[int] = []
        if flt.person.strip():
            person_ids, _ = resolve_person(rt, flt.person)
        low, high = seq_bounds(rt, flt.start, flt.end)
        rows = read_events(_branches(flt, person_ids), _common(flt, person_ids, low, high),
                           before, limit + 1)  # fmt: skip
        lines = render(rows[:limit])
    if before is None:
        with write_transaction():
            require(session, "audit.view")
            audit.record(
                rt,
                "audit.person_view" if person_ids else "audit.view",
                actor=session,
                object_type="audit",
                object_id=flt.kind,
                person_ref=person_ids[0] if person_ids else "",
            )
    more = len(rows) > limit
    return AuditPage(tuple(lines), lines[-1].seq if more and lines else None)


def kinds() -> list[tuple[str, str]]:
    """(code, Danish label) of every kind of action the log can be filtered by."""
    return [(code, label) for code, (label, _) in KINDS.items()]
