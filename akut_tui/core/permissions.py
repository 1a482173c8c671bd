"""Roles and the permission matrix (docs/domain.md §6), checked by the services.

The matrix is the single source of truth: the UI asks it only to hide what the
user cannot use; every service call checks it again against the user's
current role in the database, so a demotion applies at the next action.
"""

from __future__ import annotations

STAFF = "medarbejder"
COORDINATOR = "koordinator"
LEADER = "leder"

ROLES: tuple[str, ...] = (STAFF, COORDINATOR, LEADER)
"""All roles, least privileged first."""

ROLE_LABELS: dict[str, str] = {
    STAFF: "Medarbejder",
    COORDINATOR: "Koordinator",
    LEADER: "Leder",
}

_ALL = frozenset(ROLES)
_COORD_UP = frozenset({COORDINATOR, LEADER})
_LEADER = frozenset({LEADER})

PERMISSIONS: dict[str, frozenset[str]] = {
    # Contacts and triage
    "contact.create": _ALL,
    "draft.keep": _ALL,  # a dialog's text kept as the user's own draft (issue 14)
    "contact.view_shift": _ALL,
    "contact.edit_own_shift": _ALL,
    "contact.edit_any": _COORD_UP,
    "contact.edit_locked": _LEADER,
    "contact.lock": _LEADER,
    "person.search": _ALL,
    "person.merge": _COORD_UP,
    "person.flag": _COORD_UP,
    "cpr.reveal": _COORD_UP,
    # Follow-ups
    "followup.view": _ALL,
    "followup.complete": _ALL,
    "followup.manage": _COORD_UP,
    # Beds and night work
    "beds.view": _ALL,
    "beds.checkin": _ALL,
    "beds.decide_night": _ALL,
    "beds.override_gap": _LEADER,
    "beds.configure": _LEADER,
    "outreach.log": _ALL,
    # Handover
    "handover.read": _ALL,
    "handover.write": _ALL,
    "handover.history": _COORD_UP,
    # Coordination
    "directory.manage": _COORD_UP,
    "quality.view": _COORD_UP,
    "frequent_users.view": _COORD_UP,
    "under18.view": _COORD_UP,
    # Statistics
    "stats.view_shift": _ALL,
    "stats.view_all": _LEADER,
    "stats.view": _COORD_UP,
    "stats.export": _LEADER,
    "stats.export_unsuppressed": _LEADER,
    # Administration
    "users.manage": _LEADER,
    "config.manage": _LEADER,
    "values.manage": _LEADER,
    "audit.view": _LEADER,
}
"""Action name → roles that may perform it."""


def allowed(role: str, action: str) -> bool:
    """Return True if ``role`` may perform ``action``; unknown actions are denied."""
    return role in PERMISSIONS.get(action, frozenset())


def role_label(role: str) -> str:
    """Return the Danish label of a role."""
    return ROLE_LABELS.get(role, role)


def may_edit_contact(role: str, *, locked: bool, own: bool, this_shift: bool) -> bool:
    """The edit rule for a saved contact (docs/domain.md §6).

    A locked contact only by a leader; otherwise coordinators and leaders may
    edit any contact, staff only their own and only during the shift it was
    registered in.
    """
    if locked:
        return allowed(role, "contact.edit_locked")
    if allowed(role, "contact.edit_any"):
        return True
    return allowed(role, "contact.edit_own_shift") and own and this_shift
