"""Times are stored as UTC through one Peewee field (issue 17 §1), in the format they always had."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection, database
from db.models import ALL_MODELS, Contact
from db.utctime import UtcDateTimeField
from tests.night_helpers import session

ROOT = Path(__file__).resolve().parents[2]


def test_every_time_column_is_a_utc_field() -> None:
    import peewee as pw

    plain = [
        f"{model.__name__}.{name}"
        for model in ALL_MODELS
        for name, field in model._meta.fields.items()
        if isinstance(field, pw.DateTimeField) and not isinstance(field, UtcDateTimeField)
    ]
    assert plain == []


def test_an_aware_time_in_any_zone_is_stored_as_before_and_read_back_aware(rt: Runtime) -> None:
    staff: SignedInUser = session(rt, "mette")
    east = timezone(timedelta(hours=5))
    typed = datetime(2026, 11, 20, 23, 30, tzinfo=east)  # 18:30 UTC
    saved = contacts.save_contact(rt, staff, ContactInput(started_at=typed))
    with connection():
        raw = database.execute_sql(
            "SELECT started_at, created_at FROM contact WHERE id = ?", (saved.id,)
        ).fetchone()
        row = Contact.get_by_id(saved.id)
        found = Contact.select().where(Contact.started_at == typed).count()
    # The text SQLite held before the field (naive UTC, space separator): unchanged.
    assert raw == ("2026-11-20 18:30:00", "2026-11-20 19:00:00")
    assert row.started_at == typed and row.started_at.tzinfo == UTC
    assert found == 1  # a query converts an aware value the same way


def test_no_module_converts_times_by_hand() -> None:
    """No ``to_db``/``from_db`` helpers and no ``.replace(tzinfo=None)`` outside db/utctime.py."""
    found = []
    for package in ("akut_tui", "screens", "db"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative == "db/utctime.py" or "/migrations/" in relative:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                naive = name == "replace" and any(
                    k.arg == "tzinfo"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is None
                    for k in node.keywords
                )
                if name in ("to_db", "from_db") or naive:
                    found.append(f"{relative}:{node.lineno}")
    assert found == []
