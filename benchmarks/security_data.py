"""Synthetic data for ``security.py``: contacts over five years, CPR persons, audit chain."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

USER = "bench"


def build(folder: Path, contacts: int, cfg: Path) -> Path:
    """Fill the installed database of ``cfg`` (in ``folder``) with ``contacts`` contacts
    over five years, with notes, CPR persons and a matching audit chain; return ``cfg``."""
    from akut_tui.core.clock import shift_of
    from akut_tui.core.config import ShiftConfig
    from akut_tui.core.cpr import pseudonym
    from akut_tui.core.key_files import load_keys
    from akut_tui.services.audit.trail import GENESIS, _fields, compute_mac
    from db.database import database, open_database, write_transaction
    from db.models import AuditEvent, Contact, Person

    keys = load_keys(folder)
    open_database(f"sqlite:///{folder / 'akut.db'}", create=False)
    rng = random.Random(7)
    now = datetime.now(UTC).replace(tzinfo=None)
    start = now - timedelta(days=5 * 365)
    step = (now - start) / max(contacts, 1)
    persons = max(1, contacts // 5)
    with write_transaction():
        rows = []
        for n in range(persons):
            digits = f"{1 + n % 28:02d}{1 + n % 12:02d}{n % 100:02d}{n % 10000:04d}"
            rows.append(
                {
                    "cpr_key": pseudonym(digits, keys.pseudonym) + "",
                    "cpr_plain": digits,
                    "created_at": start,
                    "last_seen_at": start,
                }
            )
        # Pseudonyms must be unique: make the digits unique per person.
        seen: set[str] = set()
        unique = []
        for row in rows:
            if row["cpr_key"] not in seen:
                seen.add(row["cpr_key"])
                unique.append(row)
        for i in range(0, len(unique), 500):
            Person.insert_many(unique[i : i + 500]).execute()
        person_ids = [p.id for p in Person.select(Person.id)]
        batch = []
        for i in range(contacts):
            moment = start + step * i
            shift, day = shift_of(moment.replace(tzinfo=UTC), ShiftConfig(), "Europe/Copenhagen")
            anon = rng.random() < 0.6
            batch.append(
                {
                    "started_at": moment,
                    "shift": shift,
                    "shift_date": day,
                    "channel": "telefon",
                    "crisis_level": rng.choice(["let", "middel", "alvorlig"]),
                    "created_by": 1,
                    "created_at": moment,
                    "anonymous": anon,
                    "person": None if anon else rng.choice(person_ids),
                    "cpr_status": "anonym" if anon else "oplyst",
                    "note": f"note {i} " + "tekst " * rng.randint(5, 40),
                    "note_expires": (moment + timedelta(days=30)).date(),
                }
            )
            if len(batch) == 500:
                Contact.insert_many(batch).execute()
                batch = []
        if batch:
            Contact.insert_many(batch).execute()
        # The chain's times never go backwards: the synthetic (older) events come first,
        # then the events of the set-up (user creation...) chained on again after them.
        setup = list(AuditEvent.select().where(AuditEvent.seq > 0).order_by(AuditEvent.seq).dicts())
        AuditEvent.delete().where(AuditEvent.seq > 0).execute()
        seq, prev = 0, GENESIS
        events = []
        synthetic = [
            {
                "at": start + step * i,
                "user_id": 1,
                "username": USER,
                "action": "contact.create",
                "object_type": "contact",
                "object_id": str(i),
                "person_ref": "",
            }
            for i in range(contacts)
        ]
        for event in synthetic + setup:
            seq += 1
            values = {
                k: event[k]
                for k in (
                    "at",
                    "user_id",
                    "username",
                    "action",
                    "object_type",
                    "object_id",
                    "person_ref",
                )
            }
            fields = _fields(seq, prev_hash=prev, **values)
            mac = compute_mac(keys.audit, fields)
            events.append({**values, "seq": seq, "prev_hash": prev, "mac": mac})
            prev = mac
            if len(events) == 500:
                AuditEvent.insert_many(events).execute()
                events = []
        if events:
            AuditEvent.insert_many(events).execute()
    database.close()
    return cfg
