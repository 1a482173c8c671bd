"""Ask a j/n question, then run a service call in a worker: the one way to confirm an action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from screens.dialogs.confirm import ConfirmDialog
from screens.support.workers import run_service


def confirm_then(
    node: DOMNode,
    question: str,
    func: Callable[[], Any],
    done: Callable[[Any], Any],
    failed: Callable[[str], Any],
    *,
    group: str,
) -> None:
    """Ask ``question`` (j/n); on ja run ``func`` in a worker, then ``done`` or ``failed``."""

    def answered(yes: bool | None) -> None:
        if yes:
            run_service(node, func, done, failed, group=group)

    node.app.push_screen(ConfirmDialog(question), answered)
