"""Suppression (docs/security.md row 23): shown cells are 0 or >= 5; hidden ones stay hidden.

Hypothesis drives the pure functions with random tables and the whole service
with random databases; an independent brute-force search checks that no hidden
cell of a small cross table is pinned down by the row and column totals.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akut_tui.core.config import ShiftConfig
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics import suppression
from akut_tui.services.statistics.dto import StatsReport, StatTable
from akut_tui.services.statistics.periods import parse_period
from akut_tui.services.statistics.tables.kit import SHIFTS, shift_hours
from db.database import connection, write_transaction
from db.models import Contact, ContactValue, Person
from tests.stats_helpers import add_contact

counts_strategy = st.lists(st.integers(0, 12), min_size=1, max_size=8)


@given(counts_strategy)
def test_partition_cells_shown_are_zero_or_at_least_five(counts: list[int]) -> None:
    hidden, hide_total = suppression.suppress_partition(counts)
    for count, hide in zip(counts, hidden, strict=True):
        assert hide or count == 0 or count >= 5
        assert not (hide and count == 0)
    if not hide_total:
        values = [c for c, h in zip(counts, hidden, strict=True) if h]
        # Known: the sum of the hidden cells, each at least 1. A cell is pinned only
        # if it is alone or every hidden cell must be 1.
        assert len(values) != 1
        assert not values or sum(values) > len(values)


def _solutions(
    rows: list[int], cols: list[int], cells: list[tuple[int, int]]
) -> Iterator[tuple[int, ...]]:
    """Every assignment (each >= 1) of ``cells`` meeting the residual row/column totals."""
    row_left, col_left = list(rows), list(cols)

    def later(index: int, r: int, c: int) -> tuple[int, int]:
        rest = cells[index + 1 :]
        return sum(1 for x in rest if x[0] == r), sum(1 for x in rest if x[1] == c)

    def walk(index: int, chosen: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        if index == len(cells):
            if not any(row_left) and not any(col_left):
                yield chosen
            return
        r, c = cells[index]
        need_r, need_c = later(index, r, c)
        top = min(row_left[r] - need_r, col_left[c] - need_c)
        low = 1
        if need_r == 0:
            low = top = row_left[r] if row_left[r] <= top else 0
        if need_c == 0 and top >= low:
            low = max(low, col_left[c])
            top = min(top, col_left[c])
        for value in range(max(low, 1), top + 1):
            row_left[r] -= value
            col_left[c] -= value
            yield from walk(index + 1, (*chosen, value))
            row_left[r] += value
            col_left[c] += value

    yield from walk(0, ())


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 7), min_size=3, max_size=3), min_size=n, max_size=n
        )
    )
)
def test_cross_table_hidden_cells_are_not_pinned_by_margins(matrix: list[list[int]]) -> None:
    hidden = suppression.suppress_cross(matrix)
    cells = [(r, c) for r in range(len(matrix)) for c in range(3) if hidden[r][c]]
    for r, c in product(range(len(matrix)), range(3)):
        assert hidden[r][c] or matrix[r][c] == 0 or matrix[r][c] >= 5
    if not cells or len(cells) > 6:
        return
    rows = [sum(matrix[r][c] for c in range(3) if hidden[r][c]) for r in range(len(matrix))]
    cols = [sum(matrix[r][c] for r in range(len(matrix)) if hidden[r][c]) for c in range(3)]
    if all(all(line) for line in hidden):
        return  # the whole table, zeros included, is hidden: it reveals nothing
    seen: list[set[int]] = [set() for _ in cells]
    for values in _solutions(rows, cols, cells):
        for index, value in enumerate(values):
            seen[index].add(value)
    for index, cell in enumerate(cells):
        assert len(seen[index]) > 1, f"cell {cell} of {matrix} is pinned by the totals"


# --- whole service over random databases -----------------------------------------------

contact_strategy = st.fixed_dictionaries(
    {
        "day": st.integers(0, 60),
        "hour": st.integers(0, 23),
        "contact_type": st.sampled_from(["krise"] * 6 + ["stille_opkald", "fejlopkald"]),
        "channel": st.sampled_from(["telefon", "fremmoede", "virtuel"]),
        "caller": st.sampled_from(["borger", "borger", "paaroerende", "samarbejdspartner"]),
        "crisis_level": st.sampled_from([None, "let", "middel", "alvorlig", "ikke_krise"]),
        "duration_min": st.one_of(st.none(), st.integers(1, 40)),
        "gender": st.sampled_from(["mand", "kvinde", "ikke_registreret"]),
        "symptoms": st.lists(st.sampled_from(["angst", "uro", "ensomhed"]), unique=True),
        "person": st.one_of(st.none(), st.integers(0, 3)),
    }
)


def _check_report(report: StatsReport, raw: StatsReport) -> None:
    for table, plain in zip(report.tables, raw.tables, strict=True):
        count_at = table.columns.index("count")
        share_at = table.columns.index("share")
        hidden_values = []
        for row, plain_row in zip(table.rows, plain.rows, strict=True):
            count = row[count_at]
            assert count is None or count == 0 or count >= 5, (table.name, row)
            if count is None:
                assert row[share_at] is None
                assert all(v is None for v in row[share_at + 1 :])
                hidden_values.append(plain_row[count_at])
            else:
                assert count == plain_row[count_at]
        _check_partition(table, hidden_values)


def _check_partition(table: StatTable, hidden_values: list[int]) -> None:
    if table.name in ("symptoms", "events", "actions", "method", "overnight", "persons"):
        return  # not a split of the denominator: no sum to recover a cell from
    if table.denominator is None or table.name == "crisis_level_by_shift":
        return  # the cross table is checked by the margin test above
    assert len(hidden_values) != 1, table.name
    # A hidden cell is at least 1 (zeros are shown), but in a table hidden whole, where
    # a reader sees no row and a zero may be hidden too (docs/export.md, "Grid").
    least = 0 if len(hidden_values) == len(table.rows) else len(hidden_values)
    assert not hidden_values or sum(hidden_values) > least, table.name


def _insert(contacts: list[dict]) -> None:
    with write_transaction():
        people = [
            Person.create(nickname=f"p{i}", created_at=datetime(2015, 1, 1)).id for i in range(4)
        ]
        for spec in contacts:
            when = datetime(2015, 7, 1, spec["hour"], 10) + timedelta(days=spec["day"])
            person = spec["person"]
            add_contact(
                when,
                {"symptom": spec["symptoms"]} if spec["symptoms"] else None,
                contact_type=spec["contact_type"],
                channel=spec["channel"],
                caller=spec["caller"],
                partner_type="politi" if spec["caller"] == "samarbejdspartner" else None,
                crisis_level=spec["crisis_level"],
                duration_min=spec["duration_min"],
                gender=spec["gender"],
                person=None if person is None else people[person],
            )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(contact_strategy, max_size=40))
def test_random_databases_keep_both_promises(rt: Runtime, contacts: list[dict]) -> None:
    with connection():
        with write_transaction():
            ContactValue.delete().execute()
            Contact.delete().execute()
            Person.delete().execute()
        _insert(contacts)
    period = parse_period("2015Q3", datetime(2026, 1, 1).date())
    report = stats.compute(rt, period)
    raw = stats.compute(rt, period, suppress=False)
    _check_report(report, raw)
    _check_cross(report, raw)


SHIFT_HOURS = shift_hours(ShiftConfig())
"""The test site's shifts (the default configuration: whole hours)."""


