"""Exceptions raised by the services; every message is Danish and safe to show."""

from __future__ import annotations

import errno


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


OS_ERRORS: dict[str, str] = {
    "ENOENT": "filen eller mappen findes ikke",
    "EACCES": "adgang nægtet",
    "EPERM": "handlingen er ikke tilladt",
    "EISDIR": "det er en mappe, ikke en fil",
    "ENOTDIR": "en del af stien er ikke en mappe",
    "ENOSPC": "disken er fuld",
    "EDQUOT": "diskkvoten er brugt op",
    "EEXIST": "filen findes allerede",
    "EROFS": "filsystemet er skrivebeskyttet",
    "ENAMETOOLONG": "filnavnet er for langt",
    "EMFILE": "for mange åbne filer",
    "EIO": "læse- eller skrivefejl på disken",
    "ELOOP": "for mange symbolske links i stien",
    "EBUSY": "filen er i brug",
    "ETXTBSY": "filen er i brug",
    "EXDEV": "filen kan ikke flyttes til et andet filsystem",
}
"""errno name → Danish reason (the operating system's own text is English)."""


def os_error_text(exc: OSError) -> str:
    """Return a Danish reason for an OS error, never the system's English text."""

    name = errno.errorcode.get(exc.errno or 0, "")
    return OS_ERRORS.get(name, f"systemfejl {name or exc.errno or 'ukendt'}")
