"""Audit events in Danish words: what was done, to whom, from where.

A sentence is built from the action code, the actor's display name and the
person's nickname and masked CPR (``Mette så CPR for Ida (010190-XXXX)``).
Every piece of stored text is cleaned of control characters and any CPR-like
digits are redacted, so no plain CPR can reach a screen or a report.
"""

from __future__ import annotations

from akut_tui.core.cpr import mask_cpr, redact_cpr
from akut_tui.core.sanitize import clean_text

PHRASES: dict[str, str] = {
    "cpr.reveal": "så CPR for {p}",
    "person.lookup": "genkendte {p} ved registrering",
    "person.search": "søgte efter borgere",
    "person.merge": "lagde {p} sammen med en anden borger",
    "person.flag": "satte særlig opmærksomhed på {p}",
    "person.unflag": "fjernede særlig opmærksomhed fra {p}",
    "contact.create": "registrerede en henvendelse om {p}",
    "contact.update": "rettede en henvendelse om {p}",
    "contact.read": "åbnede en henvendelse om {p}",
    "beds.view": "så {p} på sengeoversigten",
    "beds.checkin": "tjekkede {p} ind",
    "stay.checkin": "tjekkede {p} ind i en seng",
    "stay.reserve": "reserverede en seng til {p}",
    "stay.override_gap": "tjekkede {p} ind trods pausen mellem ophold",
    "stay.override_max": "tjekkede {p} ind ud over det højeste antal nætter",
    "stay.reservation_expired": "reservationen til {p} udløb",
    "followup.complete": "afsluttede en opfølgning på {p}",
    "followup.phone": "så telefonnummeret til en opfølgning på {p}",
    "followup.referral": "registrerede om {p} kom frem til en henvisning",
    "followup.goal": "registrerede målopfyldelsen for {p}",
    "followup.list": "åbnede opfølgningerne",
    "login.ok": "loggede ind",
    "login.failed": "fik et forkert login",
    "login.lockout": "blev spærret efter forkerte logins",
    "session.idle_lock": "blev låst efter inaktivitet",
    "user.create": "oprettede en bruger",
    "user.create_first": "oprettede den første bruger",
    "user.role": "ændrede en brugers rolle",
    "user.unlock": "ophævede en spærring",
    "user.password": "nulstillede en adgangskode",
    "user.password_self": "skiftede sin adgangskode",
    "stats.export": "eksporterede statistik",
    "stats.export_unsuppressed": "eksporterede statistik uden diskretion",
    "audit.view": "så revisionssporet",
    "audit.person_view": "så revisionssporet for {p}",
    "audit.person_report": "dannede en indsigtsrapport om {p}",
    "audit.verify": "kontrollerede revisionssporet",
    "handover.write": "skrev en overlevering",
    "handover.read": "læste overleveringen",
    "retention.purge": "slettede gamle data (sletteregler)",
    "audit.purge": "slettede gamle hændelser fra revisionssporet",
    "site.identity": "oprettede stedets identitet",
}
"""Action code -> Danish predicate; ``{p}`` is the person."""

PLACES: dict[str, str] = {
    "cpr.reveal": "Personer (F7)",
    "person.merge": "Personer (F7)",
    "person.flag": "Personer (F7)",
    "person.unflag": "Personer (F7)",
    "person.search": "Personer (F7)",
    "person.lookup": "Registrering (F3)",
    "contact.create": "Registrering (F3)",
    "contact.update": "Registrering (F3)",
    "contact.read": "Henvendelser (F4)",
    "beds.view": "Senge (s)",
    "followup.complete": "Opfølgninger (F6)",
    "followup.phone": "Opfølgninger (F6)",
    "followup.referral": "Opfølgninger (F6)",
    "followup.goal": "Opfølgninger (F6)",
    "followup.list": "Opfølgninger (F6)",
    "audit.view": "Revisionsspor (a)",
    "audit.person_view": "Revisionsspor (a)",
    "audit.verify": "Revisionsspor (a)",
    "audit.person_report": "Indsigt (n)",
}
"""Action code -> the screen it is done from (prefix ``stay.``/``beds.``: the bed board)."""

KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cpr": ("CPR vist", ("cpr.reveal",)),
    "læst": (
        "Læsning af borgerdata",
        ("person.lookup", "contact.read", "beds.view", "followup.phone", "cpr.reveal"),
    ),
    "ændret": (
        "Ændring af borgerdata",
        (
            "contact.create", "contact.update", "person.merge", "person.flag",
            "person.unflag", "stay.checkin", "stay.reserve", "stay.override_gap",
            "stay.override_max", "followup.complete",
        ),
    ),
    "login": ("Log ind og låsning", ("login.ok", "login.failed", "login.lockout",
                                     "session.idle_lock")),
    "brugere": ("Brugerkonti", ("user.create", "user.create_first", "user.role", "user.unlock",
                                "user.password", "user.password_self")),
    "eksport": ("Eksport", ("stats.export", "stats.export_unsuppressed")),
    "revision": ("Revisionsspor", ("audit.view", "audit.person_view", "audit.person_report",
                                   "audit.verify", "audit.purge")),
}  # fmt: skip
"""Filter kind -> (Danish label, the action codes it covers)."""


def kind_help() -> str:
    """The kinds as a Danish hint: ``cpr, læst, ændret, ...``."""
    return ", ".join(KINDS)


def clean(text: str, length: int = 60) -> str:
    """Stored text made safe to show: no control characters, no CPR-like digits."""
    return redact_cpr(clean_text(text, max_length=length))


def person_text(person_id: int, nickname: str | None, cpr_plain: str | None, pseudo: bool) -> str:
    """``Ida (010190-XXXX)``, ``Ida``, ``010190-XXXX`` or ``borger nr. 12``; never a full CPR."""
    name = clean(nickname) if nickname else ""
    cpr = mask_cpr(cpr_plain) if (cpr_plain or pseudo) else ""
    if name and cpr:
        return f"{name} ({cpr})"
    return name or cpr or f"borger nr. {person_id}"


def who_text(username: str, display_name: str | None) -> str:
    """The actor: display name, else user name; ``os:x`` is ``x (kommandolinje)``.

    An event with no user at all (the site identity) is Akut's own.
    """
    if not username and display_name is None:
        return "Akut"
    if username.startswith("os:"):
        return f"{clean(username[3:], 40)} (kommandolinje)"
    return clean(display_name or username or "ukendt", 40)


def sentence(who: str, action: str, person: str, object_type: str, object_id: str) -> str:
    """The event as a Danish sentence."""
    phrase = PHRASES.get(action)
    if phrase is None:
        target = (
            f" ({clean(object_type, 30)} {clean(object_id, 40)})".rstrip() if object_type else ""
        )
        text = f"{who}: {clean(action, 40)}{target}"
    else:
        text = f"{who} {phrase.format(p=person or 'en borger')}"
    if person and (phrase is None or "{p}" not in phrase):
        text += f" ({person})"
    return text


def place(action: str, username: str) -> str:
    """From which screen or command the event came."""
    if username.startswith("os:"):
        return "kommandolinjen"
    if action in PLACES:
        return PLACES[action]
    if action.startswith(("stay.", "beds.")):
        return "Senge (s)"
    if action.startswith(("login.", "session.")):
        return "Log ind"
    if action.startswith("user."):
        return "Brugere (F9)"
    return ""
