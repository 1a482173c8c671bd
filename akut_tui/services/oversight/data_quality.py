"""The data-quality screen's service (issue 18 §5): counts, and the rows behind each.

Coordinators and leaders only, checked against the database on every call.
The period is given in the export's syntax (``last-12-months``, ``2026Q3``...)
and bounds the contact checks exactly as the export bounds its tables; the
other checks are about the state now. Each call is audited (the rows name
persons: the duplicates and tonight's guests).
"""

from __future__ import annotations

from datetime import date, timedelta

from akut_tui.core.clock import format_date
from akut_tui.core.errors import NotFound
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.oversight.dto import QualityCheck, QualityReport, QualityRow
from akut_tui.services.oversight.quality_checks import CHECKS, Context
from akut_tui.services.statistics.compute import resolve_period
from akut_tui.services.statistics.periods import Period, utc_bounds

PERIODS: tuple[str, ...] = ("last-12-months", "last-quarter", "last-month", "all")
"""The periods the screen steps through (``p``), first is the default."""


ROLLING_YEAR = "last-12-months"
"""The twelve months up to today: a data-quality window only. The statistics publish
suppressed figures on the calendar grid (``last-4-quarters``), which would leave out
the current quarter, the rows most worth fixing; these counts are never published."""


def quality_period(rt: Runtime, period_text: str) -> Period:
    """The period of the contact checks: the export's syntax, or the rolling year."""
    if period_text.strip().lower() != ROLLING_YEAR:
        return resolve_period(rt, period_text)
    today = rt.today()
    try:
        first = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        first = date(today.year - 1, 3, 1)
    return Period(first, today, ROLLING_YEAR)


def _context(rt: Runtime, period_text: str, *, rows: bool) -> tuple[Context, str, str]:
    period = quality_period(rt, period_text)
    lo, hi = utc_bounds(period, rt.config.site.timezone)
    return Context(rt, lo, hi, rows), format_date(period.first), format_date(period.last)


def quality_report(rt: Runtime, session: SignedInUser, period_text: str) -> QualityReport:
    """Every check's count over the period; audited once."""
    with connection():
        require(session, "quality.view")
    ctx, first, last = _context(rt, period_text, rows=False)
    with write_transaction():
        require(session, "quality.view")
        checks = tuple(QualityCheck(code, label, check(ctx)[0]) for code, label, check in CHECKS)
        audit.record(rt, "quality.view", actor=session, object_type="quality", object_id="alle")
    return QualityReport(period_text, first, last, checks)


def quality_rows(
    rt: Runtime, session: SignedInUser, code: str, period_text: str
) -> list[QualityRow]:
    """The rows behind one check (at most ``ROW_LIMIT``); audited with the check's code."""
    found = [check for name, _label, check in CHECKS if name == code]
    if not found:
        raise NotFound("Kontrollen findes ikke.")
    with connection():
        require(session, "quality.view")
    ctx, _first, _last = _context(rt, period_text, rows=True)
    with write_transaction():
        require(session, "quality.view")
        _count, rows = found[0](ctx)
        audit.record(rt, "quality.rows", actor=session, object_type="quality", object_id=code)
    return rows
