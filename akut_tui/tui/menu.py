"""The menu registry: one table of everything reachable by an F-key or a letter.

The home menu, the help screen, the app's key bindings and the role checks all
read :data:`MENU`. A new screen is one line here: F-key, letter, Danish label,
permission (``akut_tui.core.permissions``) and a factory that builds the screen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from akut_tui.core import permissions
from screens.intake import IntakeScreen
from screens.support.host import AkutHost
from screens.support.key_markers import key_label

ScreenFactory = Callable[[AkutHost], Screen[None]]
"""Builds a screen for the app (imports it lazily, so start-up stays light)."""


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu: a screen to open, or an app action."""

    key: str
    """The Textual key (``f3``, ``ctrl+l``); empty for a letter-only entry."""
    letter: str
    """A letter (or ``question_mark``) that does the same, for terminals that send F-keys badly."""
    label: str
    """Danish text, as in the home menu and the help screen."""
    permission: str = ""
    """The permission needed (``akut_tui.core.permissions``); empty: every logged-in user."""
    screen: ScreenFactory | None = None
    """Builds the screen that opens over the home screen; ``None`` with no ``action``: the
    quick-log panel, which the app opens over the current screen."""
    action: str = ""
    """An app action instead of a screen (``quick_log``, ``help``, ``lock``...)."""
    priority: bool = False
    """A priority binding (runs even while a field has focus)."""
    binding_id: str = ""
    """The binding's id; ``app.<key>`` if empty."""
    group: str = ""
    """Letter-only entries of one group share one home line (the night work: ``""``)."""

    @property
    def keys_text(self) -> str:
        """The keys as the home menu and help show them: ``F3/i``, ``Ctrl+L``."""
        keys = [key_label(k) for k in (self.key, self.letter) if k]
        return "/".join(keys)

    def bindings(self) -> list[Binding]:
        """The app bindings for this entry: the key (shown) and its letter (hidden)."""
        if not self.key:  # letter only: the letter is the shown key
            return [
                Binding(self.letter, f"open('{self.letter}')", self.label, id=f"app.{self.letter}")
            ]
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
        # The letter opens by its own name, so the app can refuse it while letters
        # are text (a form, the statistics screen) and still let the F-key through.
        letter_action = self.action or f"open('{self.letter}')"
        return [main, Binding(self.letter, letter_action, self.label, show=False, id=letter_id)]


def _intake(app: AkutHost) -> Screen[None]:

    return IntakeScreen(app.value_lists)


@dataclass(frozen=True)
class LazyScreen:
    """A screen factory that imports its module only when the screen opens.

    Keeps the start-up imports light: no screen behind the menu is loaded before
    the login screen shows.
    """

    path: str
    """``module.Class`` under ``screens``, e.g. ``contacts.ContactsScreen``; the class
    is built without arguments."""

    def __call__(self, app: AkutHost) -> Screen[None]:
        module, _, name = self.path.rpartition(".")
        loaded = importlib.import_module(f"screens.{module}")
        screen_class = getattr(loaded, name)
        screen = screen_class()
        assert isinstance(screen, Screen)
        return screen


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("f2", "r", "Hurtig registrering (telefon, anonym)", "contact.create"),
    MenuEntry("f3", "i", "Ny registrering (alle felter)", "contact.create", _intake),
    MenuEntry("f4", "l", "Vagtens henvendelser", "contact.view_shift",
              LazyScreen("contacts.ContactsScreen")),
    MenuEntry("f5", "k", "Kladder", "contact.create", LazyScreen("drafts.DraftsScreen")),
    MenuEntry("f6", "o", "Opfølgninger (14 dage)", "followup.view",
              LazyScreen("followups.FollowUpsScreen")),
    MenuEntry("f7", "p", "Personer: søg og flet", "person.search",
              LazyScreen("persons.PersonsScreen")),
    MenuEntry("f8", "t", "Statistik", "stats.view", LazyScreen("statistics.StatisticsScreen")),
    MenuEntry("f9", "b", "Brugere", "users.manage", LazyScreen("users.UsersScreen")),
    # Night work (issue 9): letters only (no F-keys left); one shared home line.
    MenuEntry("", "s", "Senge (sengeoversigt)", "beds.view",
              LazyScreen("bed_board.BedBoardScreen")),
    MenuEntry("", "u", "Udkørsel (natstøtte)", "outreach.log",
              LazyScreen("outreach.OutreachScreen")),
    MenuEntry("", "h", "Overlevering", "handover.read", LazyScreen("handover.HandoverScreen")),
    # Oversight for coordinators and leaders (issue 18 §4-5): one shared home line.
    MenuEntry("", "f", "Hyppige brugere", "frequent_users.view",
              LazyScreen("frequent_users.FrequentUsersScreen"), group="overblik"),
    MenuEntry("", "d", "Datakvalitet", "quality.view",
              LazyScreen("data_quality.DataQualityScreen"), group="overblik"),
    # The leader's settings and audit work (issue 18 §2, §3, §6, §7): one home line.
    MenuEntry("", "v", "Værdilister", "values.manage", LazyScreen("values.ValuesScreen"),
              group="indstillinger"),
    MenuEntry("", "g", "Sengeindstillinger", "beds.configure",
              LazyScreen("bed_settings.BedSettingsScreen"), group="indstillinger"),
    MenuEntry("", "a", "Revisionsspor (log)", "audit.view",
              LazyScreen("audit_log.AuditLogScreen"), group="indstillinger"),
    MenuEntry("", "n", "Indsigt (borgerens adgangsrapport)", "audit.view",
              LazyScreen("access_report.AccessReportScreen"), group="indstillinger"),
    # Help, lock and logout are priority keys: no dialog or field can swallow them (issue 14).
    MenuEntry("f1", "question_mark", "Vis alle taster", action="help", priority=True,
              binding_id="app.help"),
    MenuEntry("ctrl+l", "", "Lås skærmen", action="lock", priority=True, binding_id="app.lock"),
    MenuEntry("f12", "", "Log ud", action="logout", priority=True, binding_id="app.logout"),
    MenuEntry("ctrl+q", "", "Log ud og afslut", action="quit_app", priority=True,
              binding_id="app.quit"),
)  # fmt: skip
"""Menu order; F2 (the quick-log panel) is opened by the app over the current screen."""


