"""Contact form validation and derivation (docs/domain.md §1, §2, §7; docs/security.md row 11).

Pure tests: :func:`validate` runs on plain values with the packaged value lists,
no database involved.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from akut_tui.core.errors import ValidationError
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.prepare import Derived, age_band_for, cpr_prompt_reasons, validate
from db.value_lists import VALUE_LISTS

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 20, 20, 0, tzinfo=CPH)
"""The fake clock's moment (19:00 UTC) in local time: evening shift."""
LISTS = {name: [code for code, _ in items] for name, items in VALUE_LISTS.items()}
BASE = ContactInput(home_municipality="791")


def _check(form: ContactInput, moment: datetime = NOW) -> tuple[Derived, dict[str, str]]:
    derived, errors = validate(form, moment=moment, now=NOW, lists=LISTS)
    assert all(isinstance(e, ValidationError) for e in errors)
    by_field: dict[str, str] = {}
    for error in errors:
        assert str(error), "every error carries a message"
        by_field.setdefault(error.field, str(error))
    return derived, by_field


def _fields(form: ContactInput, moment: datetime = NOW) -> set[str]:
    return set(_check(form, moment)[1])


def _mod11_ok(digits: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def test_default_form_is_valid() -> None:
    derived, errors = _check(BASE)
    assert errors == {}
    assert derived.cpr is None
    assert derived.gender == "ikke_registreret"
    assert derived.age_band == "ukendt"
    assert not derived.under_18


# --- time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "ok"),
    [
        (NOW, True),
        (NOW + timedelta(minutes=1), True),  # a minute of clock skew is tolerated
        (NOW + timedelta(minutes=2), False),
        (NOW + timedelta(days=1), False),
        (NOW - timedelta(days=3), True),  # back-entry
        (NOW - timedelta(days=400), True),
        (datetime(2015, 2, 1, 0, 0, tzinfo=CPH), True),  # the service's first day
        (datetime(2015, 1, 31, 23, 59, tzinfo=CPH), False),
        (datetime(2000, 1, 1, 12, 0, tzinfo=CPH), False),
    ],
)
def test_started_at_window(moment: datetime, ok: bool) -> None:
    errors = _check(BASE, moment)[1]
    assert ("started_at" not in errors) is ok
    if not ok:
        assert errors["started_at"]


# --- coded fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "bad_field"),
    [
        ({"caller": "samarbejdspartner"}, "partner_type"),
        ({"caller": "samarbejdspartner", "partner_type": "ukendt_kode"}, "partner_type"),
        ({"channel": "brevdue"}, "channel"),
        ({"contact_type": "x"}, "contact_type"),
        ({"crisis_level": "lidt"}, "crisis_level"),
        ({"home_municipality": "999"}, "home_municipality"),
        ({"home_municipality": ""}, "home_municipality"),
        ({"symptoms": ["angst", "nope"]}, "symptoms"),
        ({"actions": ["nope"]}, "actions"),
        ({"escalations": ["nope"]}, "escalations"),
        ({"events": ["nope"]}, "events"),
        ({"gender": "x"}, "gender"),
        ({"age_band": "x"}, "age_band"),
        ({"identity": "hemmelig"}, "identity"),
        ({"crisis_plan": True}, "crisis_plan"),
        ({"crisis_plan": True, "channel": "virtuel"}, "crisis_plan"),
    ],
)
def test_bad_coded_values_are_refused(changes: dict[str, object], bad_field: str) -> None:
    assert _fields(replace(BASE, **changes)) == {bad_field}


@pytest.mark.parametrize(
    "changes",
    [
        {"caller": "samarbejdspartner", "partner_type": "politi"},
        {"caller": "paaroerende"},  # partner type only needed for partners
        {"crisis_plan": True, "channel": "fremmoede"},
        {"crisis_level": "alvorlig", "symptoms": ["angst", "uro"], "actions": ["overnatning"]},
        {"escalations": ["112", "politi"], "events": ["tab_sorg"]},
        {"contact_type": "stille_opkald"},
    ],
)
def test_good_coded_values_pass(changes: dict[str, object]) -> None:
    assert _fields(replace(BASE, **changes)) == set()


# --- CPR ----------------------------------------------------------------------------


