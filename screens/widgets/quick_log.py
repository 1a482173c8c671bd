"""Quick log: an anonymous phone call registered in a few keys, while still on the phone.

The panel is mounted over the bottom of the current screen, so opening it repaints only
those lines. Its keys are in :mod:`screens.widgets.quick_log_keys` (and the help screen):
level, symptoms, actions, escalation, the optional krisesamtale, municipality, "har ringet
før", referrals, goal, "uden os", duration, non-data calls, F3, Ctrl+S/F10 save, Esc close.
Nothing ticks (idle output stays zero): the head shows the call's start, and an empty
duration is the minutes since then, counted at saving. Ctrl+S without a level saves
nothing and asks for one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from akut_tui.core.clock import format_time
from akut_tui.services.base.dto import SavedContact
from akut_tui.services.base.value_lists import ValueLists
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import EXCLUSIVE_ACTIONS, ContactInput
from akut_tui.tui_kit.messages import OpenFullForm
from screens.support.drafting import DraftKeeper
from screens.support.host import host
from screens.support.key_markers import CapturesLetters
from screens.support.triage import LEVEL_HOTKEYS, LEVEL_STYLE, LEVEL_TEXT, picks_line
from screens.support.workers import run_service
from screens.widgets.fields import toggle_code
from screens.widgets.quick_log_keys import (
    ACTION_KEYS,
    CONVERSATION_KEY,
    CYCLES,
    ESCALATION_KEYS,
    MUNICIPALITY_KEY,
    NEEDS_LEVEL,
    NON_DATA_KEYS,
    REPEAT_KEY,
    STEPPED,
    SYMPTOM_KEYS,
    more_line,
    next_in,
    with_stepped,
)
from screens.widgets.quick_referrals import REFERRAL_KEYS, TARGETS, QuickReferrals
from screens.widgets.text import MessageLine, Plain, TextInput


class QuickLogPanel(CapturesLetters, Vertical, can_focus=True):
    """The quick-log panel (docked over the bottom of the current screen).

    Letters are quick-log keys here, never menu shortcuts. It posts
    :class:`QuickLogPanel.Saved` to its screen and
    :class:`~akut_tui.tui_kit.messages.OpenFullForm` to the app.
    """

    class Saved(Message):
        """The call was saved; the screen shows the confirmation line."""

        def __init__(self, panel: QuickLogPanel, saved: SavedContact) -> None:
            super().__init__()
            self.panel = panel
            """The panel that saved (it hides itself when the screen says so)."""
            self.saved = saved
            """The saved contact."""

    DEFAULT_CSS = """
    QuickLogPanel {
        layer: overlay;
        dock: bottom;
        height: auto;
        background: ansi_black;
        padding: 0 1;
    }
    QuickLogPanel.-closed { visibility: hidden; }
    QuickLogPanel #ql-head { text-style: bold; }
    QuickLogPanel #ql-duration-row { height: 1; }
    QuickLogPanel #ql-duration-label { width: 14; }
    QuickLogPanel #ql-duration { width: 6; }
    QuickLogPanel #ql-keys { width: 1fr; }
    QuickLogPanel #ql-message { color: ansi_bright_red; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Gem", id="quick.save"),
        Binding("f10", "save", "Gem", show=False),
        Binding("f3", "full_form", "Fuld registrering", id="quick.full"),
        Binding("escape", "close", "Luk", id="quick.close"),
    ]

    def __init__(self, lists: ValueLists) -> None:
        super().__init__(id="quick-log", classes="-closed")
        self.lists = lists
        self.started_at = datetime.now(UTC)
        self._return_focus: Widget | None = None
        self._reset()

    def _reset(self) -> None:
        self.level = ""
        self.symptoms: list[str] = []
        self.actions: list[str] = []
        self.escalations: list[str] = []
        # Key → answer: a fixed cycle (krisesamtale, ringet før), a list (goal, avoided).
        self.cycled: dict[str, str] = {}
        self.stepped: dict[str, str] = {}
        self.referrals = QuickReferrals()
        self.municipality = ""
        self.duration_edited = False
        self.drafts = DraftKeeper(self, self.form, self._message)
        self._saving = False
        self._asked_for_level = False
        self.saved: SavedContact | None = None

    def compose(self) -> ComposeResult:
        yield Plain("", id="ql-head")
        yield Plain("", id="ql-level")
        yield Plain("", id="ql-symptoms")
        yield Plain("", id="ql-actions")
        yield Plain("", id="ql-escalation")
        yield Plain("", id="ql-more")

        with Horizontal(id="ql-duration-row"):
            yield Plain("Varighed (v): ", id="ql-duration-label")
            yield TextInput(
                "",
                id="ql-duration",
                placeholder="auto",
                restrict=r"\d{0,4}",
                max_length=4,
                select_on_focus=True,
            )
            yield Plain(" min · x stille · y fejl · z test · F3 fuld · ^S gem", id="ql-keys")
        yield MessageLine("", id="ql-message")

    @property
    def is_open(self) -> bool:
        """True while the panel is shown."""
        return not self.has_class("-closed")

    def open(self, started_at: datetime) -> None:
        """Show an empty panel for a new call starting at ``started_at``.

        The panel is mounted hidden with its screen and only made visible here,
        so opening it repaints the panel's lines, not the whole screen.
        """
        self._reset()
        self.started_at = started_at
        self.query_one("#ql-duration", Input).value = ""
        self._message("")
        self._render_all()
        self._return_focus = self.screen.focused
        self.remove_class("-closed")
        # set_focus is synchronous, so keys that follow F2 in one burst land here.
        self.screen.set_focus(self)

    def hide(self) -> None:
        """Hide the panel and give focus back to where it was."""
        self.add_class("-closed")
        target = self._return_focus
        self._return_focus = None
        self.screen.set_focus(target if target is not None and target.is_attached else None)

    # --- rendering -------------------------------------------------------------------
    def _elapsed_minutes(self) -> int:
        seconds = (host(self).runtime.now() - self.started_at).total_seconds()
        return max(0, int(seconds // 60))

    def _render_head(self) -> None:
        tz = host(self).config.site.timezone
        self.query_one("#ql-head", Plain).set_text(
            f"HURTIG REGISTRERING · Telefon · Anonym · start {format_time(self.started_at, tz)}"
        )

    def _render_level(self) -> None:
        text = Text("Niveau  ", style="bold")
        for key, code in LEVEL_HOTKEYS.items():
            label = LEVEL_TEXT[code].capitalize()
            text.append(f"{key} {label}  ", style="reverse" if code == self.level else "")
        text.append("→ ")
        text.append(LEVEL_TEXT[self.level], style=LEVEL_STYLE[self.level])
        self.query_one("#ql-level", Plain).update(text)

    def _renderpicks_line(self) -> None:
        self.query_one("#ql-symptoms", Plain).update(
            picks_line("Symptom", SYMPTOM_KEYS, self.lists.get("symptom", []), self.symptoms)
        )
        self.query_one("#ql-actions", Plain).update(
            picks_line("Tiltag", ACTION_KEYS, self.lists.get("action", []), self.actions)
        )

    def _render_escalation(self) -> None:
        widget = self.query_one("#ql-escalation", Plain)
        if self.level == "alvorlig":
            widget.update(
                picks_line(
                    "Eskal.", ESCALATION_KEYS, self.lists.get("escalation", []), self.escalations
                )
            )
            widget.display = True
        else:
            widget.display = False

    def _host_label(self) -> str:
        code = host(self).config.site.municipality
        return dict(self.lists.get("municipality", [])).get(code, code)

    def _render_more(self) -> None:
        municipality = self._host_label() if self.municipality else ""
        labels = {
            key: dict(self.lists.get(STEPPED[key], [])).get(code, "")
            for key, code in self.stepped.items()
        }
        targets = self.referrals.texts(dict(self.lists.get(TARGETS, [])))
        talk, repeat = self.cycled.get(CONVERSATION_KEY, ""), self.cycled.get(REPEAT_KEY, "")
        more = more_line(talk, municipality, repeat, labels, targets)
        self.query_one("#ql-more", Plain).update(more)

    def _render_all(self) -> None:
        self._render_head()
        self._render_level()
        self._renderpicks_line()
        self._render_escalation()
        self._render_more()

    # --- keys ------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if not self.is_open or self.saved is not None or self._saving:
            return
        if isinstance(self.app.focused, Input):
            return
        char = event.character or ""
        handled = True
        if event.key in LEVEL_HOTKEYS:
            self.level = LEVEL_HOTKEYS[event.key]
            if self._asked_for_level:
                self._asked_for_level = False
                self._message("")
            self._render_level()
            self._render_escalation()
        elif len(char) == 1 and char in SYMPTOM_KEYS:
            self._toggle(self.symptoms, self.lists.get("symptom", []), SYMPTOM_KEYS, char)
        elif len(char) == 1 and char in ACTION_KEYS:
            self._toggle(
                self.actions, self.lists.get("action", []), ACTION_KEYS, char, EXCLUSIVE_ACTIONS
            )
        elif len(char) == 1 and char in ESCALATION_KEYS and self.level == "alvorlig":
            self._toggle(self.escalations, self.lists.get("escalation", []), ESCALATION_KEYS, char)
            self._render_escalation()
        elif char in CYCLES:
            self.cycled[char] = next_in(CYCLES[char][1], self.cycled.get(char, ""))
            self._render_more()
        elif char in REFERRAL_KEYS:
            self.referrals.key(char, [code for code, _ in self.lists.get(TARGETS, [])])
            self._render_more()
        elif char in STEPPED:
            codes = ("", *(code for code, _ in self.lists.get(STEPPED[char], [])))
            self.stepped[char] = next_in(codes, self.stepped.get(char, ""))
            self._render_more()
        elif char == MUNICIPALITY_KEY:
            self.municipality = "" if self.municipality else host(self).config.site.municipality
            self._render_more()
        elif char == "v":
            # set_focus is synchronous: the digits that follow in the same burst
            # must land in the field, not be read as crisis levels.
            self.screen.set_focus(self.query_one("#ql-duration", Input))
        elif char in NON_DATA_KEYS:
            self._save(
                ContactInput(
                    started_at=self.started_at,
                    contact_type=NON_DATA_KEYS[char],
                    duration_min=str(self._elapsed_minutes()),
                )
            )
        else:
            handled = False
        if handled:
            event.stop()
            event.prevent_default()
            self._changed()
        elif event.is_printable:
            # Not a quick-log key: still text for the panel, never a shortcut of the
            # screen below (m on persons, u on users, t on follow-ups).
            event.stop()
            event.prevent_default()

    def _toggle(
        self,
        chosen: list[str],
        options: list[tuple[str, str]],
        keys: str,
        char: str,
        exclusive: frozenset[str] = frozenset(),
    ) -> None:
        index = keys.index(char)
        if index >= len(options):
            return
        toggle_code(chosen, options[index][0], exclusive)
        self._renderpicks_line()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.has_focus:
            self.duration_edited = True
            self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self)

    # --- drafts -----------------------------------------------------------------------
    def _changed(self) -> None:
        self.drafts.changed()

    def form(self) -> ContactInput:
        """The quick log as form data (also what the full form continues with)."""
        duration = self.query_one("#ql-duration", Input).value
        if not self.duration_edited or not duration:
            duration = str(max(1, self._elapsed_minutes()))
        form = ContactInput(
            started_at=self.started_at,
            crisis_level=self.level,
            symptoms=list(self.symptoms),
            actions=list(self.actions),
            escalations=list(self.escalations) if self.level == "alvorlig" else [],
            duration_min=duration,
            crisis_conversation=self.cycled.get(CONVERSATION_KEY, ""),
            anonymous_repeat=self.cycled.get(REPEAT_KEY, ""),
            home_municipality=self.municipality,
            flag_suicidal="selvmordstanker" in self.symptoms,
            flag_self_harm="selvskade" in self.symptoms,
        )
        return self.referrals.apply(with_stepped(form, self.stepped))

    # --- actions ----------------------------------------------------------------------
    def action_save(self) -> None:
        """Save the call as it stands; a call without a level is not saved."""
        if not self.level:
            # An empty quick log is almost always a slip of Ctrl+S; nothing is lost.
            self._message(NEEDS_LEVEL)
            self._asked_for_level = True
            self.screen.set_focus(self)
            return
        self._save(self.form())

    def _save(self, form: ContactInput) -> None:
        app = host(self)
        session = app.session
        if session is None or self._saving:
            return
        self._saving = True
        rt, draft_id = app.runtime, self.drafts.draft_id
        self.drafts.close(discard_late=True)

        def call() -> SavedContact:
            return contacts.save_contact(rt, session, form, draft_id=draft_id)

        run_service(self, call, self._saved, self._failed, group="save")

    def _failed(self, message: str) -> None:
        self._saving = False
        self.drafts.reopen()
        self._message(message)

    def _saved(self, saved: SavedContact) -> None:
        self._saving = False
        self.saved = saved
        self.post_message(self.Saved(self, saved))

    def _message(self, text: str) -> None:
        self.query_one("#ql-message", Plain).set_text(text)

    def action_close(self) -> None:
        """Close the panel; anything entered stays as a draft."""
        self.drafts.flush()
        self.drafts.close()
        self.hide()

    def action_full_form(self) -> None:
        """Continue in the full form with what was entered."""
        # The full form takes over the draft (and keeps writing it).
        form, draft_id = self.form(), self.drafts.draft_id
        self.drafts.close()
        self.hide()
        self.post_message(OpenFullForm(form, draft_id))
