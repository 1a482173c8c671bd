"""Table tests for CPR parsing, masking, redaction and pseudonyms (docs/security.md row 11)."""

from __future__ import annotations

import datetime
import traceback

import pytest

from akut_tui.core.cpr import (
    CprError,
    CprNumber,
    find_cpr,
    parse_cpr,
    pseudonym,
    redact_cpr,
)

TODAY = datetime.date(2025, 6, 1)

MSG_FORMAT = "CPR-nummeret skal have formen DDMMÅÅ-NNNN"
MSG_DATE = "CPR-nummeret indeholder en dato der ikke findes"
MSG_FUTURE = "CPR-nummeret ligger i fremtiden"

MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def mod11_ok(digits: str) -> bool:
    """Return True if the digits pass the old modulus-11 check."""
    return sum(int(c) * w for c, w in zip(digits, MOD11_WEIGHTS, strict=True)) % 11 == 0


# (input, expected birth date)
VALID: list[tuple[str, datetime.date]] = [
    ("010160-1235", datetime.date(1960, 1, 1)),
    ("0101601235", datetime.date(1960, 1, 1)),
    ("010160 1235", datetime.date(1960, 1, 1)),
    ("  010160-1235\t", datetime.date(1960, 1, 1)),
    ("311299-0001", datetime.date(1999, 12, 31)),
    # d7 0-3 -> 19xx
    ("150536-0000", datetime.date(1936, 5, 15)),
    ("150520-3999", datetime.date(1920, 5, 15)),
    # d7 4 or 9 -> 20xx if YY <= 36 else 19xx
    ("150520-4000", datetime.date(2020, 5, 15)),
    ("150510-9000", datetime.date(2010, 5, 15)),
    ("150537-4000", datetime.date(1937, 5, 15)),
    ("150599-9000", datetime.date(1999, 5, 15)),
    # d7 5-8 -> 20xx if YY <= 57 else 18xx
    ("150520-5000", datetime.date(2020, 5, 15)),
    ("150501-8000", datetime.date(2001, 5, 15)),
    ("150558-5000", datetime.date(1858, 5, 15)),
    ("150599-8000", datetime.date(1899, 5, 15)),
    # birth today is allowed
    ("010625-4000", TODAY),
]

# 29 February under each century rule: (input, expected date or None if invalid)
LEAP: list[tuple[str, datetime.date | None]] = [
    ("290200-0123", None),  # d7 0 -> 1900, not a leap year
    ("290200-3123", None),  # d7 3 -> 1900
    ("290296-0123", datetime.date(1996, 2, 29)),  # d7 0 -> 1996, leap
    ("290297-2123", None),  # d7 2 -> 1997
    ("290200-4123", datetime.date(2000, 2, 29)),  # d7 4, YY 00 <= 36 -> 2000, leap
    ("290200-9123", datetime.date(2000, 2, 29)),  # d7 9 -> 2000, leap
    ("290240-4123", datetime.date(1940, 2, 29)),  # d7 4, YY 40 > 36 -> 1940, leap
    ("290237-9123", None),  # d7 9, YY 37 > 36 -> 1937, not leap
    ("290200-5123", datetime.date(2000, 2, 29)),  # d7 5, YY 00 <= 57 -> 2000, leap
    ("290220-8123", datetime.date(2020, 2, 29)),  # d7 8 -> 2020, leap
    ("290260-5123", datetime.date(1860, 2, 29)),  # d7 5, YY 60 > 57 -> 1860, leap
    ("290264-8123", datetime.date(1864, 2, 29)),  # d7 8 -> 1864, leap
    ("290258-6123", None),  # d7 6, YY 58 > 57 -> 1858, not leap
    ("290257-7123", None),  # d7 7, YY 57 <= 57 -> 2057, not leap (date checked first)
]

