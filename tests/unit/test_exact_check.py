"""The joint suppression's exact check: the linear programs a reader would solve, quietly."""

from __future__ import annotations

import pytest

from akut_tui.services.statistics.exact_check import Pinned, pinned
from akut_tui.services.statistics.grid_state import GridState
from akut_tui.services.statistics.intervals import Relation, propagate, relation


def _pinned(
    relations: list[Relation[str]], truths: dict[str, int], shown: dict[str, int]
) -> list[Pinned[str]]:
    unknown = {cell: 1.0 for cell in truths}
    return pinned(relations, unknown, shown.get, truths.__getitem__, lambda cell: True)


def test_two_hidden_counts_under_a_small_shown_total_are_pinned() -> None:
    found = _pinned([relation(["total"], ["a", "b"])], {"a": 1, "b": 3}, {"total": 4})
    assert [p.cell for p in found] == ["a", "b"]
    assert all(p.width == pytest.approx(2) for p in found)
    assert all(p.relations == (0,) for p in found)  # the relation to widen


def test_room_of_three_leaves_them_free() -> None:
    assert _pinned([relation(["total"], ["a", "b"])], {"a": 1, "b": 4}, {"total": 5}) == []


def test_relations_taken_together_pin_what_each_leaves_free() -> None:
    """x + y = y + z = x + z = 6 leaves each of them 1-5 taken one at a time (bound
    propagation), but together they say x = y = z = 3."""
    relations = [
        relation(["six"], ["x", "y"]),
        relation(["six"], ["y", "z"]),
        relation(["six"], ["x", "z"]),
    ]
    truths = {"x": 3, "y": 3, "z": 3}
    one_at_a_time = propagate(relations, {c: 1.0 for c in truths}, {"six": 6}.get)
    assert all(one_at_a_time.width(c) >= 3 for c in truths)
    found = _pinned(relations, truths, {"six": 6})
    assert [(p.cell, round(p.width, 6)) for p in found] == [("x", 0), ("y", 0), ("z", 0)]


def test_groups_that_share_no_relation_are_each_solved_exactly() -> None:
    """Stacked into one program, a free group and a pinned group keep their own answers."""
    relations = [relation(["t1"], ["a", "b"]), relation(["t2"], ["c", "d"])]
    found = _pinned(relations, {"a": 2, "b": 2, "c": 5, "d": 5}, {"t1": 4, "t2": 10})
    assert [p.cell for p in found] == ["a", "b"]


def test_the_solver_writes_nothing_to_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    """HiGHS prints a banner on standard output when a model is made; under the TUI that
    would land on the screen."""
    _pinned([relation(["total"], ["a", "b"])], {"a": 1, "b": 3}, {"total": 4})
    assert capfd.readouterr() == ("", "")


def test_a_relation_the_true_figures_break_is_left_out() -> None:
    """A declared identity can be false for old data: a contact keeps the shift it was
    saved in after the site moves its shift times, while ``hour_of_day`` counts its hour.
    Given to the solver, the true figures would break it and the program would have no
    solution (tests/unit/test_stats_cache.py's ``edit_old`` moves contacts that way)."""
    shift, hours, other = ("2025-07", 6, 0), ("2025-07", 8, 7), ("2025-07", 8, 8)

    def grid(shift_count: int) -> GridState:
        state = GridState()
        state.values.update({shift: shift_count, hours: 1, other: 1})
        state.add([shift], [hours, other])
        state.hidden.update({shift, hours, other})
        return state

    broken = grid(5)  # 5 == 1 + 1: false for these figures
    assert broken.relations(broken.unknowns()) == []
    kept = grid(2)
    assert len(kept.relations(kept.unknowns())) == 1