def _cpr(text: str, moment: datetime = NOW) -> tuple[Derived, dict[str, str]]:
    return _check(replace(BASE, identity="cpr", cpr_text=text), moment)


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("010190-1233", date(1990, 1, 1)),
        ("0101901233", date(1990, 1, 1)),
        ("010190 1233", date(1990, 1, 1)),
        ("  010190-1233  ", date(1990, 1, 1)),
        # 29 February under each century rule (docs/security.md row 11)
        ("290296-1234", date(1996, 2, 29)),  # d7 0-3 -> 19xx
        ("290200-4234", date(2000, 2, 29)),  # d7 4, YY <= 36 -> 20xx
        ("290240-4234", date(1940, 2, 29)),  # d7 4, YY > 36 -> 19xx
        ("290204-9234", date(2004, 2, 29)),  # d7 9, YY <= 36 -> 20xx
        ("290296-9234", date(1996, 2, 29)),  # d7 9, YY > 36 -> 19xx
        ("290200-5234", date(2000, 2, 29)),  # d7 5-8, YY <= 57 -> 20xx
        ("290260-8234", date(1860, 2, 29)),  # d7 5-8, YY > 57 -> 18xx
    ],
)
def test_valid_cpr(text: str, born: date) -> None:
    derived, errors = _cpr(text)
    assert errors == {}
    assert derived.cpr is not None
    assert derived.cpr.birth_date == born
    assert len(derived.cpr.digits) == 10 and derived.cpr.digits.isdigit()


@pytest.mark.parametrize(
    "text",
    [
        "290200-1234",  # 1900 is not a leap year
        "290237-4234",  # 1937
        "290297-9234",  # 1997
        "290258-6234",  # 1858
        "290201-5234",  # 2001
        "310290-1234",  # 31 February
        "320190-1234",
        "011390-1234",
        "000190-1234",
        "010130-4123",  # 2030: in the future
        "",
        "0101901",
        "010190-12345",
        "010190/1234",
        "01019O-1234",  # letter O
        "٠١٠١٩٠١٢٣٣",  # Arabic-Indic digits
        "010190--1234",
    ],
)
def test_invalid_cpr_is_refused(text: str) -> None:
    derived, errors = _cpr(text)
    assert set(errors) == {"cpr_text"}
    assert derived.cpr is None


def test_cpr_born_on_the_contact_date_is_accepted_but_not_the_day_after() -> None:
    assert _cpr("201126-4123")[1] == {}
    assert set(_cpr("211126-4123")[1]) == {"cpr_text"}


def test_cpr_in_the_future_relative_to_a_back_entered_contact_is_refused() -> None:
    # born 10-11-2026, contact back-entered to 01-11-2026
    assert set(_cpr("101126-4123", datetime(2026, 11, 1, 12, tzinfo=CPH))[1]) == {"cpr_text"}


@pytest.mark.parametrize("text", ["010160-1235", "010190-1234", "111111-1111", "311299-9998"])
def test_modulus_11_failures_are_accepted(text: str) -> None:
    assert not _mod11_ok(text.replace("-", "")), "test data must fail modulus 11"
    derived, errors = _cpr(text)
    assert errors == {}
    assert derived.cpr is not None


def test_cpr_declined_skips_parsing() -> None:
    form = replace(BASE, identity="cpr", cpr_declined=True, cpr_text="ikke et cpr")
    derived, errors = _check(form)
    assert errors == {}
    assert derived.cpr is None


def test_cpr_text_ignored_unless_identity_is_cpr() -> None:
    for identity in ("anonym", "pseudonym"):
        form = replace(BASE, identity=identity, cpr_text="skrald", nickname="Mette")
        derived, errors = _check(form)
        assert errors == {}
        assert derived.cpr is None


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("010190-1231", "mand"),
        ("010190-1233", "mand"),
        ("010190-1239", "mand"),
        ("010190-1230", "kvinde"),
        ("010190-1232", "kvinde"),
        ("010190-1238", "kvinde"),
    ],
)
def test_gender_from_last_digit_overrides_form(text: str, gender: str) -> None:
    other = "kvinde" if gender == "mand" else "mand"
    form = replace(BASE, identity="cpr", cpr_text=text, gender=other, age_band="65_plus")
    derived, errors = _check(form)
    assert errors == {}
    assert derived.gender == gender
    assert derived.age_band == "35_44"  # derived from CPR, not the manual band


