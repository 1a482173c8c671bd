"""The ``overnight`` statistics table, fed by stays made through the bed services.

The statistics queries were first tested on rows written directly; this test
books guests, decides nights, refuses a fourth night and logs a request for a
bed that is not free, all through the services staff use, and checks the
figures and the ministry channel table that come out.
"""

from __future__ import annotations

import pytest

from akut_tui.core.errors import PermissionDenied
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds, nights, stays
from akut_tui.services.statistics import compute as stats
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, bed_ids, form, session


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


def test_bed_figures_follow_the_services(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    first, second = bed_ids()[:2]
    # Guest A stays three nights and is refused a fourth; guest B stays one night.
    stay_a = stays.check_in(rt, staff, form(first, CPR_A)).stay_id
    stays.check_in(rt, staff, form(second, CPR_B))
    beds.log_bed_request(rt, staff)  # both beds taken: unmet demand
    nights.decide_night(rt, staff, stay_a, "forlaeng")
    clock.advance(days=1)
    nights.decide_night(rt, staff, stay_a, "forlaeng")
    clock.advance(days=1)
    with pytest.raises(PermissionDenied):
        nights.decide_night(rt, staff, stay_a, "forlaeng")
    nights.decide_night(rt, staff, stay_a, "afslut")

    report = stats.compute(rt, stats.resolve_period(rt, "2026-11"), suppress=False)
    overnight = {row[0]: row[2] for row in report.table("overnight").rows}
    assert overnight["naetter"] == 4  # 3 nights for A, 1 for B
    assert overnight["ophold"] == 2
    assert overnight["gaester"] == 2
    assert overnight["ingen_ledig_seng"] == 1
    assert overnight["afvist_fjerde_nat"] == 1
    # Each check-in made an in-person contact: the ministry table counts them there.
    channel = {row[0]: row[2] for row in report.table("channel_ministry").rows}
    assert channel["fremmoede"] == 2
