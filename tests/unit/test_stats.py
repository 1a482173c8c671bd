"""The statistics service: periods, local dates, every table's arithmetic, bed figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from akut_tui.core.errors import ValidationError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.dto import StatsReport
from akut_tui.services.statistics.periods import custom_period, parse_period, split, utc_bounds
from db.database import connection
from tests.stats_helpers import add_bed_request, add_contact, add_person, add_stay

TODAY = date(2026, 11, 20)


def _counts(report: StatsReport, name: str) -> dict[str, int | None]:
    table = report.table(name)
    code = table.columns.index("code")
    count = table.columns.index("count")
    return {row[code]: row[count] for row in table.rows}


def _compute(rt: Runtime, period: str, **kwargs: object) -> StatsReport:
    return stats.compute(rt, stats.resolve_period(rt, period), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2015Q3", date(2015, 7, 1), date(2015, 9, 30)),
        ("2015q4", date(2015, 10, 1), date(2015, 12, 31)),
        ("2015-07", date(2015, 7, 1), date(2015, 7, 31)),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29)),
        ("2015", date(2015, 1, 1), date(2015, 12, 31)),
        ("last-quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("last-month", date(2026, 10, 1), date(2026, 10, 31)),
        ("last-year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_period_names(text: str, first: date, last: date) -> None:
    period = parse_period(text, TODAY)
    assert (period.first, period.last) == (first, last)


def test_last_quarter_in_january_is_the_previous_year() -> None:
    period = parse_period("last-quarter", date(2016, 1, 5))
    assert (period.first, period.last, period.label) == (
        date(2015, 10, 1),
        date(2015, 12, 31),
        "2015Q4",
    )


@pytest.mark.parametrize("text", ["2015Q5", "15-07", "2015-13", "sidste kvartal", ""])
def test_bad_period_names_get_a_danish_message(text: str) -> None:
    with pytest.raises(ValidationError, match="periode"):
        parse_period(text, TODAY)


def test_custom_period_accepts_iso_and_danish_dates() -> None:
    period = custom_period("2015-07-01", "30-09-2015")
    assert (period.first, period.last) == (date(2015, 7, 1), date(2015, 9, 30))
    with pytest.raises(ValidationError):
        custom_period("2015-09-30", "2015-07-01")
    with pytest.raises(ValidationError):
        custom_period("2015-02-30", "2015-07-01")


def test_utc_bounds_follow_daylight_saving() -> None:
    summer = utc_bounds(parse_period("2015-07", TODAY), "Europe/Copenhagen")
    winter = utc_bounds(parse_period("2015-01", TODAY), "Europe/Copenhagen")
    assert summer == (datetime(2015, 6, 30, 22), datetime(2015, 7, 31, 22))
    assert winter == (datetime(2014, 12, 31, 23), datetime(2015, 1, 31, 23))


def test_split_by_month_and_quarter() -> None:
    months = split(custom_period("2015-07-15", "2015-09-10"), "month")
    assert [(m.label, m.first, m.last) for m in months] == [
        ("2015-07", date(2015, 7, 15), date(2015, 7, 31)),
        ("2015-08", date(2015, 8, 1), date(2015, 8, 31)),
        ("2015-09", date(2015, 9, 1), date(2015, 9, 10)),
    ]
    assert [q.label for q in split(parse_period("2015", TODAY), "quarter")] == [
        "2015Q1",
        "2015Q2",
        "2015Q3",
        "2015Q4",
    ]


def test_a_contact_belongs_to_the_period_of_its_local_start_date(rt: Runtime) -> None:
    with connection():
        # 30-09-2015 23:30 local is 21:30 UTC: Q3. 01-10-2015 00:30 local is still 30-09 in UTC: Q4.
        add_contact(datetime(2015, 9, 30, 23, 30))
        add_contact(datetime(2015, 10, 1, 0, 30))
    q3 = _compute(rt, "2015Q3", suppress=False)
    q4 = _compute(rt, "2015Q4", suppress=False)
    assert q3.table("contacts").denominator == 1
    assert q4.table("contacts").denominator == 1
    assert _counts(q4, "hour_of_day")["00"] == 1
    assert _counts(q3, "weekday")["onsdag"] == 1


def test_shares_of_every_split_table_reach_one(rt: Runtime) -> None:
    with connection():
        for hour in range(0, 24, 2):
            add_contact(
                datetime(2015, 8, 3, hour, 5),
                {"symptom": ["angst", "uro"]} if hour < 12 else None,
                crisis_level=["let", "middel", None][hour % 3],
                duration_min=hour or None,
                caller=["borger", "paaroerende", "samarbejdspartner"][hour % 3],
                partner_type="politi" if hour % 3 == 2 else None,
            )
        add_contact(datetime(2015, 8, 3, 12), contact_type="fejlopkald")
    report = _compute(rt, "2015-08", suppress=False)
    for table in report.tables:
        if table.name in ("symptoms", "events", "actions", "method", "overnight", "persons"):
            continue
        total = sum(row[table.columns.index("count")] for row in table.rows)
        assert total == table.denominator, table.name
    assert report.table("contacts").denominator == 13
    assert _counts(report, "symptoms") == {**_counts(report, "symptoms"), "angst": 6, "uro": 6}
    assert _counts(report, "symptoms")["ikke_registreret"] == 6
    assert _counts(report, "crisis_level")["ikke_vurderet"] == 4
    assert _counts(report, "channel_ministry")["paaroerende_samarbejdspartner"] == 8
    assert _counts(report, "partner_type")["politi"] == 4


def test_duration_mean_and_median_per_shift(rt: Runtime) -> None:
    with connection():
        for minutes in (10, 20, 30, 100):
            add_contact(datetime(2015, 8, 3, 9), duration_min=minutes)
        add_contact(datetime(2015, 8, 3, 9))
    table = _compute(rt, "2015-08", suppress=False).table("duration_by_shift")
    rows = {row[0]: row for row in table.rows}
    assert rows["dag"][2:] == (4, 0.8, 40.0, 25.0)
    assert rows["ikke_registreret"][2] == 1


def test_overnight_guest_counts_in_person_and_bed_figures(rt: Runtime) -> None:
    with connection():
        person = add_person("Gæst")
        contact = add_contact(datetime(2015, 8, 3, 21), person=person)
        add_stay(person, date(2015, 8, 3), 3, contact=contact)
        add_stay(person, date(2015, 8, 20), 2)
        add_bed_request(datetime(2015, 8, 5, 20, tzinfo=UTC))
        add_bed_request(datetime(2015, 9, 5, 20, tzinfo=UTC))
    report = _compute(rt, "2015-08", suppress=False)
    assert _counts(report, "channel")["telefon"] == 1
    assert _counts(report, "channel_ministry")["fremmoede"] == 1
    overnight = report.table("overnight")
    figures = {row[0]: row for row in overnight.rows}
    assert figures["naetter"][2] == 5
    assert figures["ophold"][2] == 2
    assert figures["gaester"][2] == 1
    assert figures["ingen_ledig_seng"][2] == 1
    assert overnight.denominator == 2 * 31
    assert figures["naetter"][3] == round(5 / 62, 4)


def test_persons_and_repeat_users(rt: Runtime) -> None:
    with connection():
        people = [add_person(f"p{i}") for i in range(7)]
        for index, person in enumerate(people):
            for _ in range(index + 1):  # 1, 2, ..., 7 contacts
                add_contact(datetime(2015, 8, 4, 10), person=person)
        add_contact(datetime(2015, 8, 4, 10))  # anonymous
    counts = _counts(_compute(rt, "2015-08", suppress=False), "persons")
    assert counts == {
        "distinct_persons": 7,
        "repeat_persons": 6,
        "contacts_from_repeat_persons": 27,
        "top5_contacts": 3 + 4 + 5 + 6 + 7,
    }


def test_breakdown_by_month_has_a_leading_column(rt: Runtime) -> None:
    with connection():
        add_contact(datetime(2015, 7, 3, 10))
        add_contact(datetime(2015, 8, 3, 10))
        add_contact(datetime(2015, 8, 4, 10))
    table = _compute(rt, "2015Q3", by="month", suppress=False).table("channel")
    assert table.columns[0] == "month"
    telefon = [(row[0], row[3]) for row in table.rows if row[1] == "telefon"]
    assert telefon == [("2015-07", 1), ("2015-08", 2), ("2015-09", 0)]
    assert table.denominators == {"2015-07": 1, "2015-08": 2, "2015-09": 0}


def test_period_all_spans_the_data(rt: Runtime) -> None:
    with connection():
        add_contact(datetime(2015, 3, 3, 10))
        add_contact(datetime(2019, 8, 3, 10))
    report = _compute(rt, "all", suppress=False)
    # ``all`` is the sum of whole years (issue 16: the calendar grid).
    assert (report.first, report.last) == ("2015-01-01", "2019-12-31")
    assert report.table("contacts").denominator == 2


def test_counts_are_the_same_when_ids_are_not_in_time_order(rt: Runtime) -> None:
    """Multi-value counts use an id range only when it holds exactly the period's contacts."""
    with connection():
        add_contact(datetime(2015, 8, 3, 10), {"symptom": ["angst"]})
        add_contact(datetime(2016, 8, 3, 10), {"symptom": ["angst"]})
        add_contact(datetime(2015, 8, 4, 10), {"symptom": ["angst", "uro"]})
        add_contact(datetime(2015, 8, 4, 10), {"symptom": ["uro"]}, contact_type="testopkald")
    counts = _counts(_compute(rt, "2015", suppress=False), "symptoms")
    assert (counts["angst"], counts["uro"], counts["ikke_registreret"]) == (2, 1, 0)
    counts = _counts(_compute(rt, "all", suppress=False), "symptoms")
    assert (counts["angst"], counts["uro"]) == (3, 1)


