"""Exceptions raised by the services; every message is Danish and safe to show."""

from __future__ import annotations


class AkutError(Exception):
    """Base class: ``str(error)`` is a complete Danish sentence for the user."""


class PermissionDenied(AkutError):
    """The user's role does not allow the action (or the user is disabled)."""


class LoginFailed(AkutError):
    """Login refused; the same message for unknown user, wrong password and lockout."""


class NotFound(AkutError):
    """The record does not exist (or is not visible to the user)."""


class ValidationError(AkutError):
    """Input refused; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class StorageError(AkutError):
    """The database refused the write (disk full, locked too long, ...)."""
