"""The export of aggregated statistics as one service call (``akut export``).

The command hands down one plain :class:`ExportRequest` and gets back one plain
:class:`ExportResult`; in between this module opens the runtime at the
locations resolved once from the configuration, resolves the period, computes
the report, renders it, checks the output file, records the export in the audit
trail and writes the file. The audit record comes before any figure leaves:
before the file is written, and before the command prints to standard output.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.core.errors import AkutError, ValidationError, os_error_text
from akut_tui.core.outfiles import OutputRefused, check_output, write_file
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.exporting.formats import render
from akut_tui.services.startup.opening import open_runtime
from akut_tui.services.statistics.compute import compute_named
from akut_tui.services.statistics.periods import Period, custom_period

if TYPE_CHECKING:
    from akut_tui.core.config import Config
    from akut_tui.services.base.runtime import Runtime
    from akut_tui.services.statistics.dto import StatsReport


@dataclass(frozen=True)
class ExportRequest:
    """What the operator asked for, already checked for usage by the command."""

    period: str
    """A period name (``2015Q3``, ``last-quarter``, ``all``, …); unused with ``date_from``."""
    date_from: str | None
    date_to: str | None
    by: str | None
    """``month``, ``quarter`` or ``None``."""
    suppress: bool
    fmt: str
    dialect: str
    out: Path | None
    """The output file, or ``None`` for standard output (written by the command)."""
    force: bool
    os_user: str
    """The operating-system user, audited as ``os:<name>``."""


@dataclass(frozen=True)
class ExportResult:
    """The audited export: its dates, and its bytes when not written to a file."""

    first: str
    last: str
    data: bytes
    """The rendered export for standard output; empty when it was written to ``out``."""
    written_to: Path | None


def export_statistics(config: Config, request: ExportRequest) -> ExportResult:
    """Compute, render, audit and (with ``request.out``) write the export.

    Raises ``ValidationError`` for a bad period, ``OutputNotWritten`` for a refused
    or failed output file (not audited then), and what opening the runtime raises.
    """
    places = config.locations
    rt = open_runtime(config, create=False, url=places.database_url, key_dir=places.key_dir)
    rt.operator = request.os_user
    protected: list[Path] = []
    if request.out is not None:  # refused before counting: a refused export changes nothing
        with _not_written(request.out):
            protected = check_output(request.out, places, force=request.force, what="eksporten")
    # Suppressed figures exist only on the calendar grid: compute refuses other periods.
    report = compute_named(rt, _period(request), by=request.by, suppress=request.suppress)
    data = render(report, request.fmt, request.dialect)
    if request.out is None:
        _audit(rt, report, request)
        return ExportResult(report.first, report.last, data, None)
    _audit(rt, report, request)
    with _not_written(request.out):
        write_file(request.out, data, protected=protected, force=request.force, what="eksporten")
    return ExportResult(report.first, report.last, b"", request.out)


class OutputNotWritten(AkutError):
    """The output file was refused by the rules, or writing it failed (nothing was left)."""


@contextmanager
def _not_written(target: Path) -> Iterator[None]:
    """Turn a refusal or a failed write into :class:`OutputNotWritten` (Danish, one line)."""
    try:
        yield
    except OutputRefused as exc:
        raise OutputNotWritten(str(exc)) from None
    except OSError as exc:
        raise OutputNotWritten(f"kan ikke skrive {target}: {os_error_text(exc)}") from None


def _period(request: ExportRequest) -> Period | str:
    """The period the request names: made from ``--from``/``--to``, or its name."""
    if request.date_from or request.date_to:
        if not (request.date_from and request.date_to):
            raise ValidationError("Angiv både --from og --to.", "period")
        return custom_period(request.date_from, request.date_to)
    return request.period


def _audit(rt: Runtime, report: StatsReport, request: ExportRequest) -> None:
    """Record the export: who (OS user), which period, which format, suppressed or not."""
    action = "stats.export" if report.suppression_applied else "stats.export_unsuppressed"
    with write_transaction():
        audit.record_command(
            rt, action, request.os_user, f"export.{request.fmt}", report.label[:40]
        )