def _counts(report: StatsReport, name: str) -> dict[str, int | None]:
    table = report.table(name)
    code, count = table.columns.index("code"), table.columns.index("count")
    return {str(row[code]): row[count] for row in table.rows}


def _known_shifts(report: StatsReport) -> list[bool]:
    """Which shifts' totals a reader works out from what the period publishes.

    A shift is made of whole hours, so its total is the sum of its hours in
    ``hour_of_day`` when they are all shown, or the crisis count less the other
    shifts' hours when only this shift has hidden hours; and it is its count in
    ``duration_by_shift`` when that table shows no contact without a duration.
    """
    hours = _counts(report, "hour_of_day")
    crisis = _counts(report, "contacts")["krise"]
    minutes = _counts(report, "duration_by_shift")
    gaps = {s: any(hours[h] is None for h in hs) for s, hs in SHIFT_HOURS.items()}
    known = []
    for shift, _label in SHIFTS:
        alone = crisis is not None and not any(g for s, g in gaps.items() if s != shift)
        floor = minutes["ikke_registreret"] == 0 and minutes[shift] is not None
        known.append(not gaps[shift] or alone or floor)
    return known


def _check_cross(report: StatsReport, raw: StatsReport) -> None:
    """No hidden cell of ``crisis_level_by_shift`` is pinned by the public margins.

    A level's total is public where ``crisis_level`` shows it, or is the only one
    it hides; a shift's total where :func:`_known_shifts` says so. The rows whose
    total is not public add up to the crisis count less the public ones, and so do
    the columns, so each such row gets a cell in one more column (a slack: a large
    constant less the row's total), and each such column a cell in one more row;
    those margins are then all public, and the brute-force search of
    :func:`suppression.cross_safe` finds a move for every hidden cell, or one is
    pinned.
    """
    by_shift = raw.table("crisis_level_by_shift")
    shown = report.table("crisis_level_by_shift")
    matrix = [[row[3] for row in by_shift.rows[i * 5 : i * 5 + 5]] for i in range(3)]
    hidden = [[row[3] is None for row in shown.rows[i * 5 : i * 5 + 5]] for i in range(3)]
    if shown.denominator is None or all(all(line) for line in hidden):
        return  # hidden whole: it adds nothing to the published totals
    levels = list(_counts(report, "crisis_level").values())
    known_levels = [n is not None or levels.count(None) == 1 for n in levels]
    known_shifts = _known_shifts(report)
    big = sum(map(sum, matrix)) + 2
    for r, line in enumerate(matrix):
        free = not known_shifts[r] and any(hidden[r])
        line.append(big - sum(line) if free else 0)
        hidden[r].append(free)
    extra = [0] * 6
    extra_hidden = [False] * 6
    for c in range(5):
        if not known_levels[c] and any(hidden[r][c] for r in range(3)):
            extra[c] = big - sum(matrix[r][c] for r in range(3))
            extra_hidden[c] = True
    matrix.append(extra)
    hidden.append(extra_hidden)
    assert suppression.cross_safe(matrix, hidden), (matrix, hidden)


