"""Seal drafts at rest: AES-256-GCM with the draft key from ``key_dir``.

A draft may hold a CPR (the check-in dialog, the intake form), so its text is
never written in clear: :func:`seal` turns the JSON into ``v1:`` plus base64 of
a random 96-bit nonce and the ciphertext with its tag. The associated data
binds a sealed draft to its user, so a row copied to another user's draft does
not open. A row from before sealing (plain JSON) still opens with
:func:`open_sealed`; :func:`seal_plain_drafts` rewrites such rows at start-up.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from akut_tui.core.errors import StorageError
from akut_tui.services.base.runtime import Runtime

PREFIX = "v1:"
"""Marks a sealed draft (plain JSON starts with ``{``)."""
NONCE_BYTES = 12


class UnreadableDraft(StorageError):
    """The draft was sealed with another key (the draft key file was replaced)."""


def _key(rt: Runtime) -> bytes:
    key = rt.keys.draft
    if key is None:
        raise StorageError("Nøglen til kladder mangler; kør 'akut init'.")
    return key


def _context(user_id: int) -> bytes:
    return f"akut-draft:{user_id}".encode("ascii")


def seal(rt: Runtime, user_id: int, text: str) -> str:
    """Return ``text`` sealed for ``user_id``'s draft."""
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(_key(rt)).encrypt(nonce, text.encode("utf-8"), _context(user_id))
    return PREFIX + base64.b64encode(nonce + body).decode("ascii")


def open_sealed(rt: Runtime, user_id: int, stored: str) -> str:
    """Return the text of a stored draft (sealed, or plain from before sealing)."""
    if not stored.startswith(PREFIX):
        return stored
    raw = base64.b64decode(stored[len(PREFIX) :])
    try:
        plain = AESGCM(_key(rt)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _context(user_id))
    except InvalidTag:
        raise UnreadableDraft("Kladden kan ikke læses (nøglen er skiftet).") from None
    return plain.decode("utf-8")


def is_sealed(stored: str) -> bool:
    """True when ``stored`` is a sealed draft."""
    return stored.startswith(PREFIX)
