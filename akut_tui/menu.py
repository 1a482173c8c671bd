"""The menu registry: one table of everything reachable by an F-key or a letter.

The home menu, the help screen, the app's key bindings and the role checks all
read :data:`MENU`. A new screen is one line here: F-key, letter, Danish label,
permission (``akut_tui.permissions``) and a factory that builds the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from akut_tui import permissions
from screens.base import AkutHost

ScreenFactory = Callable[[AkutHost], Screen[None]]
"""Builds a screen for the app (imports it lazily, so start-up stays light)."""

KEY_NAMES: dict[str, str] = {
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Mellemrum",
    "backspace": "Backspace",
    "delete": "Del",
    "insert": "Ins",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "question_mark": "?",
    "slash": "/",
    "ctrl": "Ctrl",
    "shift": "Shift",
    "alt": "Alt",
}
"""Textual's key names and how a keyboard prints them."""


def key_label(key: str) -> str:
    """Name ``key`` (a Textual key such as ``ctrl+s`` or ``pagedown``) as people read it."""
    parts: list[str] = []
    for part in key.split("+"):
        if part in KEY_NAMES:
            parts.append(KEY_NAMES[part])
        elif part[:1] == "f" and part[1:].isdigit():
            parts.append(part.upper())
        elif len(part) == 1 and parts:
            parts.append(part.upper())  # Ctrl+S, Shift+M
        else:
            parts.append(part)
    return "+".join(parts)


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu: a screen to open, or an app action."""

    key: str
    """The Textual key (``f3``, ``ctrl+l``)."""
    letter: str
    """A letter (or ``question_mark``) that does the same, for terminals that send F-keys badly."""
    label: str
    """Danish text, as in the home menu and the help screen."""
    permission: str = ""
    """The permission needed (``akut_tui.permissions``); empty: every logged-in user."""
    screen: ScreenFactory | None = None
    """Builds the screen that opens over the home screen; ``None`` with no ``action``: the
    quick-log panel, which the app opens over the current screen."""
    action: str = ""
    """An app action instead of a screen (``quick_log``, ``help``, ``lock``...)."""
    priority: bool = False
    """A priority binding (runs even while a field has focus)."""
    binding_id: str = ""
    """The binding's id; ``app.<key>`` if empty."""

    @property
    def keys_text(self) -> str:
        """The keys as the home menu and help show them: ``F3/i``, ``Ctrl+L``."""
        keys = [key_label(self.key)] + ([key_label(self.letter)] if self.letter else [])
        return "/".join(keys)

    def bindings(self) -> list[Binding]:
        """The app bindings for this entry: the key (shown) and its letter (hidden)."""
        action = self.action or f"open('{self.key}')"
        main = Binding(
            self.key,
            action,
            self.label,
            priority=self.priority,
            id=self.binding_id or f"app.{self.key}",
        )
        if not self.letter:
            return [main]
        letter_id = f"{self.binding_id}2" if self.binding_id else f"app.{self.letter}"
        return [main, Binding(self.letter, action, self.label, show=False, id=letter_id)]


def _intake(app: AkutHost) -> Screen[None]:
    from screens.intake import IntakeScreen

    return IntakeScreen(app.value_lists)


def _contacts(app: AkutHost) -> Screen[None]:
    from screens.contacts import ContactsScreen

    return ContactsScreen()


def _drafts(app: AkutHost) -> Screen[None]:
    from screens.drafts import DraftsScreen

    return DraftsScreen()


def _followups(app: AkutHost) -> Screen[None]:
    from screens.followups import FollowUpsScreen

    return FollowUpsScreen()


def _persons(app: AkutHost) -> Screen[None]:
    from screens.persons import PersonsScreen

    return PersonsScreen()


def _users(app: AkutHost) -> Screen[None]:
    from screens.users import UsersScreen

    return UsersScreen()


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("f2", "r", "Hurtig registrering (telefon, anonym)", "contact.create"),
    MenuEntry("f3", "i", "Ny registrering (alle felter)", "contact.create", _intake),
    MenuEntry("f4", "l", "Vagtens henvendelser", "contact.view_shift", _contacts),
    MenuEntry("f5", "k", "Kladder", "contact.create", _drafts),
    MenuEntry("f6", "o", "Opfølgninger (14 dage)", "followup.view", _followups),
    MenuEntry("f7", "p", "Personer: søg og flet", "person.search", _persons),
    MenuEntry("f9", "b", "Brugere", "users.manage", _users),
    MenuEntry("f1", "question_mark", "Vis alle taster", action="help", binding_id="app.help"),
    MenuEntry("ctrl+l", "", "Lås skærmen", action="lock", binding_id="app.lock"),
    MenuEntry("f12", "", "Log ud", action="logout", binding_id="app.logout"),
    MenuEntry("ctrl+q", "", "Log ud og afslut", action="quit_app", priority=True,
              binding_id="app.quit"),
)  # fmt: skip
"""Menu order; F2 (the quick-log panel) is opened by the app over the current screen."""


def find(key: str) -> MenuEntry | None:
    """The entry bound to ``key`` (an F-key or its letter)."""
    for entry in MENU:
        if key in (entry.key, entry.letter):
            return entry
    return None


def allowed(role: str, entry: MenuEntry) -> bool:
    """True when ``role`` may use ``entry``."""
    return not entry.permission or permissions.allowed(role, entry.permission)


def app_bindings() -> list[Binding]:
    """Every menu binding for the app's ``BINDINGS``."""
    return [binding for entry in MENU for binding in entry.bindings()]


def home_lines(role: str) -> list[tuple[str, str]]:
    """(keys, label) of the home menu for ``role``, in menu order."""
    return [(entry.keys_text, entry.label) for entry in MENU if allowed(role, entry)]


def help_lines(active: Iterable[ActiveBinding], extra: Sequence[tuple[str, str]] = ()) -> list[
    tuple[str, str]
]:
    """(keys, description) lines for the help screen from the active bindings.

    ``active`` is ``Screen.active_bindings.values()``: Textual has already left out
    what ``check_action`` refuses here (a screen the role may not open, letters
    while typing). Keys bound to the same thing share a line ("Ctrl+S/F10",
    "F3/i"); a menu key is named with its letter from :data:`MENU`; bindings not
    shown (``show=False``) are listed only beside a shown key for the same thing.
    """
    groups: dict[tuple[int, str], list[str]] = {}
    shown: set[tuple[int, str]] = set()
    for item in active:
        binding = item.binding
        group = (id(item.node), binding.description)
        if not binding.description:
            continue
        entry = find(binding.key)
        label = entry.keys_text if entry is not None and entry.key == binding.key else None
        keys = groups.setdefault(group, [])
        for name in [label] if label else [key_label(k.strip()) for k in binding.key.split(",")]:
            if name not in keys:
                keys.append(name)
        if binding.show:
            shown.add(group)
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    for group, keys in groups.items():
        if group not in shown:
            continue
        fresh = [k for k in keys if k not in seen and not any(k in s.split("/") for s in seen)]
        fresh = [k for k in fresh if not (k.startswith("Shift+") and k[6:] in fresh)]
        if not fresh:
            continue
        seen.update(fresh)
        lines.append(("/".join(fresh), group[1]))
    lines.extend(extra)
    return lines
