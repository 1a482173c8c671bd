"""Password policy (docs/security.md row 18 and the decision on passwords).

* NFKC normalisation before any check (and before hashing: callers hash the
  string returned by :func:`check_password`).
* At least ``min_length`` (default 15) and at most 128 code points.
* No composition rules.
* Rejected if the lower-cased password is on the bundled common-password list
  (top 10,000 of the zxcvbn frequency list plus common Danish passwords).
* Rejected if it equals a context word (username, "akut", "akuttilbud", site
  name, municipality name, ...) or is built around one: a context word of at
  least 4 characters contained in the password is rejected only if the
  password without it would be shorter than ``min_length``.
* Rejected if it consists of very few distinct characters (e.g. "aaaa...").
* Control characters, bidi controls and lone surrogates are refused.
"""

from __future__ import annotations

import functools
import importlib.resources
import unicodedata
from collections.abc import Sequence

from akut_tui.core.sanitize import is_clean

__all__ = [
    "DEFAULT_MIN_LENGTH",
    "MAX_LENGTH",
    "PasswordPolicyError",
    "check_password",
    "is_common_password",
    "normalise_password",
]

DEFAULT_MIN_LENGTH = 15
MAX_LENGTH = 128
MIN_DISTINCT_CHARS = 5
SERVICE_WORDS: tuple[str, ...] = ("akut", "akuttilbud")
CONTAINS_MIN_WORD_LENGTH = 4


class PasswordPolicyError(ValueError):
    """Raised when a password breaks the policy; ``str()`` is a Danish user message."""


@functools.cache
def _common_passwords() -> frozenset[str]:
    """Load the bundled common-password list once."""
    text = (
        importlib.resources.files("akut_tui.data")
        .joinpath("common_passwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _fold(text: str) -> str:
    """Return the NFKC-normalised, lower-cased form used for comparisons."""
    return unicodedata.normalize("NFKC", text).lower()


def normalise_password(password: str) -> str:
    """Return the NFKC form in which passwords are both hashed and checked.

    Normalising at both ends lets a password typed with decomposed letters,
    ligatures or full-width characters match the one that was set.
    """
    return unicodedata.normalize("NFKC", password)


def is_common_password(password: str) -> bool:
    """Return True if the NFKC-normalised, lower-cased password is on the common list."""
    return _fold(password) in _common_passwords()


def check_password(
    password: str,
    *,
    username: str,
    context_words: Sequence[str] = (),
    min_length: int = DEFAULT_MIN_LENGTH,
) -> str:
    """Validate a new password and return its NFKC-normalised form.

    ``context_words`` are extra words the password must not be built on,
    typically the site name and the municipality name; "akut" and
    "akuttilbud" are always included. Raises :class:`PasswordPolicyError`
    with a Danish message when the password is refused.
    """
    if min_length < 1 or min_length > MAX_LENGTH:
        raise ValueError("min_length must be between 1 and MAX_LENGTH")
    if not isinstance(password, str):
        raise PasswordPolicyError("Adgangskoden er ugyldig")
    if not is_clean(password):
        raise PasswordPolicyError(
            "Adgangskoden indeholder ugyldige tegn (fx kontroltegn eller linjeskift)"
        )
    normalised = unicodedata.normalize("NFKC", password)
    length = len(normalised)
    if length < min_length:
        raise PasswordPolicyError(f"Adgangskoden skal være mindst {min_length} tegn")
    if length > MAX_LENGTH:
        raise PasswordPolicyError(f"Adgangskoden må højst være {MAX_LENGTH} tegn")

    folded = normalised.lower()
    if folded in _common_passwords():
        raise PasswordPolicyError("Adgangskoden er for almindelig")
    if len(set(folded)) < MIN_DISTINCT_CHARS:
        raise PasswordPolicyError("Adgangskoden består af for få forskellige tegn")

    user = _fold(username).strip()
    if user and _built_on(folded, user, min_length):
        raise PasswordPolicyError("Adgangskoden må ikke indeholde brugernavnet")
    # Longest words first, so the message names the most specific word.
    words = sorted((*SERVICE_WORDS, *context_words), key=len, reverse=True)
    for word in words:
        w = _fold(word).strip()
        if w and _built_on(folded, w, min_length):
            raise PasswordPolicyError(f"Adgangskoden må ikke bygge på ordet »{word.strip()}«")
    return normalised


def _built_on(folded: str, word: str, min_length: int) -> bool:
    """Return True if ``folded`` equals ``word`` or is mostly made of it.

    Containment counts only for words of at least 4 characters, and only if
    the password with every occurrence of the word removed would be shorter
    than ``min_length``.
    """
    if folded == word:
        return True
    if len(word) < CONTAINS_MIN_WORD_LENGTH or word not in folded:
        return False
    return len(folded.replace(word, "")) < min_length