def test_hour_of_day_is_local_on_the_days_the_clock_changes(rt: Runtime) -> None:
    with connection():
        # 25-10-2015: summer time ends at 01:00 UTC (03:00 CEST becomes 02:00 CET).
        add_contact(datetime(2015, 10, 25, 0, 30, tzinfo=UTC))  # 02:30 CEST
        add_contact(datetime(2015, 10, 25, 1, 30, tzinfo=UTC))  # 02:30 CET
        add_contact(datetime(2015, 10, 24, 22, 30, tzinfo=UTC))  # 00:30 CEST, Sunday
        # 29-03-2015: summer time starts at 01:00 UTC (02:00 CET becomes 03:00 CEST).
        add_contact(datetime(2015, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    report = _compute(rt, "2015", suppress=False)
    hours = _counts(report, "hour_of_day")
    assert (hours["00"], hours["02"], hours["03"]) == (1, 2, 1)
    assert _counts(report, "weekday")["soendag"] == 4
    monthly = dict(report.monthly)
    assert len(monthly) == 12 and sum(monthly.values()) == 4
    assert (monthly["2015-03"], monthly["2015-10"], monthly["2015-04"]) == (1, 3, 0)


def test_bed_figures_only_for_periods_of_a_month_or_more(rt: Runtime) -> None:
    with connection():
        person = add_person("Gæst")
        for start in (3, 10, 17):
            add_stay(person, date(2015, 8, start), 3)
    with pytest.raises(ValidationError, match="ikke hele måneder"):  # off the grid
        stats.compute(rt, custom_period("2015-08-01", "2015-08-14"))
    week = stats.compute(rt, custom_period("2015-08-01", "2015-08-14"), suppress=False)
    assert "mindst en måned" in week.table("overnight").note
    month = stats.compute(rt, parse_period("2015-08", TODAY))
    assert {row[0]: row[2] for row in month.table("overnight").rows}["naetter"] == 9
    raw = stats.compute(rt, custom_period("2015-08-01", "2015-08-14"), suppress=False)
    assert {row[0]: row[2] for row in raw.table("overnight").rows}["naetter"] == 6


def test_query_count_does_not_grow_with_the_data(rt: Runtime) -> None:
    """All counting is in SQL: a fixed number of queries, whatever the number of contacts."""
    from playhouse.test_utils import count_queries

    def queries() -> int:
        with count_queries() as counter:
            _compute(rt, "2015-08", suppress=True)
        return int(counter.count)

    queries()  # a year's first count gives its months their generation rows, once
    with connection():
        add_contact(datetime(2015, 8, 3, 10), {"symptom": ["angst"]}, person=add_person("a"))
    few = queries()
    with connection():
        for day in range(1, 29):
            add_contact(
                datetime(2015, 8, day, 10), {"symptom": ["uro"]}, person=add_person(f"p{day}")
            )
    assert queries() == few


def test_an_empty_database_gives_empty_tables(rt: Runtime) -> None:
    report = _compute(rt, "all")
    assert report.table("contacts").denominator == 0
    assert all(row[2] == 0 for row in report.table("channel").rows)
