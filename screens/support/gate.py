"""Open a dialog only after the service said yes: permission before typing, never after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from screens.support.workers import run_service


def open_if_allowed(
    node: DOMNode,
    may: Callable[[], Any],
    open_dialog: Callable[[], None],
    refused: Callable[[str], None],
) -> None:
    """Run the service's "may I" query ``may`` in a worker; open the dialog only if it passes.

    A refusal (``PermissionDenied`` or another Danish refusal) goes to ``refused``
    and no dialog opens, so nobody types a form the service would refuse.
    """
    run_service(node, may, lambda _: open_dialog(), refused, group="may-open")
