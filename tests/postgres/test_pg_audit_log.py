"""Issue 18 §2, §3 on PostgreSQL: the audit log's filters and paging, and the access report.

The service tests of ``tests/unit/test_audit_log.py`` run here again against
the throwaway server (the ``||''`` trick, the day bounds on ``at`` and the
merged index reads must behave the same on both databases).
"""

from __future__ import annotations

from datetime import date

import pytest

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.services.oversight import access_report
from tests.conftest import PASSWORD
from tests.unit.test_audit_log import (  # noqa: F401 - fixtures used by name
    CPR,
    _ida,
    coord,
    leader,
    test_bad_filters_are_refused_in_danish,
    test_cpr_reveal_reads_as_danish_sentence_with_masked_cpr,
    test_filters_by_nickname_kind_user_and_days,
    test_pages_by_key_newest_first,
    test_viewing_is_audited_with_the_person_as_reference,
)

pytestmark = pytest.mark.postgres


def test_access_report_on_postgresql(  # noqa: F811 - the fixtures imported above
    rt: Runtime,
    leader: SignedInUser,  # noqa: F811
    coord: SignedInUser,  # noqa: F811
) -> None:
    from db.database import is_sqlite

    assert not is_sqlite()
    ida = _ida(rt, coord)
    persons.reveal_cpr(rt, coord, ida, PASSWORD)
    report = access_report.access_report(rt, leader, CPR, date(2026, 11, 20), date(2026, 11, 20))
    assert report.person == "Ida (010190-XXXX)"
    assert report.lines[-1].text == "Mette så CPR for Ida (010190-XXXX)"
    assert len(report.contacts) == 2