@pytest.mark.parametrize(
    ("text", "age", "band", "minor"),
    [
        ("201108-4011", 18, "18_24", False),  # 18th birthday on the contact date
        ("211108-4011", 17, "under_18", True),  # turns 18 tomorrow
        ("201126-4011", 0, "under_18", True),
        ("211101-4011", 24, "18_24", False),
        ("201101-4011", 25, "25_34", False),
        ("010190-1231", 36, "35_44", False),
        ("201161-1231", 65, "65_plus", False),
        ("211161-1231", 64, "55_64", False),
    ],
)
def test_age_on_contact_date(text: str, age: int, band: str, minor: bool) -> None:
    derived, errors = _cpr(text)
    assert errors == {}
    assert (derived.age, derived.age_band, derived.under_18) == (age, band, minor)


def test_age_uses_contact_date_not_today() -> None:
    # born 15-11-2008: 18 on the fake "now", but 17 on a contact back-entered to 14-11-2026
    derived = _cpr("151108-4011", datetime(2026, 11, 14, 12, tzinfo=CPH))[0]
    assert (derived.age, derived.under_18) == (17, True)
    assert _cpr("151108-4011")[0].under_18 is False


def test_manual_under_18_band_sets_flag() -> None:
    derived, errors = _check(replace(BASE, age_band="under_18"))
    assert errors == {}
    assert derived.under_18


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "under_18"),
        (17, "under_18"),
        (18, "18_24"),
        (34, "25_34"),
        (64, "55_64"),
        (65, "65_plus"),
    ],
)
def test_age_band_for(age: int, band: str) -> None:
    assert age_band_for(age) == band


# --- pseudonym, birth year, duration, phone, note ----------------------------------


@pytest.mark.parametrize(("nickname", "ok"), [("", False), ("   ", False), ("\x00\x1b", False)])
def test_pseudonym_needs_nickname(nickname: str, ok: bool) -> None:
    errors = _check(replace(BASE, identity="pseudonym", nickname=nickname))[1]
    assert ("nickname" not in errors) is ok


def test_pseudonym_with_nickname_is_valid() -> None:
    assert _fields(replace(BASE, identity="pseudonym", nickname="Mette")) == set()


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("1900", 1900),
        ("1990", 1990),
        (" 1990 ", 1990),
        ("2026", 2026),
        ("", None),
        ("   ", None),
    ],
)
def test_birth_year_accepted(value: str, year: int | None) -> None:
    derived, errors = _check(replace(BASE, birth_year=value))
    assert errors == {}
    assert derived.birth_year == year


@pytest.mark.parametrize(
    "value",
    [
        "1899",
        "2027",
        "0",
        "-1990",
        "+1990",
        "19 90",
        "1_990",
        "abc",
        "1990.0",
        "\x00",
        "١٩٩٠",
        "¹⁹⁹⁰",
    ],
)
def test_birth_year_refused(value: str) -> None:
    derived, errors = _check(replace(BASE, birth_year=value))
    assert set(errors) == {"birth_year"}
    assert derived.birth_year is None


def test_birth_year_gives_age_band_only_when_band_unknown() -> None:
    assert _check(replace(BASE, birth_year="1990"))[0].age_band == "35_44"
    assert _check(replace(BASE, birth_year="2010"))[0].under_18
    assert _check(replace(BASE, birth_year="1990", age_band="65_plus"))[0].age_band == "65_plus"


@pytest.mark.parametrize(("value", "minutes"), [("0", 0), ("1440", 1440), (" 12 ", 12), ("", None)])
def test_duration_accepted(value: str, minutes: int | None) -> None:
    derived, errors = _check(replace(BASE, duration_min=value))
    assert errors == {}
    assert derived.duration == minutes


@pytest.mark.parametrize(
    "value", ["-1", "+5", "1441", "abc", "1.5", "12 min", "1e3", "1_0", "\x00", "١٢", "²"]
)
def test_duration_refused(value: str) -> None:
    derived, errors = _check(replace(BASE, duration_min=value))
    assert set(errors) == {"duration_min"}
    assert derived.duration is None


@pytest.mark.parametrize(
    ("wanted", "phone", "ok"),
    [
        (True, "12345678", True),
        (True, "12 34 56 78", True),
        (True, "+4512345678", True),
        (True, "", True),
        (False, "", True),
        (False, "12345678", False),  # only stored when follow-up is wanted
        (True, "1234567", False),
        (True, "123456789", False),
        (True, "1234567a", False),
        (True, "+46 12345678", False),
        (True, "12-34-56-78", False),
        (True, "¹²³⁴⁵⁶⁷⁸", False),  # superscript digits are not a phone number
        (True, "١٢٣٤٥٦٧٨", False),
    ],
)
def test_followup_phone(wanted: bool, phone: str, ok: bool) -> None:
    errors = _check(replace(BASE, followup_wanted=wanted, followup_phone=phone))[1]
    assert ("followup_phone" not in errors) is ok


