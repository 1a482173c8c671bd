"""Secret keys kept outside the database: the audit HMAC key and the CPR pseudonym key."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

AUDIT_KEY_FILE = "audit.key"
PSEUDONYM_KEY_FILE = "pseudonym.key"


class KeyFileError(RuntimeError):
    """A key file is missing or unreadable."""


@dataclass(frozen=True, repr=False)
class Keys:
    """The two keys; ``repr`` never shows them."""

    audit: bytes
    pseudonym: bytes

    def __repr__(self) -> str:
        return "Keys(<hidden>)"


def _write_key(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")


def _read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text)
    except FileNotFoundError:
        raise KeyFileError(f"nøglefilen {path} mangler; kør 'akut init'") from None
    except (OSError, ValueError):
        raise KeyFileError(f"nøglefilen {path} kan ikke læses") from None


def ensure_keys(directory: Path) -> Keys:
    """Create missing key files (mode 0600) in ``directory`` and return the keys."""
    from akut_tui.filemodes import make_private_dir

    make_private_dir(directory)
    for name in (AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE):
        path = directory / name
        if not path.exists():
            _write_key(path)
    return load_keys(directory)


def load_keys(directory: Path) -> Keys:
    """Read both keys from ``directory``."""
    return Keys(
        audit=_read_key(directory / AUDIT_KEY_FILE),
        pseudonym=_read_key(directory / PSEUDONYM_KEY_FILE),
    )
