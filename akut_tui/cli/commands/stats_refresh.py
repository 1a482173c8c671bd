"""``akut refresh-stats``: count the closed years whose stored statistics are out of date.

The statistics screen and ``akut export`` read closed years from the database and
count one afresh only after something changed it (docs/export.md, "The cache of
closed years"). This command does that counting ahead, for a nightly timer or
after installing a new Akut; ``akut init``, ``akut import`` and ``akut purge`` do
it themselves after their own work (:func:`refresh_after`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.cli.commands.common import EXIT_OK, open_rt
from akut_tui.core.incident import report_incident
from akut_tui.core.plural import count
from akut_tui.services.statistics.refresh import refresh_closed_years

if TYPE_CHECKING:
    from akut_tui.core.config import Config
    from akut_tui.services.base.runtime import Runtime


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``akut refresh-stats``."""
    subparsers.add_parser(
        "refresh-stats",
        help="tæl de lukkede år, hvis gemte statistik er forældet (til en natlig kørsel)",
    )


def refresh_after(rt: Runtime, years: range | None = None) -> None:
    """The last step of ``init``, ``import`` and ``purge``: refresh the closed years (all,
    or those of ``years``). Their own work is done, so a failure here is a warning with
    an incident id, never their exit code (the nightly job goes on to its backup)."""
    try:
        refresh_and_report(rt, years)
    except Exception as exc:  # the statistics are counted again when next opened
        incident = report_incident(exc, config_dir=Path.cwd())
        print(
            f"akut: advarsel: statistikken for de lukkede år blev ikke talt "
            f"(hændelse {incident}); den tælles, når den åbnes",
            file=sys.stderr,
        )


def refresh_and_report(
    rt: Runtime, years: range | None = None, *, quiet_when_current: bool = True
) -> None:
    """Refresh the closed years (all, or those of ``years``) and print one line (none
    when nothing was counted and ``quiet_when_current``)."""
    result = refresh_closed_years(rt, years)
    if result.counted:
        named = ", ".join(str(y) for y in result.counted)
        print(
            f"Statistik: {count(len(result.counted), 'lukket år')} talt og gemt "
            f"({named}) på {result.seconds:.1f} s."
        )
    elif not quiet_when_current:
        print(
            f"Statistik: {count(len(result.current), 'lukket år')} var allerede opdateret; "
            "intet at tælle."
        )


def run(args: argparse.Namespace, config: Config) -> int:
    """Count and store every closed year that is not current; one line of output."""
    rt = open_rt(args, config, create=False)
    refresh_and_report(rt, quiet_when_current=False)
    return EXIT_OK
