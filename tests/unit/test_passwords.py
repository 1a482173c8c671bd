"""Table tests for the password policy (docs/security.md row 18)."""

from __future__ import annotations

import unicodedata

import pytest

from akut_tui.core.passwords import (
    PasswordPolicyError,
    check_password,
    is_common_password,
)

USER = "mette.hansen"
CONTEXT = ("Guldblommevej", "Viborg")

# (password, expected Danish message fragment)
REJECTED: list[tuple[str, str]] = [
    ("", "mindst 15 tegn"),
    ("kort", "mindst 15 tegn"),
    ("fjorten tegn!!", "mindst 15 tegn"),  # 14 code points
    ("x" * 129, "højst være 128 tegn"),
    ("ab" * 100, "højst være 128 tegn"),
    # on the bundled list (zxcvbn top entries that are >= 15 long, and Danish ones)
    ("123456789012345", "for almindelig"),
    ("1234567890123456", "for almindelig"),
    ("1QAZ2WSX3EDC4RFV", "for almindelig"),
    ("adgangskodeadgangskode", "for almindelig"),
    ("aaaaaaaaaaaaaaaa", "for få forskellige tegn"),
    ("abababababababab", "for få forskellige tegn"),
    # username: equal or contained with too little else
    ("mette.hansen2024!", "brugernavnet"),
    ("Mette.Hansen.Mette.Hansen", "brugernavnet"),
    ("MinKode-mette.hansen", "brugernavnet"),
    # service and context words
    ("akuttilbud123456", "»akuttilbud«"),
    ("Akuttilbud-Viborg", "»akuttilbud«"),
    ("viborgviborg2025!", "»Viborg«"),
    ("guldblommevej3a!!", "»Guldblommevej«"),
    # control characters and friends are refused, not silently stripped
    ("korrekt hest batteri\x00", "ugyldige tegn"),
    ("korrekt hest batteri\x1b[2J", "ugyldige tegn"),
    ("korrekt\u202ehest batteri", "ugyldige tegn"),
    ("korrekt hest\nbatteri hæfteklamme", "ugyldige tegn"),
    ("korrekt hest batteri\ud800", "ugyldige tegn"),
]

ACCEPTED: list[str] = [
    "korrekt hest batteri hæfteklamme",
    "Blå elefanter danser om natten",
    "fire tilfældige ord virker godt",
    "akut er et kort ord i en lang sætning",  # contains "akut" but plenty else
    "mette.hansen har en meget lang og god sætning",  # username plus >= 15 other chars
    "Ærøskøbing-Æbleskiver-Øl",
    "日本語のパスフレーズはとても長いです",
    "emoji 🦊🦊🦊 passphrase ok!",
    "x" * 20 + "yzwvu" + "q" * 103,  # exactly 128
]


@pytest.mark.parametrize(("password", "fragment"), REJECTED)
def test_rejected(password: str, fragment: str) -> None:
    with pytest.raises(PasswordPolicyError) as info:
        check_password(password, username=USER, context_words=CONTEXT)
    assert fragment in str(info.value)


@pytest.mark.parametrize("password", ACCEPTED)
def test_accepted(password: str) -> None:
    result = check_password(password, username=USER, context_words=CONTEXT)
    assert result == unicodedata.normalize("NFKC", password)


def test_messages_are_danish_and_exact() -> None:
    with pytest.raises(PasswordPolicyError, match="^Adgangskoden skal være mindst 15 tegn$"):
        check_password("kort", username=USER)
    with pytest.raises(PasswordPolicyError, match="^Adgangskoden er for almindelig$"):
        check_password("123456789012345", username=USER)
    with pytest.raises(PasswordPolicyError, match="^Adgangskoden må ikke indeholde brugernavnet$"):
        check_password("mette.hansen2024!", username=USER)


def test_error_is_value_error() -> None:
    assert issubclass(PasswordPolicyError, ValueError)


def test_custom_min_length() -> None:
    with pytest.raises(PasswordPolicyError, match="mindst 20 tegn"):
        check_password("korrekt hest bat", username=USER, min_length=20)
    assert check_password("hest batteri", username=USER, min_length=8) == "hest batteri"


def test_length_counts_code_points_after_nfkc() -> None:
    # U+FB01 (LATIN SMALL LIGATURE FI) becomes two code points under NFKC.
    fourteen_raw = "\ufb01" + "abcdefghijklm"  # 14 raw, 15 after NFKC
    assert len(fourteen_raw) == 14
    assert check_password(fourteen_raw, username=USER) == "fiabcdefghijklm"
    # Combining sequence composes: 16 raw code points -> 15 after NFKC -> accepted.
    decomposed = "e\u0301" + "bcdfghijklmnop"
    assert len(decomposed) == 16
    assert len(check_password(decomposed, username=USER)) == 15


def test_nfkc_equivalent_passwords_give_same_result() -> None:
    fullwidth = "ｋｏｒｒｅｋｔ ｈｅｓｔ ｂａｔｔｅｒｉ"
    ascii_form = "korrekt hest batteri"
    assert check_password(fullwidth, username=USER) == ascii_form
    composed = "blåbærgrød med fløde"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert check_password(decomposed, username=USER) == composed


def test_nfkc_applies_to_blocklist() -> None:
    fullwidth_common = "１２３４５６７８９０１２３４５"
    with pytest.raises(PasswordPolicyError, match="for almindelig"):
        check_password(fullwidth_common, username=USER)


def test_username_equality_even_when_short_word() -> None:
    with pytest.raises(PasswordPolicyError, match="brugernavnet"):
        check_password("abcdefghijklmnopq", username="ABCDEFGHIJKLMNOPQ")


def test_short_context_word_not_used_for_contains() -> None:
    # "bo" is too short to trigger the contains-check.
    assert check_password("bobobo-klatrer-op", username="bo")


def test_common_list_loaded() -> None:
    assert is_common_password("password")
    assert is_common_password("PASSWORD")
    assert is_common_password("123456")
    assert is_common_password("adgangskode")
    assert is_common_password("kodeord")
    assert is_common_password("sommer2024")
    assert is_common_password("velkommen123")
    assert not is_common_password("korrekt hest batteri hæfteklamme")
    assert not is_common_password("# common passwords, one per line")


def test_invalid_min_length() -> None:
    with pytest.raises(ValueError):
        check_password("korrekt hest batteri", username=USER, min_length=0)
