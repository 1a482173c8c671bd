"""One-line, personal-data-free summaries of a contact form (for draft lists)."""

from __future__ import annotations

from akut_tui.core.clock import format_datetime
from akut_tui.services.base.value_lists import known_label
from akut_tui.services.contacts.form import ContactInput


def summarise(form: ContactInput, tz: str) -> str:
    """Return e.g. ``21-11-2026 22:14 · Telefon · Middelsvær`` (no names, no CPR)."""
    parts = []
    if form.started_at is not None:
        parts.append(format_datetime(form.started_at, tz))
    channel = known_label("channel", form.channel)
    if channel is not None:
        parts.append(channel)
        level = known_label("crisis_level", form.crisis_level) if form.crisis_level else None
        if level is not None:
            parts.append(level)
    return " · ".join(parts)
