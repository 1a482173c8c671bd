"""Retention purge: every ``[retention]`` setting deletes something (docs/security.md row 27).

=================  =====================================================
Setting            What goes
=================  =====================================================
free_text_days     contact notes, counted from the contact's start (or
                   earlier, at the expiry stored when it was written)
handover_days      handover notes (and their read receipts), counted
                   from their shift date, or at their stored expiry
draft_days         unfinished registrations not touched for that long
plain_cpr_days     the plain CPR of a person whose last contact or stay
                   ended that long ago; the keyed pseudonym stays, so
                   unique-person statistics keep working
audit_days         audit events and login attempts older than that: a
                   prefix of the chain by ``seq``, up to the first event
                   that is not older; the chain records where it now
                   starts (an ``audit.purge`` event and the base's seq
                   and MAC in ``audit_base``), so verification still works
draft_days         also ``akut.db.before-restore-*`` copies (files)
(always)           phone numbers of follow-ups that are done
=================  =====================================================

The purge first verifies the whole chain (against the anchors it is given)
and deletes nothing from a broken chain (:class:`ChainBroken`, naming the
row): a back-dated or otherwise edited event is never purged away unnoticed.

Deletion is real: ``secure_delete`` zeroes the freed space, then
``VACUUM`` and ``wal_checkpoint(TRUNCATE)`` leave no copy in the database
file or the ``-wal``. The purge itself is audited with counts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from peewee import fn

from akut_tui.core.clock import local
from akut_tui.core.errors import AkutError
from akut_tui.core.site_keys import read_site_id
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import checkpoint_after_delete, connection, write_transaction
from db.database import vacuum
from db.models import (
    AuditBase,
    AuditEvent,
    Contact,
    ContactDraft,
    FollowUp,
    HandoverNote,
    LoginAttempt,
    Person,
    Stay,
)


class ChainBroken(AkutError):
    """The audit chain does not verify; nothing was purged. The message names the row."""

    def __init__(self, seq: int | None, problem: str) -> None:
        super().__init__(
            f"sletning afvist: revisionssporet er brudt ved række seq={seq}: {problem}. "
            "Intet er slettet."
        )
        self.seq = seq


@dataclass(frozen=True)
class PurgeLine:
    """One kind of data: how many rows went (or would go) and the cut-off."""

    what: str
    setting: str
    cutoff: str
    count: int


@dataclass(frozen=True)
class PurgeReport:
    """The outcome of :func:`purge`."""

    lines: tuple[PurgeLine, ...]
    dry_run: bool
    wal_clean: bool
    """False if a reader kept the -wal from being truncated (the next run retries)."""
    base: tuple[int, str] | None = None
    """The audit base this purge recorded (last purged seq, its MAC), if it cut the chain."""

    @property
    def total(self) -> int:
        """Rows changed or deleted in all."""
        return sum(line.count for line in self.lines)


def _expired_persons(cutoff: datetime) -> list[int]:
    """Persons holding a plain CPR whose last contact or stay ended before ``cutoff``."""
    contact_rows: list[Any] = list(
        Contact.select(Contact.person, fn.MAX(Contact.started_at))
        .where(Contact.person.is_null(False))
        .group_by(Contact.person)
        .tuples()
    )
    latest: dict[int, datetime] = {int(pid): at for pid, at in contact_rows}
    open_stay: set[int] = set()
    stay_rows: list[Any] = list(
        Stay.select(Stay.person, Stay.checked_in_at, Stay.checked_out_at).tuples()
    )
    for pid, checked_in, checked_out in stay_rows:
        if checked_out is None:
            open_stay.add(int(pid))
        end = checked_out or checked_in
        latest[int(pid)] = max(latest.get(int(pid), end), end)
    person_rows: list[Any] = list(
        Person.select(Person.id, Person.created_at, Person.last_seen_at)
        .where(Person.cpr_plain.is_null(False))
        .tuples()
    )
    expired = []
    for pid, created, seen in person_rows:
        if pid in open_stay:
            continue
        moments = [m for m in (created, seen, latest.get(pid)) if m is not None]
        if max(moments) < cutoff:
            expired.append(int(pid))
    return expired


def _audit_cut(cutoff: datetime) -> int:
    """The last seq of the chain's prefix that is older than ``cutoff`` (0: nothing to cut).

    Only a prefix by ``seq`` goes, up to the first event whose time is not older
    than the cut-off; one back-dated event in the middle cannot take the events
    before it along. The site identity (seq 0) is never cut.
    """
    first_kept = (
        AuditEvent.select(fn.MIN(AuditEvent.seq))
        .where(AuditEvent.seq > audit.IDENTITY_SEQ, ~(AuditEvent.at < cutoff))
        .scalar()
    )
    if first_kept is None:
        last = AuditEvent.select(fn.MAX(AuditEvent.seq)).scalar()
        return int(last or 0)
    return int(first_kept) - 1


def restore_copies(live: Path) -> list[Path]:
    """Return the ``<db>.before-restore-*`` copies beside the SQLite file ``live``."""
    return sorted(live.parent.glob(f"{live.name}.before-restore-*"))


def _expired_copies(live: Path | None, cutoff: datetime) -> list[Path]:
    """The before-restore copies (and their -wal/-shm) last written before ``cutoff``."""
    if live is None:
        return []
    stamp = cutoff.replace(tzinfo=UTC).timestamp()
    found = []
    for path in restore_copies(live):
        try:
            if path.stat().st_mtime < stamp:
                found.append(path)
        except FileNotFoundError:
            continue
    return found


def _remove_copies(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _check_chain(
    rt: Runtime, anchors: Mapping[int, str] | None, *, through: int | None = None
) -> None:
    site_id = read_site_id(rt.config.key_directory())
    report = audit.verify_chain(rt.keys.audit, anchors=anchors, site_id=site_id, through=through)
    if not report.ok:
        raise ChainBroken(report.first_bad_seq, report.problem)


def purge(
    rt: Runtime,
    *,
    dry_run: bool = False,
    run_vacuum: bool = True,
    anchors: Mapping[int, str] | None = None,
    live_file: Path | None = None,
) -> PurgeReport:
    """Apply every retention setting; with ``dry_run`` only count what would go.

    The audit chain is verified first, against ``anchors`` (seq -> MAC), inside
    the purge's own write transaction; a broken chain raises :class:`ChainBroken`
    and nothing changes. ``live_file`` is the SQLite database file, whose
    ``before-restore`` copies older than ``draft_days`` go too.
    """
    ret = rt.config.retention
    now_utc = rt.now()
    today: date = local(rt.now(), rt.config.site.timezone).date()

    def before(days: int) -> datetime:
        return now_utc - timedelta(days=days)

    note_cut, hand_cut = before(ret.free_text_days), today - timedelta(days=ret.handover_days)
    draft_cut, cpr_cut, audit_cut = (
        before(ret.draft_days),
        before(ret.plain_cpr_days),
        before(ret.audit_days),
    )
    notes = Contact.select(Contact.id).where(
        Contact.note.is_null(False),
        (Contact.started_at < note_cut) | (Contact.note_expires < today),
    )
    handovers = HandoverNote.select(HandoverNote.id).where(
        (HandoverNote.shift_date < hand_cut) | (HandoverNote.expires_on < today)
    )
    drafts = ContactDraft.select(ContactDraft.id).where(ContactDraft.updated_at < draft_cut)
    phones = FollowUp.select(FollowUp.id).where(
        FollowUp.done_at.is_null(False), FollowUp.phone.is_null(False)
    )
    attempts = LoginAttempt.select(LoginAttempt.id).where(LoginAttempt.at < audit_cut)
    base: tuple[int, str] | None = None
    copies = _expired_copies(live_file, draft_cut)
    # The whole chain is verified before the write lock is taken (it may take seconds
    # on a large chain, while the sessions go on writing); inside the deleting
    # transaction the prefix about to go is verified again, so no event is ever
    # deleted that was not verified under the same lock.
    with connection():
        _check_chain(rt, anchors)
    with connection() if dry_run else write_transaction():
        persons = _expired_persons(cpr_cut)
        cut_seq = max(_audit_cut(audit_cut), audit.purged_through())
        if not dry_run:
            _check_chain(rt, anchors, through=cut_seq)
        counts = {
            "notes": notes.count(),
            "handover": handovers.count(),
            "drafts": drafts.count(),
            "cpr": len(persons),
            "phones": phones.count(),
            "audit": AuditEvent.select()
            .where(AuditEvent.seq > audit.IDENTITY_SEQ, AuditEvent.seq <= cut_seq)
            .count(),
            "attempts": attempts.count(),
            "copies": len(copies),
        }
        if not dry_run:
            ids = [c.id for c in notes]
            Contact.update(note=None, note_expires=None).where(Contact.id.in_(ids)).execute()
            HandoverNote.delete().where(HandoverNote.id.in_([h.id for h in handovers])).execute()
            ContactDraft.delete().where(ContactDraft.id.in_([d.id for d in drafts])).execute()
            for start in range(0, len(persons), 500):
                Person.update(cpr_plain=None, cpr_plain_expires=None).where(
                    Person.id.in_(persons[start : start + 500])
                ).execute()
            FollowUp.update(phone=None).where(FollowUp.id.in_([f.id for f in phones])).execute()
            LoginAttempt.delete().where(LoginAttempt.at < audit_cut).execute()
            for kind, count in counts.items():
                if count:
                    audit.record(rt, "retention.purge", object_type=kind, object_id=count)
            if counts["audit"]:
                # Recorded before the cut, in the chain: verification starts after it.
                audit.record(rt, audit.PURGE_ACTION, object_type="audit_event", object_id=cut_seq)
                last_mac = str(AuditEvent.get(AuditEvent.seq == cut_seq).mac)
                AuditBase.create(seq=cut_seq, mac=last_mac, purged_at=now_utc)
                base = (cut_seq, last_mac)
                AuditEvent.delete().where(
                    AuditEvent.seq > audit.IDENTITY_SEQ, AuditEvent.seq <= cut_seq
                ).execute()
    if not dry_run:
        _remove_copies(copies)
    wal_clean = True
    if not dry_run and any(counts.values()):
        if run_vacuum:
            vacuum()
        wal_clean = checkpoint_after_delete()
    fmt = "%d-%m-%Y"
    lines = (
        PurgeLine(
            "Noter på henvendelser", "free_text_days", note_cut.strftime(fmt), counts["notes"]
        ),
        PurgeLine(
            "Overleveringsnoter", "handover_days", hand_cut.strftime(fmt), counts["handover"]
        ),
        PurgeLine("Kladder", "draft_days", draft_cut.strftime(fmt), counts["drafts"]),
        PurgeLine("CPR i klartekst", "plain_cpr_days", cpr_cut.strftime(fmt), counts["cpr"]),
        PurgeLine("Telefonnumre (afsluttet opfølgning)", "-", "afsluttet", counts["phones"]),
        PurgeLine("Revisionshændelser", "audit_days", audit_cut.strftime(fmt), counts["audit"]),
        PurgeLine("Loginforsøg", "audit_days", audit_cut.strftime(fmt), counts["attempts"]),
        PurgeLine(
            "Kopier fra før gendannelse", "draft_days", draft_cut.strftime(fmt), counts["copies"]
        ),
    )
    return PurgeReport(lines, dry_run, wal_clean, base)
