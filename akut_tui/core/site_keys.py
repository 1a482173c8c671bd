"""The backup signing key and the site identity, two small files in ``key_dir``.

``backup.key`` (32 random bytes as hex, mode 0600) signs every ``akut backup``
(:mod:`akut_tui.core.backup_signature`); it is created by ``akut init`` and on
demand by the first backup of an installation made before it existed.
``site.id`` names this installation; the same id is written, signed with the
audit key, as the chain's identity event (seq 0), so a restore can refuse a
chain that is not this site's. Neither file is ever copied into a backup.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from akut_tui.core.cprscan import contains_cpr
from akut_tui.core.key_files import KeyFileError

BACKUP_KEY_FILE = "backup.key"
SITE_ID_FILE = "site.id"
_SITE_ID = re.compile(r"[0-9a-f]{32}")


def _write_private(path: Path, text: str) -> None:
    """Create ``path`` with mode 0600 (never overwrite); a lost race keeps the other file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def ensure_backup_key(directory: Path) -> bytes:
    """Return the backup signing key, creating ``backup.key`` if it is missing."""
    path = directory / BACKUP_KEY_FILE
    if not path.exists():
        _write_private(path, secrets.token_hex(32))
    return load_backup_key(directory)


def load_backup_key(directory: Path) -> bytes:
    """Read the backup signing key; raise :class:`KeyFileError` if it is missing or bad."""
    path = directory / BACKUP_KEY_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        raise KeyFileError(f"nøglefilen {path} mangler; kør 'akut init'") from None
    except (OSError, ValueError):
        raise KeyFileError(f"nøglefilen {path} kan ikke læses") from None


def read_site_id(directory: Path) -> str | None:
    """Return this site's id from ``site.id``, or None when there is none yet."""
    path = directory / SITE_ID_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise KeyFileError(f"filen {path} kan ikke læses") from None
    if _SITE_ID.fullmatch(text) is None:
        raise KeyFileError(f"filen {path} indeholder ikke en stedsidentitet")
    return text


def new_site_id() -> str:
    """Return a fresh random site id (32 hex digits) that the CPR detector never flags.

    The id is written into the audit chain's identity event, a checked text column:
    about one random id in a few hundred holds ten decimal digits in a row that read
    as a birth date, so such an id is drawn again.
    """
    while True:
        candidate = secrets.token_hex(16)
        if not contains_cpr(candidate):
            return candidate


def ensure_site_id(directory: Path, from_database: str | None) -> str:
    """Return the site id, creating ``site.id`` if missing.

    A new file takes the id the database's identity event already names (a
    key folder restored without it), otherwise a new random id.
    """
    current = read_site_id(directory)
    if current is not None:
        return current
    new = from_database if from_database and _SITE_ID.fullmatch(from_database) else None
    _write_private(directory / SITE_ID_FILE, new or new_site_id())
    found = read_site_id(directory)
    assert found is not None
    return found
