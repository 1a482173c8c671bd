"""Signatures of backups: HMAC-SHA256 over the whole file, stored beside it.

``akut backup FILE`` writes ``FILE.sig``, one line::

    akut-backup-signature v1 hmac-sha256=<64 hex>

keyed with ``backup.key`` in ``key_dir`` (:mod:`akut_tui.core.site_keys`). Any change
to the file, in any table, changes the MAC, so ``akut restore`` refuses an
edited copy even where the audit chain would not see it (notes, users, roles).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

SUFFIX = ".sig"
_LINE = re.compile(r"akut-backup-signature v1 hmac-sha256=([0-9a-f]{64})\s*")


class SignatureError(Exception):
    """The signature is missing, unreadable or does not match; the message is Danish."""


def signature_path(backup: Path) -> Path:
    """Return where the signature of ``backup`` lives."""
    return backup.with_name(backup.name + SUFFIX)


def file_mac(key: bytes, path: Path) -> str:
    """Return the HMAC-SHA256 of the bytes of ``path``."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            mac.update(chunk)
    return mac.hexdigest()


def sign(key: bytes, backup: Path) -> Path:
    """Write ``backup``'s signature file (mode 0600, synced) and return its path."""
    target = signature_path(backup)
    line = f"akut-backup-signature v1 hmac-sha256={file_mac(key, backup)}\n"
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return target


def check(key: bytes, backup: Path) -> None:
    """Raise :class:`SignatureError` unless ``backup.sig`` holds the file's MAC under ``key``."""
    path = signature_path(backup)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise SignatureError(
            f"kopien har ingen signatur ({path.name} mangler); en kopi fra et andet værktøj "
            "kan kun gendannes med --unsigned"
        ) from None
    except (OSError, UnicodeDecodeError):
        raise SignatureError(f"signaturen {path.name} kan ikke læses") from None
    match = _LINE.fullmatch(text)
    if match is None:
        raise SignatureError(f"signaturen {path.name} har et ukendt format")
    if not hmac.compare_digest(match.group(1), file_mac(key, backup)):
        raise SignatureError(
            "signaturen passer ikke: kopien er ændret efter sikkerhedskopieringen "
            "(eller den er lavet med en anden nøgle)"
        )