INVALID_FORMAT = [
    "",
    "   ",
    "010160",
    "010160-123",
    "010160-12345",
    "01016012345",
    "010160--1235",
    "010160_1235",
    "0101-60-1235",
    "01 01 60 1235",
    "abcdef-ghij",
    "010160-12a5",
    "010160–1235",  # en dash
    "٠١٠١٦٠١٢٣٥",  # Arabic-Indic digits are not CPR digits
    "010160-1235x",
    "x010160-1235",
    "010160-1235\n0101601235",
]

INVALID_DATE = [
    "310299-1234",  # 31 Feb
    "300299-1234",  # 30 Feb
    "310499-1234",  # 31 Apr
    "000199-1234",  # day 0
    "320199-1234",  # day 32
    "010099-1234",  # month 0
    "011399-1234",  # month 13
]

FUTURE = [
    "020625-4000",  # 2 Jun 2025, the day after TODAY
    "010136-4000",  # 2036
    "010157-5000",  # 2057
    "290236-4123",  # 29 Feb 2036 exists but lies in the future
]


@pytest.mark.parametrize(("text", "born"), VALID)
def test_valid(text: str, born: datetime.date) -> None:
    cpr = parse_cpr(text, TODAY)
    assert cpr.birth_date == born
    assert len(cpr.digits) == 10 and cpr.digits.isdigit()
    assert cpr.formatted() == f"{cpr.digits[:6]}-{cpr.digits[6:]}"


def test_forms_normalise_to_same_number() -> None:
    forms = ["010160-1235", "0101601235", "010160 1235", " 0101601235 "]
    parsed = {parse_cpr(f, TODAY) for f in forms}
    assert len(parsed) == 1
    assert parsed.pop().digits == "0101601235"


@pytest.mark.parametrize(("text", "expected"), LEAP)
def test_29_february_per_century_rule(text: str, expected: datetime.date | None) -> None:
    if expected is None:
        with pytest.raises(CprError) as info:
            parse_cpr(text, TODAY)
        assert str(info.value) == MSG_DATE
    else:
        assert parse_cpr(text, TODAY).birth_date == expected


@pytest.mark.parametrize("text", INVALID_FORMAT)
def test_invalid_format(text: str) -> None:
    with pytest.raises(CprError) as info:
        parse_cpr(text, TODAY)
    assert str(info.value) == MSG_FORMAT


@pytest.mark.parametrize("text", INVALID_DATE)
def test_invalid_date(text: str) -> None:
    with pytest.raises(CprError) as info:
        parse_cpr(text, TODAY)
    assert str(info.value) == MSG_DATE


@pytest.mark.parametrize("text", FUTURE)
def test_future_rejected(text: str) -> None:
    with pytest.raises(CprError) as info:
        parse_cpr(text, TODAY)
    assert str(info.value) == MSG_FUTURE


def test_cpr_error_is_value_error() -> None:
    assert issubclass(CprError, ValueError)


@pytest.mark.parametrize("text", ["010160-1235", "010160-1230", "150520-4001", "010180-0000"])
def test_modulus_11_failures_accepted(text: str) -> None:
    digits = text.replace("-", "")
    assert not mod11_ok(digits)  # the table must really contain mod-11 failures
    assert parse_cpr(text, TODAY).digits == digits


def test_all_serial_numbers_accepted_for_a_date() -> None:
    accepted = 0
    failing_mod11 = 0
    for serial in range(10_000):
        text = f"010160-{serial:04d}"
        cpr = parse_cpr(text, TODAY)
        accepted += 1
        failing_mod11 += not mod11_ok(cpr.digits)
    assert accepted == 10_000
    assert failing_mod11 > 9_000


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("010160-1231", "mand"),
        ("010160-1233", "mand"),
        ("010160-1239", "mand"),
        ("010160-1230", "kvinde"),
        ("010160-1232", "kvinde"),
        ("010160-1238", "kvinde"),
    ],
)
def test_gender(text: str, gender: str) -> None:
    assert parse_cpr(text, TODAY).gender == gender


