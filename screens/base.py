"""What screens may ask of the app, without importing it (screens never import the app)."""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from akut_tui.config import Config
from akut_tui.session import DraftRegistry
from akut_tui.services.dto import SessionInfo
from akut_tui.services.runtime import Runtime
from akut_tui.services.values import ValueLists


class AkutHost(Protocol):
    """The part of the app that screens use."""

    config: Config
    session: SessionInfo | None
    value_lists: ValueLists

    @property
    def drafts(self) -> DraftRegistry:
        """Draft keepers with a change waiting (flushed before any screen goes away)."""

    @property
    def runtime(self) -> Runtime:
        """The open runtime (raises if the database is not ready yet)."""

    def runtime_ready(self) -> bool:
        """True once the database is open."""

    def start_session(self, session: SessionInfo) -> None:
        """Enter the app as ``session`` (after login or first run)."""

    def end_session(self, reason: str = "logout") -> None:
        """Log out and return to the login screen."""

    def password_changed(self) -> None:
        """The forced password change is done: continue to the home screen."""

    def lock(self) -> None:
        """Engage the idle lock now."""

    def unlocked(self) -> None:
        """Leave the lock screen after a correct password."""


def host(node: DOMNode) -> AkutHost:
    """Return the app behind ``node`` as an :class:`AkutHost`."""
    return cast(AkutHost, node.app)
