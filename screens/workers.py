"""Run a service call in a thread worker and hand the result back to the UI thread.

Database and argon2 work never runs on the event loop. Expected failures
(:class:`~akut_tui.errors.AkutError`) come back as their Danish message;
anything else is logged as an incident and reported by its id only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from akut_tui.errors import AkutError

T = TypeVar("T")


def describe_failure(exc: BaseException) -> str:
    """A Danish message for an unexpected failure: logged as an incident, named by its id only.

    Expected failures, a refused database write included
    (:class:`~akut_tui.errors.StorageError`), are :class:`~akut_tui.errors.AkutError`
    and never come here: their text is the message.
    """
    from akut_tui.incident import report_incident

    return f"Uventet fejl (hændelse {report_incident(exc)}). Prøv igen."


def run_service(
    node: DOMNode,
    func: Callable[[], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[str], Any],
    *,
    group: str = "db",
) -> None:
    """Run ``func`` in a thread; call ``on_done(result)`` or ``on_error(message)`` on the UI."""
    app = node.app

    def work() -> None:
        try:
            result = func()
        except AkutError as exc:
            app.call_from_thread(on_error, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - last resort, reported by id only
            app.call_from_thread(on_error, describe_failure(exc))
            return
        app.call_from_thread(on_done, result)

    node.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)
