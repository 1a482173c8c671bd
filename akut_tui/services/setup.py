"""Start-up tasks that align the database with the configuration."""

from __future__ import annotations

from akut_tui.services.runtime import Runtime
from akut_tui.services.storage import write_transaction
from db.models import Bed


def sync_beds(rt: Runtime) -> None:
    """Create the configured beds and apply the out-of-service list.

    Beds no longer named in the configuration are kept (their stays are history)
    but taken out of service.
    """
    beds = rt.config.beds
    with write_transaction():
        existing = {bed.name: bed for bed in Bed.select()}
        for order, name in enumerate(beds.names):
            out = name in beds.out_of_service
            bed = existing.get(name)
            if bed is None:
                Bed.create(name=name, sort_order=order, out_of_service=out)
            elif bed.sort_order != order or bed.out_of_service != out:
                Bed.update(sort_order=order, out_of_service=out).where(Bed.id == bed.id).execute()
        for name, bed in existing.items():
            if name not in beds.names and not bed.out_of_service:
                Bed.update(out_of_service=True).where(Bed.id == bed.id).execute()
