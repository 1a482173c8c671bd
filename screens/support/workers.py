"""Run a service call in a thread worker and hand the result back to the UI thread.

Database and argon2 work never runs on the event loop. Expected failures
(:class:`~akut_tui.core.errors.AkutError`) come back as their Danish message;
anything else is logged as an incident and reported by its id only.

A result is delivered only if it is still wanted: the worker was not cancelled
(a newer call in the same ``group`` cancels the older one, so a slow old search
can never overwrite a newer one) and the node that asked is still mounted. The
thread itself never touches a widget or the app: it only calls the service and
hands the outcome to ``call_from_thread``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from akut_tui.core.errors import AkutError
from akut_tui.core.incident import report_incident

T = TypeVar("T")


def describe_failure(exc: BaseException) -> str:
    """A Danish message for an unexpected failure: logged as an incident, named by its id only.

    Expected failures, a refused database write included
    (:class:`~akut_tui.core.errors.StorageError`), are :class:`~akut_tui.core.errors.AkutError`
    and never come here: their text is the message.
    """

    return f"Uventet fejl (hændelse {report_incident(exc)}). Prøv igen."


def describe_logged(exc: AkutError) -> str:
    """An expected failure's Danish message, also written to the error log with an id.

    For failures nobody is looking at when they happen (an audit write at logout,
    the account check): the user sees the text once, the log keeps it.
    """

    return f"{exc} (hændelse {report_incident(exc)})"


def run_service(
    node: DOMNode,
    func: Callable[[], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[str], Any],
    *,
    group: str = "db",
    log: bool = False,
) -> None:
    """Run ``func`` in a thread; call ``on_done(result)`` or ``on_error(message)`` on the UI.

    Args:
        node: The widget, screen or app that wants the result; nothing is
            delivered once it is unmounted.
        func: The service call (plain values in, DTOs out; no widgets).
        on_done: Called on the UI thread with the result.
        on_error: Called on the UI thread with a Danish message.
        group: Workers in one group are exclusive: a new call cancels the old
            one, whose result is then dropped.
        log: Also write expected failures to the error log (``describe_logged``).
    """
    app = node.app

    def deliver(worker: Worker[None], callback: Callable[[Any], Any], value: Any) -> None:
        # Runs on the UI thread, where workers are cancelled too, so no newer call
        # can slip in between this check and the callback. A screen closed
        # meanwhile gets nothing.
        if worker.is_cancelled or not (node is app or node.is_attached):
            return
        callback(value)

    def work() -> None:
        worker = get_current_worker()
        try:
            result: Any = func()
            callback: Callable[[Any], Any] = on_done
        except AkutError as exc:
            result, callback = (describe_logged(exc) if log else str(exc)), on_error
        except Exception as exc:  # noqa: BLE001 - last resort, reported by id only
            result, callback = describe_failure(exc), on_error
        if not worker.is_cancelled:
            app.call_from_thread(deliver, worker, callback, result)

    node.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)
