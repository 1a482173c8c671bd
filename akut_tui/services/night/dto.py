"""Frozen data objects for the night work: bed board, stays, outreach and handover.

Kept apart from :mod:`akut_tui.services.base.dto` so the night screens and the
intake screens can change independently. Every text field is already
sanitised and never holds a full CPR number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

FREE = "ledig"
OCCUPIED = "optaget"
RESERVED = "reserveret"
OUT_OF_SERVICE = "ude_af_drift"
SLEPT = "tjekket_ud"
"""A night already slept by a guest who has checked out: not bookable again."""

STATUS_LABELS: dict[str, str] = {
    FREE: "Ledig",
    OCCUPIED: "Optaget",
    RESERVED: "Reserveret",
    OUT_OF_SERVICE: "Ude af drift",
    SLEPT: "Tjekket ud",
}
"""Bed state → the Danish word shown on the board (status is text, not colour)."""

DECISION_LABELS: dict[str, str] = {
    "forlaeng": "Forlæng",
    "afslut": "Afslut",
    "henvist": "Henvist videre",
}
"""Nightly decision code → Danish label."""


@dataclass(frozen=True)
class BedCell:
    """One bed on one night."""

    status: str
    """One of :data:`FREE`, :data:`OCCUPIED`, :data:`RESERVED`, :data:`OUT_OF_SERVICE`."""
    stay_id: int | None = None
    guest: str = ""
    """Pseudonym (nickname or "Gæst nr. N"); never a full CPR."""
    cpr_masked: str = ""
    """``DDMMYY-XXXX``."""
    night_label: str = ""
    """Night number of the stay over the maximum, e.g. ``2/3``."""
    checkout: str = ""
    """Planned check-out as ``dd-mm TT:MM`` (local)."""
    decision: str | None = None
    """This night's recorded decision code, if any."""
    decision_missing: bool = False
    """True for an occupied bed tonight without a recorded decision."""
    reason: str = ""
    """Why a bed is out of service."""
    overdue: bool = False
    """The stay's last night is over but the guest was never checked out."""

    def label(self) -> str:
        """Return the status word (plus night or reason) as plain text."""
        if self.overdue:
            return "Ikke tjekket ud"
        text = STATUS_LABELS[self.status]
        if self.status == OCCUPIED and self.night_label:
            text = f"{text} {self.night_label}"
        return text


@dataclass(frozen=True)
class BedRow:
    """One bed with its cells for the board's nights."""

    bed_id: int
    name: str
    out_of_service: bool
    cells: tuple[BedCell, ...]


@dataclass(frozen=True)
class BedBoard:
    """The board: every bed for tonight and the next nights."""

    nights: tuple[date, ...]
    """Tonight first."""
    rows: tuple[BedRow, ...]
    free_tonight: int
    missing_decisions: int
    valid_until: datetime | None
    """When the board changes by the clock alone (a reservation expires, the night
    rolls over); an aware UTC datetime. The screen reloads then even without writes."""
    coming: int = 0
    """Index of the night a check-in books by default: 1 in the morning (before
    ``checkout_time``, when ``nights[0]`` is last night), else 0."""

    @property
    def morning(self) -> bool:
        """True while the first column is last night (it is ending)."""
        return self.coming == 1


@dataclass(frozen=True)
class StayResult:
    """Confirmation of a check-in, reservation, decision or check-out."""

    stay_id: int
    bed_name: str
    night_date: date
    night_number: int
    guest: str
    contact_id: int | None
    message: str
    """A Danish sentence for the status line."""


@dataclass(frozen=True)
class TripRow:
    """One outreach trip (no citizen details, by design)."""

    id: int
    user: str
    companion: str
    departed_at: datetime
    returned_at: datetime | None


@dataclass(frozen=True)
class SiteStatus:
    """Who is on site and who is out, for every screen's header line."""

    on_site: tuple[str, ...]
    out: tuple[tuple[str, datetime], ...]
    """(name, departed at) for everyone on an open trip."""
    text: str
    """``På stedet: Mette · Ude: Jonas siden 01:40``."""
    alone: bool
    """Exactly one person on site while someone is out."""


@dataclass(frozen=True)
class HandoverItem:
    """One I-PASS line of a handover: situation, action, if-then plan or free text."""

    id: int
    category: str
    body: str
    owner: str
    due_at: datetime | None
    done_at: datetime | None
    done_by: str
    pinned_until: date | None
    resolved_at: datetime | None
    author: str
    shift: str
    shift_date: date
    """The shift the item was written in (a pinned item may come from an earlier one)."""
    new: bool = False
    """Added or changed after the newest signature: the handover needs a new one."""
    deleted_by: str = ""
    deleted_at: datetime | None = None
    """A deleted item keeps only the line "slettet af X kl. HH:MM"."""


@dataclass(frozen=True)
class DerivedFigures:
    """The shift's own data, computed at display time (never copied into text)."""

    contacts_by_level: tuple[tuple[str, int], ...]
    """(crisis level label, count), including "Ikke vurderet"."""
    contacts_total: int
    severe: int
    escalations: tuple[tuple[str, int], ...]
    """(escalation label, count) among the shift's contacts."""
    beds: tuple[tuple[str, str], ...]
    """(bed name, "Optaget 2/3 · beslutning mangler" …) for tonight."""
    followups_due: int
    """Open 14-day follow-ups due by the day after the shift."""
    turned_away: tuple[tuple[str, int], ...]
    unmet_bed_requests: int
    trips: tuple[TripRow, ...]


@dataclass(frozen=True)
class HandoverView:
    """A shift's handover: the derived figures plus the written I-PASS part."""

    shift: str
    shift_date: date
    label: str
    """e.g. ``Nat 20-11-2026``."""
    state: str | None
    """rolig | hold_oeje | ustabil, or None when nothing is written yet."""
    items: tuple[HandoverItem, ...]
    pinned: tuple[HandoverItem, ...]
    """Pinned, unresolved items from earlier shifts that are still in force."""
    acked_by: tuple[str, ...]
    """Who signed the handover as it is now."""
    derived: DerivedFigures | None
    editable: bool
    earlier_acks: tuple[str, ...] = ()
    """Who signed before a later change (their signature does not cover it)."""


@dataclass(frozen=True)
class HandoverSummary:
    """One line of the handover history."""

    shift: str
    shift_date: date
    label: str
    state: str | None
    items: int
    acked_by: tuple[str, ...]
    expires_on: date
