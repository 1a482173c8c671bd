"""Start-up tasks that align the database with the configuration."""

from __future__ import annotations

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.night.out_of_service import close_period, open_period
from db.models import Bed

CONFIG_REASON = "Sat ude af drift i konfigurationen"
"""Reason stored for beds named in ``beds.out_of_service``."""
REMOVED_REASON = "Ikke længere i konfigurationen"


def sync_beds(rt: Runtime) -> None:
    """Create the configured beds and apply the out-of-service list.

    Beds no longer named in the configuration are kept (their stays are history)
    but taken out of service. A bed a leader took out of service on the board
    (with their own reason) stays out until a leader puts it back.

    A bed is matched to the configuration by the name it was created with
    (``config_name``), so a leader's rename in Akut survives a restart; a bed a
    leader added in Akut (``added_in_app``) is left to the leader (issue 18 §7).
    """
    beds = rt.config.beds
    at = rt.now()
    with write_transaction():
        every = list(Bed.select())
        taken = {bed.name for bed in every}
        existing = {bed.config_name or bed.name: bed for bed in every if not bed.added_in_app}
        for order, name in enumerate(beds.names):
            out = name in beds.out_of_service
            bed = existing.get(name)
            if bed is None and name in taken:
                continue  # a leader's bed already has this name: theirs wins
            if bed is None:
                created = Bed.create(
                    name=name,
                    sort_order=order,
                    out_of_service=out,
                    out_of_service_reason=CONFIG_REASON if out else None,
                )
                if out:
                    open_period(int(created.id), at, CONFIG_REASON, None)
                continue
            reason = bed.out_of_service_reason
            if (
                not out
                and bed.out_of_service
                and reason not in (None, CONFIG_REASON, REMOVED_REASON)
            ):
                out, reason = True, bed.out_of_service_reason  # a leader's own reason wins
            elif out:
                reason = CONFIG_REASON
            else:
                reason = None
            if (bed.sort_order, bed.out_of_service, bed.out_of_service_reason) != (
                order,
                out,
                reason,
            ):
                Bed.update(
                    sort_order=order, out_of_service=out, out_of_service_reason=reason
                ).where(Bed.id == bed.id).execute()
                if out:
                    open_period(int(bed.id), at, reason, None)
                elif bed.out_of_service:
                    close_period(int(bed.id), at, None)
        for name, bed in existing.items():
            if name not in beds.names and not bed.out_of_service:
                Bed.update(out_of_service=True, out_of_service_reason=REMOVED_REASON).where(
                    Bed.id == bed.id
                ).execute()
                open_period(int(bed.id), at, REMOVED_REASON, None)
