"""The ``?``/F1 overlay: every key of the current screen and the app, named as people read them.

Keys are shown as they are printed on a keyboard ("PgDn", "Esc", "Ctrl+S"),
a letter alternative beside its F-key ("F2/r"), keys for the same action on
one line ("Ctrl+S/F10"), and the quick-log keys where F2 opens the quick log.
The list scrolls (↑↓, PgUp/PgDn) when it is longer than the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label

from screens.quiet import QuietModalScreen
from screens.widgets import Plain

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

QuickKeys = list[tuple[str, str]]


def key_label(key: str) -> str:
    """Name ``key`` (a Textual key such as ``ctrl+s`` or ``pagedown``) as people read it."""
    parts = []
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


def collect_keys(
    screen_bindings: Iterable[object],
    app_bindings: Iterable[object],
    allowed: Callable[[str, tuple[object, ...]], bool | None],
) -> list[tuple[str, str]]:
    """(keys, description) lines: the screen's bindings first, then the app's.

    Bindings with the same description share one line ("Ctrl+S/F10"), hidden ones
    (letter alternatives) included; an action is listed only if one of its
    bindings is shown, and an app action only if ``allowed`` does not refuse it.
    """
    groups: dict[tuple[str, str], tuple[list[str], str]] = {}
    shown: set[tuple[str, str]] = set()
    for namespace, bindings in (("screen", screen_bindings), ("app", app_bindings)):
        for binding in bindings:
            if not isinstance(binding, Binding):
                continue
            action = binding.action.removeprefix("app.")
            # One line per thing the user can do: "F2" and its letter "r" open the
            # same screen, "Ctrl+S" and "F10" both save.
            owner = "app" if binding.action.startswith("app.") else namespace
            group_key = (owner, binding.description or action)
            if namespace == "app":
                name, _, params = action.partition("(")
                parameters = (params.rstrip(")").strip("'"),) if params else ()
                if allowed(name, parameters) is False:
                    continue
            keys, description = groups.setdefault(group_key, ([], binding.description))
            for key in binding.key.split(","):
                label = key_label(key.strip())
                if label not in keys:
                    keys.append(label)
            if binding.show and binding.description:
                shown.add(group_key)
                if not description:
                    groups[group_key] = (keys, binding.description)
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    for group_key, (keys, description) in groups.items():
        if group_key not in shown:
            continue
        keys = [k for k in keys if k not in seen]
        # "M" already says Shift+M.
        keys = [k for k in keys if not (k.startswith("Shift+") and k[6:] in keys)]
        if not keys:
            continue  # e.g. the app's Esc when the screen already uses Esc
        seen.update(keys)
        lines.append(("/".join(keys), description))
    lines.append(("Tab", "Næste felt (Shift+Tab: forrige)"))
    return lines


def quick_log_keys() -> QuickKeys:
    """The quick-log panel's keys (F2), from the panel's own key tables."""
    from screens.quick_log import ACTION_KEYS, ESCALATION_KEYS, SYMPTOM_KEYS
    from screens.triage import LEVEL_HOTKEYS

    def span(keys: str) -> str:
        return f"{keys[0]}-{keys[-1]}"

    return [
        (" ".join(LEVEL_HOTKEYS), "Kriseniveau: let, middelsvær, alvorlig, ikke krise"),
        (span(SYMPTOM_KEYS), "Symptomer"),
        (span(ACTION_KEYS), "Tiltag (A Ingen yderligere tiltag står alene)"),
        (span(ESCALATION_KEYS), "Eskalering (ved Alvorlig)"),
        ("v", "Varighed i minutter"),
        ("x y z", "Stille opkald, fejlopkald, testopkald (gemmes straks)"),
        ("Ctrl+S/F10", "Gem (kræver et kriseniveau)"),
        ("F3 · Esc", "Fortsæt i fuld registrering · luk (kladden gemmes)"),
    ]


def screen_has_quick_log(screen: Screen[object]) -> bool:
    """True when F2 opens the quick log on ``screen``."""
    from screens.quick_log import QuickLogPanel

    return bool(screen.query(QuickLogPanel))


def _table(keys: list[tuple[str, str]], width: int) -> str:
    return "\n".join(f"{key.ljust(width)}{text}" for key, text in keys)


class HelpScreen(QuietModalScreen[None]):
    """Lists (key, description) pairs given by the app; Escape or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box { width: 78; height: auto; max-height: 24; padding: 0 1;
                           background: $panel; }
    HelpScreen #help-title { text-style: bold; }
    HelpScreen #help-list { height: auto; max-height: 21; scrollbar-size-vertical: 1; }
    HelpScreen .help-head { text-style: bold; margin-top: 1; }
    HelpScreen #help-close { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Luk", id="help.close"),
        Binding("question_mark", "dismiss", "Luk", show=False),
    ]

    def __init__(self, keys: list[tuple[str, str]], quick: QuickKeys | None = None) -> None:
        super().__init__()
        self._keys = keys
        self._quick = quick or []

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self._keys + self._quick), default=4) + 2
        with Vertical(id="help-box"):
            yield Label("Taster", id="help-title")
            with VerticalScroll(id="help-list"):
                yield Plain(_table(self._keys, width), id="help-keys")
                if self._quick:
                    yield Plain("Hurtig registrering (F2)", classes="help-head")
                    yield Plain(_table(self._quick, width), id="help-quick")
            yield Plain("↑↓ PgUp/PgDn ruller · Esc lukker", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help-list", VerticalScroll).focus()