@pytest.mark.parametrize(
    ("text", "on", "age"),
    [
        ("010160-1235", datetime.date(2025, 6, 1), 65),
        ("020660-1235", datetime.date(2025, 6, 1), 64),
        ("010660-1235", datetime.date(2025, 6, 1), 65),
        ("010607-4000", datetime.date(2025, 6, 1), 18),
        ("020607-4000", datetime.date(2025, 6, 1), 17),
        ("290200-4123", datetime.date(2025, 2, 28), 24),
        ("290200-4123", datetime.date(2025, 3, 1), 25),
        ("290200-4123", datetime.date(2024, 2, 29), 24),
        ("010625-4000", datetime.date(2025, 6, 1), 0),
    ],
)
def test_age_on(text: str, on: datetime.date, age: int) -> None:
    assert parse_cpr(text, TODAY).age_on(on) == age


def test_age_before_birth_raises() -> None:
    cpr = parse_cpr("010160-1235", TODAY)
    with pytest.raises(ValueError):
        cpr.age_on(datetime.date(1959, 12, 31))


def test_formatted_and_masked() -> None:
    cpr = parse_cpr("0101601235", TODAY)
    assert cpr.formatted() == "010160-1235"
    assert cpr.masked() == "010160-XXXX"


def test_repr_and_str_hide_digits() -> None:
    cpr = parse_cpr("010160-1235", TODAY)
    for shown in (repr(cpr), str(cpr), f"{cpr}", f"{cpr!r}", repr([cpr]), repr({"k": cpr})):
        assert "1235" not in shown
        assert "010160-XXXX" in shown


def test_traceback_hides_digits() -> None:
    cpr = parse_cpr("010160-1235", TODAY)
    try:
        raise RuntimeError(f"failed for {cpr}")
    except RuntimeError:
        text = traceback.format_exc()
    assert "1235" not in text


def test_cpr_number_is_frozen_and_checked() -> None:
    cpr = parse_cpr("010160-1235", TODAY)
    with pytest.raises(AttributeError):
        cpr.digits = "0101601234"  # type: ignore[misc]
    with pytest.raises(ValueError):
        CprNumber(digits="0101601235", birth_date=datetime.date(1960, 1, 2), gender="mand")
    with pytest.raises(ValueError):
        CprNumber(digits="0101601235", birth_date=datetime.date(1960, 1, 1), gender="kvinde")
    with pytest.raises(CprError):
        CprNumber(digits="010160-123", birth_date=datetime.date(1960, 1, 1), gender="mand")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CPR 010160-1235 ringede", "CPR XXXXXX-XXXX ringede"),
        ("cpr:0101601235.", "cpr:XXXXXX-XXXX."),
        ("010160 1235", "XXXXXX-XXXX"),
        ("a 010160-1235 b 020260-4321", "a XXXXXX-XXXX b XXXXXX-XXXX"),
        ("tlf 12345678", "tlf 12345678"),
        ("id 12345678901", "id 12345678901"),
        ("x0101601235", "xXXXXXX-XXXX"),  # letters glued on: still a CPR
        ("ingen tal", "ingen tal"),
    ],
)
def test_redact_cpr(text: str, expected: str) -> None:
    assert redact_cpr(text) == expected


def test_find_cpr_spans() -> None:
    assert find_cpr("borger 010160-1235") == [(7, 18)]
    assert find_cpr("borger 0101601235") == [(7, 17)]
    assert find_cpr("borger 010160") == []


def test_pseudonym_stable_and_key_dependent() -> None:
    key = b"k" * 32
    p1 = pseudonym("0101601235", key)
    assert p1 == pseudonym("0101601235", key)
    assert p1 == pseudonym("010160-1235", key)
    assert len(p1) == 64 and all(c in "0123456789abcdef" for c in p1)
    assert p1 != pseudonym("0101601235", b"x" * 32)
    assert p1 != pseudonym("0101601234", key)
    assert "0101601235" not in p1


def test_pseudonym_known_value() -> None:
    import hashlib
    import hmac

    key = b"secret"
    expected = hmac.new(key, b"0101601235", hashlib.sha256).hexdigest()
    assert pseudonym("0101601235", key) == expected


def test_pseudonym_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        pseudonym("0101601235", b"")
    with pytest.raises(CprError):
        pseudonym("12345", b"key")