def _spec(day: int, hour: int, level: str | None, symptoms: list[str] | None = None) -> dict:
    return {
        "day": day,
        "hour": hour,
        "contact_type": "krise",
        "channel": "telefon",
        "caller": "borger",
        "crisis_level": level,
        "duration_min": None,
        "gender": "mand",
        "symptoms": symptoms or [],
        "person": None,
    }


def _publish_q3(rt: Runtime, contacts: list[dict]) -> tuple[StatsReport, StatsReport]:
    with connection():
        _insert(contacts)
    period = parse_period("2015Q3", datetime(2026, 1, 1).date())
    return stats.compute(rt, period), stats.compute(rt, period, suppress=False)


def test_two_hidden_in_one_level_with_the_shift_totals_unknown(rt: Runtime) -> None:
    """Hypothesis' example: 1 (day) and 6 (night) unassessed, hidden in one column.

    The shifts' totals are not public (their hours, 11 and 00, are hidden too, and
    no contact has a duration), so the two cells are only known to add up to 7.
    """
    contacts = [_spec(38, 0, None), _spec(40, 0, None, ["angst", "uro"]), _spec(39, 0, None)]
    contacts += [_spec(24, 11, None, ["angst", "uro", "ensomhed"])] + [_spec(0, 0, None)] * 3
    report, raw = _publish_q3(rt, contacts)
    shown = {(r[0], r[1]): r[3] for r in report.table("crisis_level_by_shift").rows}
    assert shown[("dag", "ikke_vurderet")] is None and shown[("nat", "ikke_vurderet")] is None
    assert _counts(report, "hour_of_day")["11"] is None
    _check_report(report, raw)
    _check_cross(report, raw)


def test_a_shift_total_from_its_hours_pins_no_level(rt: Runtime) -> None:
    """The day shift is 1 unassessed (at 11) and 5 let (at 12), the night 6 unassessed.

    Hiding the 1 and its column partner is not enough when the day shift's total
    is public through hour_of_day (crisis count less the night's hours): 6 - 5
    would give the 1. The suppression knows that a shift is the sum of its hours.
    """
    contacts = [_spec(2, 11, None)] + [_spec(3 + i, 12, "let") for i in range(5)]
    contacts += [_spec(10 + i, 0, None) for i in range(6)]
    report, raw = _publish_q3(rt, contacts)
    _check_report(report, raw)
    _check_cross(report, raw)


