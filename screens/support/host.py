"""What screens may read from the app, without importing it (screens never import the app).

Reading is all: a screen that wants the app to do something posts a message
(:mod:`akut_tui.tui_kit.messages`). :func:`run_signed_in` runs a service call for the
signed-in user in a worker (nothing before login or before the database opens).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from textual.dom import DOMNode

from akut_tui.core.config import Config
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import ValueLists
from screens.support.workers import run_service

T = TypeVar("T")


class DraftWriter(Protocol):
    """A draft keeper that can write its waiting change."""

    def flush(self, wait: bool = False) -> None:
        """Write the waiting change now (``wait``: on this thread)."""


class DraftRegister(Protocol):
    """Where a draft keeper says it has a change waiting (the app flushes them all
    before any screen goes away); the session module implements it."""

    def register(self, keeper: DraftWriter) -> None:
        """``keeper`` has a change waiting."""

    def unregister(self, keeper: DraftWriter) -> None:
        """``keeper`` has nothing waiting any more."""


class AkutHost(Protocol):
    """The part of the app that screens use."""

    config: Config
    value_lists: ValueLists

    @property
    def session(self) -> SignedInUser | None:
        """The logged-in user, or ``None``."""

    @property
    def drafts(self) -> DraftRegister:
        """Draft keepers with a change waiting (flushed before any screen goes away)."""

    @property
    def runtime(self) -> Runtime:
        """The open runtime (raises if the database is not ready yet)."""

    def runtime_ready(self) -> bool:
        """True once the database is open."""


def host(node: DOMNode) -> AkutHost:
    """Return the app behind ``node`` as an :class:`AkutHost`."""
    return cast(AkutHost, node.app)


def signed_in(node: DOMNode) -> tuple[Runtime, SignedInUser] | None:
    """The runtime and the logged-in user, or ``None`` before login or before the database opens."""
    app = host(node)
    session = app.session
    if session is None or not app.runtime_ready():
        return None
    return app.runtime, session


def acting_user(node: DOMNode) -> tuple[Runtime, SignedInUser]:
    """The runtime and the logged-in user, for an action on a screen only a user can see."""
    app = host(node)
    session = app.session
    assert session is not None
    return app.runtime, session


def run_signed_in(
    node: DOMNode,
    func: Callable[[Runtime, SignedInUser], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[str], Any],
    *,
    group: str = "db",
) -> bool:
    """Run ``func(runtime, user)`` as :func:`run_service` does, if a user is signed in.

    Returns False (and runs nothing) before login or before the database is open.
    """
    signed = signed_in(node)
    if signed is None:
        return False
    rt, session = signed
    run_service(node, lambda: func(rt, session), on_done, on_error, group=group)
    return True