@pytest.mark.parametrize(("length", "ok"), [(0, True), (500, True), (501, False), (5000, False)])
def test_note_length(length: int, ok: bool) -> None:
    errors = _check(replace(BASE, note="x" * length))[1]
    assert ("note" not in errors) is ok


def test_every_error_is_reported_at_once() -> None:
    form = replace(
        BASE,
        started_at=None,
        caller="samarbejdspartner",
        crisis_plan=True,
        identity="cpr",
        cpr_text="310290-1234",
        birth_year="3000",
        duration_min="lang",
        followup_phone="123",
        note="n" * 501,
    )
    assert _fields(form, NOW + timedelta(hours=1)) == {
        "started_at",
        "partner_type",
        "crisis_plan",
        "cpr_text",
        "birth_year",
        "duration_min",
        "followup_phone",
        "note",
    }


# --- CPR prompt reasons ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "known", "reasons"),
    [
        ({}, False, []),
        ({}, True, ["borgeren har været i kontakt før"]),
        ({"followup_wanted": True}, False, ["opfølgning"]),
        ({"progression_goal": True}, False, ["progressionsmål"]),
        ({"crisis_plan": True, "channel": "fremmoede"}, False, ["kriseplan"]),
        ({"actions": ["ny_samtale", "overnatning"]}, False, ["overnatning (CPR er påkrævet)"]),
        (
            {"followup_wanted": True, "progression_goal": True, "actions": ["overnatning"]},
            True,
            [
                "borgeren har været i kontakt før",
                "opfølgning",
                "progressionsmål",
                "overnatning (CPR er påkrævet)",
            ],
        ),
        ({"identity": "pseudonym", "nickname": "M", "followup_wanted": True}, True, None),
        ({"identity": "cpr", "followup_wanted": True, "actions": ["overnatning"]}, True, []),
        ({"identity": "cpr", "cpr_declined": True, "followup_wanted": True}, True, []),
        ({"contact_type": "stille_opkald", "followup_wanted": True}, True, []),
    ],
)
def test_cpr_prompt_reasons(
    changes: dict[str, object], known: bool, reasons: list[str] | None
) -> None:
    got = cpr_prompt_reasons(replace(BASE, **changes), known_person=known)
    if reasons is None:  # pseudonym: same reasons as anonymous
        reasons = ["borgeren har været i kontakt før", "opfølgning"]
    assert got == reasons


# --- JSON round trip (drafts) -------------------------------------------------------


def test_json_round_trip() -> None:
    form = ContactInput(
        started_at=datetime(2026, 11, 20, 19, 0, tzinfo=ZoneInfo("UTC")),
        channel="fremmoede",
        caller="samarbejdspartner",
        partner_type="politi",
        identity="cpr",
        cpr_text="010190-1233",
        nickname="Mette [b]",
        birth_year="1990",
        crisis_level="alvorlig",
        flag_suicidal=True,
        symptoms=["angst", "uro"],
        actions=["overnatning"],
        escalations=["112"],
        crisis_plan=True,
        followup_wanted=True,
        followup_phone="12345678",
        duration_min="15",
        note="linje 1\nlinje 2 æøå",
    )
    data = json.loads(json.dumps(form.to_json()))
    again = ContactInput.from_json(data)
    assert again == form
    assert again.started_at is not None and again.started_at.utcoffset() == timedelta(0)


def test_json_round_trip_without_time_and_with_unknown_keys() -> None:
    data = ContactInput(note="x").to_json()
    assert data["started_at"] is None
    data["removed_in_a_later_version"] = 1
    assert ContactInput.from_json(data) == ContactInput(note="x")


def test_json_keeps_every_field() -> None:
    data = BASE.to_json()
    assert set(data) == set(ContactInput.__dataclass_fields__)


@pytest.mark.parametrize(
    ("actions", "ok"),
    [
        (["ingen_tiltag"], True),
        (["ny_samtale", "laege"], True),
        (["ingen_tiltag", "ny_samtale"], False),
        (["laege", "ingen_tiltag"], False),
    ],
)
def test_no_further_action_stands_alone(actions: list[str], ok: bool) -> None:
    _, errors = _check(replace(BASE, actions=actions))
    assert ("actions" not in errors) is ok
    if not ok:
        assert "Ingen yderligere tiltag" in errors["actions"]
