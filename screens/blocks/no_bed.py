"""The bed board's "ønsket, ingen ledig" (``n``, after j/n) and its undo (``N``).

Each logged request is one unit of unmet demand in the statistics, so it is
asked first, and one logged by mistake can be undone by its author within the
shift (the service checks and audits; see :mod:`akut_tui.services.night.bed_requests`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from akut_tui.core.clock import format_time
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import bed_requests, beds
from screens.blocks.ask_first import confirm_then
from screens.support.workers import run_service

Say = Callable[[str], Any]


def _confirm_then(
    node: DOMNode, question: str, func: Callable[[], Any], done: str, after: Say, message: Say
) -> None:
    """Ask ``question`` (j/n); on ja run ``func`` in a worker and report ``done``."""
    confirm_then(node, question, func, lambda _: after(done), message, group="beds-action")


def ask_no_bed(node: DOMNode, rt: Runtime, session: SignedInUser, after: Say, message: Say) -> None:
    """Log "ønsket, ingen ledig seng" after j/n."""
    _confirm_then(
        node,
        "Registrér: ønsket overnatning, men ingen ledig seng?",
        lambda: beds.log_bed_request(rt, session),
        "Registreret: ønsket overnatning, ingen ledig seng (N fortryder).",
        after,
        message,
    )


def undo_no_bed(
    node: DOMNode, rt: Runtime, session: SignedInUser, after: Say, message: Say
) -> None:
    """Find the user's newest request of this shift, then undo it after j/n."""

    def found(request: bed_requests.LoggedRequest | None) -> None:
        if request is None:
            message("Du har ingen 'ønsket, ingen ledig' i denne vagt at fortryde.")
            return
        at = format_time(request.requested_at, rt.config.site.timezone)
        _confirm_then(
            node,
            f"Fortryd 'ønsket, ingen ledig' registreret kl. {at}?",
            lambda: bed_requests.undo_request(rt, session, request.id),
            "Fortrudt: 'ønsket, ingen ledig' er fjernet.",
            after,
            message,
        )

    run_service(
        node, lambda: bed_requests.last_undoable(rt, session), found, message, group="beds-action"
    )
