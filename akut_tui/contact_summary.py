"""One-line, personal-data-free summaries of a contact form (for draft lists)."""

from __future__ import annotations

from akut_tui.clock import format_datetime
from akut_tui.services.contact_input import ContactInput
from db.values import label


def summarise(form: ContactInput, tz: str) -> str:
    """Return e.g. ``21-11-2026 22:14 · Telefon · Middelsvær`` (no names, no CPR)."""
    parts = []
    if form.started_at is not None:
        parts.append(format_datetime(form.started_at, tz))
    try:
        parts.append(label("channel", form.channel))
        if form.crisis_level:
            parts.append(label("crisis_level", form.crisis_level))
    except KeyError:
        pass
    return " · ".join(parts)