def find(key: str) -> MenuEntry | None:
    """The entry bound to ``key`` (an F-key or its letter)."""
    for entry in MENU:
        if key and key in (entry.key, entry.letter):
            return entry
    return None


def allowed(role: str, entry: MenuEntry) -> bool:
    """True when ``role`` may use ``entry``."""
    return not entry.permission or permissions.allowed(role, entry.permission)


def app_bindings() -> list[Binding]:
    """Every menu binding for the app's ``BINDINGS``.

    Ordered as the help screen lists them: what works everywhere first (quit,
    then the app's own actions), then the screens in menu order.
    """
    ordered = sorted(
        MENU,
        key=lambda entry: (not entry.priority, entry.action != "quit_app", not entry.action),
    )
    return [binding for entry in ordered for binding in entry.bindings()]


LETTERS_PER_LINE = 4
"""Letter-only entries per home line (the home screen widens its keys column to fit)."""


def home_lines(role: str) -> list[tuple[str, str]]:
    """(keys, label) of the home menu for ``role``, in menu order.

    Letter-only entries of one group share lines after the F-keys, at most
    :data:`LETTERS_PER_LINE` to a line (the keys column widens to fit), so the home
    screen fits 80x24: ``s/u/h   Senge · Udkørsel · Overlevering`` (the night work),
    ``f/d     Hyppige brugere · Datakvalitet`` (oversight).
    """
    entries = [entry for entry in MENU if allowed(role, entry)]
    keyed = [(e.keys_text, e.label) for e in entries if e.key and not e.action]
    groups: dict[str, list[MenuEntry]] = {}
    for entry in entries:
        if not entry.key:
            groups.setdefault(entry.group, []).append(entry)
    for letters in groups.values():
        for start in range(0, len(letters), LETTERS_PER_LINE):
            group = letters[start : start + LETTERS_PER_LINE]
            keys = "/".join(e.letter for e in group)
            keyed.append((keys, " · ".join(e.label.split(" (")[0] for e in group)))
    return keyed + [(e.keys_text, e.label) for e in entries if e.action]


def _declared(node: DOMNode) -> list[Binding]:
    """``node``'s key bindings, its base classes' first, one per key ("ctrl+s,f10": two)."""
    bindings: list[Binding] = []
    for cls in reversed(type(node).__mro__):
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding):
                bindings.extend(replace(item, key=key.strip()) for key in item.key.split(","))
    return bindings


def help_lines(
    screen: Screen[Any], app: DOMNode, extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """(keys, description) lines for the help screen: the screen's keys, then the app's.

    Whether a key works here comes from ``screen.active_bindings``: Textual has
    already left out what ``check_action`` refuses (a screen the role may not
    open, letters while typing). A screen or app key that a focused widget binds
    too without showing it (PgDn in a text field, which passes it on) still
    counts. Keys bound to the same thing share a line ("Ctrl+S/F10", and a menu
    key with its letter, "F3/i", where letters act); keys that are not shown are
    listed only beside a shown key for the same thing.
    """
    active = screen.active_bindings
    groups: dict[tuple[int, str], list[str]] = {}
    shown: set[tuple[int, str]] = set()
    for node in (screen, app):
        for binding in _declared(node):
            hit = active.get(binding.key)
            if hit is None or not binding.description:
                continue  # refused here (check_action), or nothing to say
            if hit.binding.action != binding.action and (
                hit.node in (screen, app) or hit.binding.show
            ):
                continue  # another binding for this key wins here
            group = (id(node), binding.description)
            name = key_label(binding.key)
            keys = groups.setdefault(group, [])
            if name not in keys:
                keys.append(name)
            if binding.show:
                shown.add(group)
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    for group, keys in groups.items():
        if group not in shown:
            continue
        fresh = [k for k in keys if k not in seen]
        fresh = [k for k in fresh if not (k.startswith("Shift+") and k[6:] in fresh)]
        if fresh:
            seen.update(fresh)
            lines.append(("/".join(fresh), group[1]))
    lines.extend(extra)
    return lines
