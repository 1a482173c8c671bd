"""Bed settings (leader, issue 18 §7): the beds, their out-of-service history, add and rename.

Out-of-service periods are kept as periods with reason and who
(:mod:`akut_tui.services.night.out_of_service`); this module reads them back for the
leader. A leader adds a bed or renames one here; the database keeps which
``config.toml`` name a bed came from, so the start-up alignment
(:func:`akut_tui.services.startup.setup.sync_beds`) keeps the leader's names. The
nightly rules (nights in a row, check-out time, reservation expiry) stay in
``config.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.night.beds import lock_beds
from db.models import Bed, BedOutOfService, User

PERMISSION = "beds.configure"
NAME_MAX = 40


@dataclass(frozen=True)
class BedSetting:
    """One bed as the settings screen lists it."""

    id: int
    name: str
    out_of_service: bool
    reason: str
    """Why it is out of service now (empty when in service)."""
    periods: int
    """How many out-of-service periods it has had."""
    source: str
    """``konfiguration`` (from config.toml) or ``tilføjet`` (added by a leader in Akut)."""


@dataclass(frozen=True)
class OutPeriod:
    """One period a bed was out of service (times naive UTC)."""

    started_at: datetime
    ended_at: datetime | None
    reason: str
    started_by: str
    ended_by: str


def list_beds(rt: Runtime, session: SignedInUser | None) -> list[BedSetting]:
    """Every bed in board order, with its state and number of out-of-service periods."""
    with connection():
        require(session, PERMISSION)
        counts: dict[int, int] = {}
        for period in BedOutOfService.select(BedOutOfService.bed):
            counts[period.bed_id] = counts.get(period.bed_id, 0) + 1
        return [
            BedSetting(
                id=bed.id,
                name=bed.name,
                out_of_service=bool(bed.out_of_service),
                reason=bed.out_of_service_reason or "",
                periods=counts.get(bed.id, 0),
                source="tilføjet" if bed.added_in_app else "konfiguration",
            )
            for bed in Bed.select().order_by(Bed.sort_order, Bed.id)
        ]


def out_of_service_history(
    rt: Runtime, session: SignedInUser | None, bed_id: int
) -> list[OutPeriod]:
    """The bed's out-of-service periods, newest first, with who started and ended them."""
    with connection():
        require(session, PERMISSION)
        if Bed.get_or_none(Bed.id == bed_id) is None:
            raise NotFound("Sengen findes ikke.")
        names = {user.id: user.username for user in User.select(User.id, User.username)}
        periods = (
            BedOutOfService.select()
            .where(BedOutOfService.bed == bed_id)
            .order_by(BedOutOfService.started_at.desc(), BedOutOfService.id.desc())
        )
        return [
            OutPeriod(
                started_at=period.started_at,
                ended_at=period.ended_at,
                reason=period.reason or "",
                started_by=names.get(period.started_by_id, "") if period.started_by_id else "",
                ended_by=names.get(period.ended_by_id, "") if period.ended_by_id else "",
            )
            for period in periods
        ]


def _checked_name(raw: str, bed_id: int | None) -> str:
    name = " ".join(clean_text(raw).split())
    if not name:
        raise ValidationError("Skriv sengens navn.", "name")
    if len(name) > NAME_MAX:
        raise ValidationError(f"Sengens navn må højst være {NAME_MAX} tegn.", "name")
    if contains_cpr(name):
        raise ValidationError("Et sengenavn må ikke ligne et CPR-nummer.", "name")
    for other in Bed.select(Bed.id, Bed.name):
        if other.id != bed_id and str(other.name).casefold() == name.casefold():
            raise ValidationError(f"Der findes allerede en seng med navnet {name}.", "name")
    return name


def add_bed(rt: Runtime, session: SignedInUser | None, name: str) -> BedSetting:
    """Add a bed at the end of the board, in service."""
    with write_transaction():
        require(session, PERMISSION)
        lock_beds()
        checked = _checked_name(name, None)
        last = Bed.select(Bed.sort_order).order_by(Bed.sort_order.desc()).first()
        bed = Bed.create(
            name=checked,
            sort_order=(int(last.sort_order) + 1) if last else 0,
            out_of_service=False,
            added_in_app=True,
        )
        audit.record(rt, "beds.add", actor=session, object_type="bed", object_id=bed.id)
        return BedSetting(bed.id, checked, False, "", 0, "tilføjet")


def rename_bed(rt: Runtime, session: SignedInUser | None, bed_id: int, name: str) -> BedSetting:
    """Give a bed a new name; its stays and periods stay with it (they follow the id)."""
    with write_transaction():
        require(session, PERMISSION)
        lock_beds(bed_id)
        bed = Bed.get_or_none(Bed.id == bed_id)
        if bed is None:
            raise NotFound("Sengen findes ikke.")
        checked = _checked_name(name, bed_id)
        if checked == bed.name:
            raise ValidationError("Navnet er uændret.", "name")
        changes: dict[str, object] = {"name": checked}
        if not bed.added_in_app and bed.config_name is None:
            changes["config_name"] = bed.name  # the config.toml name it still answers to
        Bed.update(**changes).where(Bed.id == bed_id).execute()
        audit.record(rt, "beds.rename", actor=session, object_type="bed", object_id=bed_id)
    return next(b for b in list_beds(rt, session) if b.id == bed_id)
