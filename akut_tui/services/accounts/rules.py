"""The rules of user administration that hold whoever acts (issue 18 §1).

* A leader acting from a session confirms with their own password first
  (:func:`reauthenticate`); a wrong password counts toward their lockout.
* The last active leader can be neither disabled nor given another role, and
  nobody disables their own account or lowers their own role
  (:func:`check_change`).
* A display name must not look like a CPR number (:func:`checked_display_name`).
* A one-time password is drawn from :mod:`secrets` and passes the password
  policy (:func:`new_one_time_password`).
"""

from __future__ import annotations

import secrets

from akut_tui.core import permissions
from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import PermissionDenied, ValidationError
from akut_tui.core.passwords import PasswordPolicyError, check_password
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import verify_session_password
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from db.models import User

WRONG_PASSWORD = "Forkert adgangskode. Handlingen er ikke udført."
NO_PASSWORD = "Bekræft med din egen adgangskode."
LAST_LEADER = "Der skal være mindst én aktiv leder. Opret eller aktivér en anden leder først."
OWN_ROLE = "Du kan ikke sænke din egen rolle."
OWN_ACCOUNT = "Du kan ikke deaktivere din egen konto."
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Letters and digits that are not mistaken for one another when read aloud or typed."""
GROUP = 4


def reauthenticate(rt: Runtime, actor: SignedInUser | None, reauth: str | None) -> None:
    """Check the acting leader's own password; the server operator (``None``) needs none.

    Call after the permission check and outside any transaction (it hashes).
    """
    if actor is None:
        return
    if not reauth:
        raise ValidationError(NO_PASSWORD, "password")
    if not verify_session_password(rt, actor, reauth, "reauth"):
        raise ValidationError(WRONG_PASSWORD, "password")


def checked_display_name(raw: str) -> str:
    """Return the cleaned display name, refusing one that looks like a CPR number."""
    name = clean_text(raw, max_length=120)
    if contains_cpr(name):
        raise ValidationError("Et visningsnavn må ikke ligne et CPR-nummer.", "display_name")
    return name


def _rank(role: str) -> int:
    return permissions.ROLES.index(role) if role in permissions.ROLES else -1


def check_change(
    actor: SignedInUser | None, user: User, *, role: str | None = None, active: bool | None = None
) -> None:
    """Refuse a change that leaves no active leader or that demotes or disables oneself.

    Must be called with a connection open (inside the write transaction of the change).
    """
    new_role = role if role is not None else str(user.role)
    new_active = active if active is not None else bool(user.active)
    if actor is not None and user.id == actor.user_id:
        if not new_active:
            raise ValidationError(OWN_ACCOUNT, "username")
        if _rank(new_role) < _rank(str(user.role)):
            raise PermissionDenied(OWN_ROLE)
    stays_leader = new_role == permissions.LEADER and new_active
    if user.role == permissions.LEADER and user.active and not stays_leader:
        others = (
            User.select()
            .where(User.role == permissions.LEADER, User.active == True, User.id != user.id)  # noqa: E712
            .exists()
        )
        if not others:
            raise PermissionDenied(LAST_LEADER)


def new_one_time_password(min_length: int, username: str) -> str:
    """Draw a one-time password: groups of four characters joined by hyphens.

    At least four groups (19 characters, about 78 bits; more groups when the
    policy's minimum is higher); it is drawn again in the unlikely case the policy
    refuses it.
    """
    groups = max(4, -(-(min_length + 1) // (GROUP + 1)))
    while True:
        text = "-".join(
            "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(GROUP)) for _ in range(groups)
        )
        try:
            return check_password(text, username=username, min_length=min_length)
        except PasswordPolicyError:
            continue
