"""Secret keys kept outside the database: audit HMAC, CPR pseudonym and draft keys.

The draft key (AES-256-GCM) seals drafts at rest: a draft may hold a CPR typed
into the check-in dialog or the intake form. ``akut init`` (and every start of
the TUI, which calls :func:`ensure_keys`) creates it when it is missing, so an
install from before drafts were sealed gets one at its next start. A read-only
tool that does not create keys (``audit verify``) gets ``draft=None`` and never
touches drafts. If the draft key is lost, drafts sealed with it cannot be read;
they are listed as unreadable and can only be discarded (they are short-lived
by design: the retention purge removes them after ``draft_days``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from akut_tui.core.filemodes import make_private_dir

AUDIT_KEY_FILE = "audit.key"
PSEUDONYM_KEY_FILE = "pseudonym.key"
DRAFT_KEY_FILE = "draft.key"
KEY_FILES = (AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE, DRAFT_KEY_FILE)
"""Every key file in ``key_dir``."""


class KeyFileError(RuntimeError):
    """A key file is missing or unreadable."""


@dataclass(frozen=True, repr=False)
class Keys:
    """The keys; ``repr`` never shows them."""

    audit: bytes
    pseudonym: bytes
    draft: bytes | None = None
    """The AES-GCM key that seals drafts; ``None`` when a read-only tool found none."""

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

    make_private_dir(directory)
    for name in KEY_FILES:
        path = directory / name
        if not path.exists():
            _write_key(path)
    return load_keys(directory)


def load_keys(directory: Path) -> Keys:
    """Read the keys from ``directory`` (the draft key only if its file exists)."""
    draft_path = directory / DRAFT_KEY_FILE
    return Keys(
        audit=_read_key(directory / AUDIT_KEY_FILE),
        pseudonym=_read_key(directory / PSEUDONYM_KEY_FILE),
        draft=_read_key(draft_path) if draft_path.exists() else None,
    )
