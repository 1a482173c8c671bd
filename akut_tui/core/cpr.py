"""Danish CPR number handling: parsing, masking, redaction and pseudonyms.

Rules (docs/security.md row 11):

* Accepted input is ``DDMMYY-NNNN`` or ``DDMMYYNNNN`` (a space may replace
  the dash; surrounding whitespace is ignored).
* The century comes from the seventh digit (the first of the four last
  digits) together with the year YY.
* The date must exist and must not lie after ``today``.
* There is deliberately **no** modulus-11 check: numbers without a valid
  check digit have been issued since 1 October 2007 and must be accepted.

A :class:`CprNumber` never shows its full digits in ``repr()``/``str()``, so
tracebacks and log lines that format it leak only the masked form.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Literal

from akut_tui.core.cprscan import REDACTED, contains_cpr, find_cpr, redact_cpr

__all__ = [
    "CprError",
    "CprNumber",
    "Gender",
    "contains_cpr",
    "find_cpr",
    "is_masked",
    "mask_cpr",
    "parse_cpr",
    "pseudonym",
    "redact_cpr",
]

Gender = Literal["mand", "kvinde"]

MSG_FORMAT = "CPR-nummeret skal have formen DDMMÅÅ-NNNN"
MSG_DATE = "CPR-nummeret indeholder en dato der ikke findes"
MSG_FUTURE = "CPR-nummeret ligger i fremtiden"

_INPUT_RE = re.compile(r"([0-9]{6})[- ]?([0-9]{4})")
_DIGITS_RE = re.compile(r"[0-9]{10}")

MASK_SUFFIX = "-XXXX"
"""What replaces the last four digits wherever a CPR number is shown."""


def mask_cpr(digits: str | None) -> str:
    """Return ``DDMMYY-XXXX``, or ``XXXXXX-XXXX`` when the digits are no longer kept.

    The one masking function: lists, forms and ``repr()`` all show a CPR this way.
    """
    return (digits[:6] if digits else REDACTED[:6]) + MASK_SUFFIX


def is_masked(text: str) -> bool:
    """Return True when ``text`` ends like a masked CPR (``...-XXXX``), not a typed one."""
    return text.endswith(MASK_SUFFIX)


class CprError(ValueError):
    """Raised for an invalid CPR number; ``str()`` is a Danish user message."""


def _century_year(yy: int, d7: int) -> int:
    """Return the full birth year from the two-digit year and the seventh digit."""
    if d7 <= 3:
        return 1900 + yy
    if d7 in (4, 9):
        return (2000 if yy <= 36 else 1900) + yy
    # d7 in 5..8
    return (2000 if yy <= 57 else 1800) + yy


def _birth_date(digits: str) -> datetime.date:
    """Return the birth date encoded in 10 normalised digits or raise CprError."""
    day = int(digits[0:2])
    month = int(digits[2:4])
    year = _century_year(int(digits[4:6]), int(digits[6]))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CprError(MSG_DATE) from None


def _normalise(text: str) -> str:
    """Return the 10 digits of a CPR-formatted string or raise CprError."""
    match = _INPUT_RE.fullmatch(text.strip())
    if match is None:
        raise CprError(MSG_FORMAT)
    return match.group(1) + match.group(2)


@dataclass(frozen=True, slots=True)
class CprNumber:
    """A validated CPR number.

    ``digits`` holds the 10 normalised digits; ``birth_date`` and ``gender``
    are derived from them. Build instances with :func:`parse_cpr`.
    """

    digits: str = field(repr=False)
    birth_date: datetime.date = field(repr=False)
    gender: Gender = field(repr=False)

    def __post_init__(self) -> None:
        """Check that the fields are consistent with each other."""
        if not isinstance(self.digits, str) or _DIGITS_RE.fullmatch(self.digits) is None:
            raise CprError(MSG_FORMAT)
        if self.birth_date != _birth_date(self.digits):
            raise ValueError("birth_date does not match the CPR digits")
        if self.gender != _gender(self.digits):
            raise ValueError("gender does not match the CPR digits")

    def formatted(self) -> str:
        """Return the full number as ``DDMMYY-NNNN``."""
        return f"{self.digits[:6]}-{self.digits[6:]}"

    def masked(self) -> str:
        """Return the number with the last four digits hidden: ``DDMMYY-XXXX``."""
        return mask_cpr(self.digits)

    def age_on(self, d: datetime.date) -> int:
        """Return the age in whole years on date ``d``.

        A person born on 29 February turns a year older on 1 March in
        non-leap years.
        """
        born = self.birth_date
        if d < born:
            raise ValueError("Datoen ligger før fødselsdatoen")
        age = d.year - born.year
        if (d.month, d.day) < (born.month, born.day):
            age -= 1
        return age

    def __repr__(self) -> str:
        """Return a representation that shows only the masked number."""
        return f"CprNumber({self.masked()!r})"

    __str__ = __repr__


def _gender(digits: str) -> Gender:
    """Return the legal gender encoded by the last digit (odd = mand)."""
    return "mand" if int(digits[9]) % 2 == 1 else "kvinde"


def parse_cpr(text: str, today: datetime.date) -> CprNumber:
    """Parse and validate a CPR number.

    Accepts ``DDMMYY-NNNN``, ``DDMMYY NNNN`` or ``DDMMYYNNNN`` with optional
    surrounding whitespace. Raises :class:`CprError` with a Danish message
    if the format is wrong, the date does not exist, or the birth date lies
    after ``today``. No modulus-11 check is made.
    """
    if not isinstance(text, str):
        raise CprError(MSG_FORMAT)
    digits = _normalise(text)
    born = _birth_date(digits)
    if born > today:
        raise CprError(MSG_FUTURE)
    return CprNumber(digits=digits, birth_date=born, gender=_gender(digits))


def pseudonym(digits: str, key: bytes) -> str:
    """Return the keyed pseudonym of a CPR number: HMAC-SHA256 hex digest.

    ``digits`` may be given with or without dash; the MAC is computed over
    the normalised 10 ASCII digits, so both forms give the same pseudonym.
    ``key`` must be non-empty.
    """
    if not key:
        raise ValueError("pseudonym key must not be empty")
    normalised = _normalise(digits)
    return hmac.new(key, normalised.encode("ascii"), hashlib.sha256).hexdigest()