def test_a_small_month_hides_its_tables_whole_before_its_crisis_count(rt: Runtime) -> None:
    """September has 11 crisis contacts spread over the day: its hour and shift cells
    are 1-4 and hidden, and those hidden cells alone would pin each other (a shift's
    contacts are its hours' contacts, and they add up to the crisis count). The month's
    crisis count used to be hidden to free them, and with it the quarter's (its months
    add up) and one more month's: in a running month's first days the year's headline
    figures went blank. The tables are hidden whole first (their zeros unknown too)."""
    hours = [2, 2, 3, 8, 9, 11, 15, 15, 18, 20, 20]
    levels: list[str | None] = ["let", "middel", "let", "let", "middel", "middel", "middel"]
    levels += ["let", "let", None, None]
    _september_beside_one_shape_months(rt, hours, levels, ("2015-09", "2015Q3"))


SMALL_MONTHS = {
    "floors": (
        [7, 8, 10, 12, 16, 17, 18, 22],
        ["let", "middel", "let", "let", "let", None, None, "let"],
    ),
    "dead_end": (
        [0, 0, 1, 1, 3, 3, 5, 7, 9, 13, 15, 16, 16, 17, 18, 19, 21, 23],
        ["middel", "let", "middel", None, "middel", "let", "middel", "let", "let", "let"]
        + [None, "let", "let", "let", "middel", "let", "let", "middel"],
    ),
    "one_count_table": (
        [0, 3, 8, 9, 10, 11, 12, 19],
        [None, None, None, "let", "middel", None, "let", None],
    ),
    "one_count_table_late": (
        [0, 1, 3, 5, 15, 16, 18, 23],
        ["middel", "let", None, "let", None, None, "middel", "let"],
    ),
}


@pytest.mark.parametrize("case", sorted(SMALL_MONTHS))
def test_a_small_month_beside_one_shape_months_keeps_its_crisis_count(
    rt: Runtime, case: str
) -> None:
    """July and August each have 30 contacts at one hour and one level; September has
    8 or 18 spread over the day (random shapes that hid September's crisis count).

    ``floors``: September's hour table was hidden whole, yet most of its hours were
    still at least 1, because each was the only hidden part of the quarter's hidden
    hour (at least 1, zeros being shown); eight such hours pinned each other under the
    crisis count of 8. July's hour table is now hidden whole instead, and a hidden
    table's zeros that can only be zeros no longer count as pinned (they identify no
    one). ``dead_end``: August's hidden level-by-shift cell was pinned by a chain whose
    every shown cell was a dead end (August's level and hour rows, each equal to its
    crisis count) or the crisis count itself; the dead end is now hidden before the
    crisis count, and its table then whole. ``one_count_table``: freeing September's
    floors hid July's level-by-shift table whole, whose one count (30) is July's whole
    total, so it was pinned on July's crisis count; and the global check took the
    nearest crisis count before a dead end further along the chain. A table with one
    count is now the last hidden whole for a floor, and a chain's cheapest cell is
    taken over all its links (random Septembers: 4 of 144 hid a crisis count before,
    July's too in one; none now)."""
    hours, levels = SMALL_MONTHS[case]
    periods = ("2015-07", "2015-08", "2015-09", "2015Q3")
    _september_beside_one_shape_months(rt, hours, levels, periods)


def _september_beside_one_shape_months(
    rt: Runtime, hours: list[int], levels: list[str | None], periods: tuple[str, ...]
) -> None:
    """July: 30 contacts at 10 o'clock, "let"; August: 30 at 14, "middel"; September one
    contact per (hour, level). Each period's crisis count must be shown, and every
    shown cell 0 or at least 5."""
    contacts = [_spec(day, 10, "let") for day in range(0, 30)]  # July
    contacts += [_spec(31 + day, 14, "middel") for day in range(0, 30)]  # August
    contacts += [_spec(62 + i, h, lv) for i, (h, lv) in enumerate(zip(hours, levels, strict=True))]
    with connection():
        _insert(contacts)
    today = datetime(2026, 1, 1).date()
    for name in periods:
        report = stats.compute(rt, parse_period(name, today))
        raw = stats.compute(rt, parse_period(name, today), suppress=False)
        assert _counts(report, "contacts")["krise"] == _counts(raw, "contacts")["krise"], name
        _check_report(report, raw)
