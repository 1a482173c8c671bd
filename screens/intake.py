"""Full contact registration in three pages that each fit 80x24 without scrolling.

Field order follows a real call: who and how (page 1), assessment and triage
(page 2), what was done (page 3). Tab/Shift+Tab move between fields and on
to the next page; PgDn/PgUp switch page; Ctrl+S or F10 saves. The form is
saved as a draft a few seconds after each change, so a dropped SSH link
loses nothing. A rejected save marks the fields and keeps everything typed.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from akut_tui.clock import format_datetime
from akut_tui.cpr import CprError, is_masked, parse_cpr
from akut_tui.errors import ValidationError
from akut_tui.services import contacts, persons
from akut_tui.services.contact_input import (
    EXCLUSIVE_ACTIONS,
    ContactInput,
    cpr_prompt_reasons,
)
from akut_tui.services.dto import RepeatInfo, SavedContact, SessionInfo
from akut_tui.services.runtime import Runtime
from akut_tui.services.values import ValueLists
from screens.base import host
from screens.dialogs import ConfirmDialog
from screens.drafting import DraftKeeper
from screens.form_widgets import Choice, FieldChanged, MultiChoice, Toggle
from screens.quiet import QuietScreen
from screens.triage import LEVEL_HELP, LEVEL_HOTKEYS, repeat_banner
from screens.widgets import MessageLine, Plain, TextInput
from screens.workers import describe_failure, run_service

PAGES = ("Kontakt", "Vurdering", "Afslutning")

IDENTITY_OPTIONS = [("anonym", "Anonym"), ("pseudonym", "Kaldenavn"), ("cpr", "CPR")]
FLAG_OPTIONS = [
    ("flag_suicidal", "Selvmordstanker"),
    ("flag_self_harm", "Selvskade"),
    ("flag_influence", "Påvirket"),
    ("flag_threatening", "Truende"),
]
TEXT_FIELDS = (
    "started_at",
    "cpr_text",
    "nickname",
    "birth_year",
    "followup_phone",
    "duration_min",
    "note",
)
CHOICE_FIELDS = (
    "contact_type",
    "channel",
    "caller",
    "partner_type",
    "identity",
    "gender",
    "age_band",
    "home_municipality",
    "housing",
    "crisis_level",
    "stabilisation",
    "turned_away",
    "referred_to",
)
TOGGLE_FIELDS = (
    "cpr_declined",
    "crisis_conversation",
    "crisis_plan",
    "progression_goal",
    "followup_wanted",
    "coordination_needed",
    "under18_notified",
)
MULTI_FIELDS = ("symptoms", "events", "actions", "escalations")


class FormPage(VerticalScroll, can_focus=False, inherit_bindings=False):
    """One page of the form: scrolls to keep the focused field in view, takes no keys.

    Without its own keys PgDn/PgUp still switch pages and Home/End still move in a
    text field; the scroll position follows the focus only.
    """


def parse_local_time(text: str, tz: str) -> datetime:
    """Parse ``dd-mm-åååå tt:mm`` in the site's time zone; raise ValueError."""
    from akut_tui.clock import zone

    moment = datetime.strptime(text.strip(), "%d-%m-%Y %H:%M")
    return moment.replace(tzinfo=zone(tz))


class IntakeScreen(QuietScreen[None]):
    """The full registration form."""

    DEFAULT_CSS = """
    IntakeScreen { padding: 0 1; }
    IntakeScreen #intake-head { height: 1; text-style: bold; }
    IntakeScreen #intake-banner { height: auto; color: ansi_yellow; }
    IntakeScreen #intake-pages { height: 1fr; }
    IntakeScreen .page { height: 1fr; scrollbar-size-vertical: 1; }
    IntakeScreen .row { height: 1; }
    IntakeScreen .err { color: ansi_bright_red; height: auto; display: none; }
    IntakeScreen .err.-shown { display: block; }
    IntakeScreen #level-help { height: auto; color: ansi_cyan; }
    IntakeScreen #intake-keys { height: 1; color: ansi_bright_black; }
    IntakeScreen .label { width: 20; text-style: bold; }
    IntakeScreen TextInput { width: 1fr; max-width: 42; }
    IntakeScreen #started_at { width: 18; }
    IntakeScreen #cpr_text { width: 13; }
    IntakeScreen #birth_year, IntakeScreen #duration_min { width: 6; }
    IntakeScreen #followup_phone { width: 14; }
    """

    captures_letters = True
    """Letters are form input here, never menu shortcuts (the app checks this)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Gem", id="intake.save"),
        Binding("f10", "save", "Gem", show=False),
        Binding("pagedown", "page(1)", "Næste side", id="intake.next_page"),
        Binding("pageup", "page(-1)", "Forrige side", id="intake.prev_page"),
        Binding("escape", "leave", "Luk (kladden gemmes)", id="intake.leave"),
        Binding("f8", "discard", "Kassér kladden", id="intake.discard"),
    ]

    def __init__(
        self,
        lists: ValueLists,
        form: ContactInput | None = None,
        *,
        contact_id: int | None = None,
        draft_id: int | None = None,
    ) -> None:
        super().__init__()
        self.lists = lists
        self.form = form or ContactInput()
        self.contact_id = contact_id
        self.drafts = DraftKeeper(
            self, self.read_form, self._message, draft_id=draft_id, contact_id=contact_id
        )
        self.page = 0
        self.repeat: RepeatInfo | None = None
        self._saving = False
        self._ready = False
        self._banner = ""
        self._level_help = ""

    # --- layout ------------------------------------------------------------------
    def _opts(self, name: str) -> list[tuple[str, str]]:
        return self.lists.get(name, [])

    def _row(self, widget: Widget, field: str) -> ComposeResult:
        yield widget
        yield Plain("", classes="err", id=f"err-{field}")

    def compose(self) -> ComposeResult:
        app = host(self)
        f = self.form
        tz = app.config.site.timezone
        municipality = f.home_municipality or app.config.site.municipality
        if f.started_at is None:
            f.started_at = app.runtime.now()
        started = format_datetime(f.started_at, tz)
        yield Plain("", id="intake-head")
        yield Plain("", id="intake-banner")
        with ContentSwitcher(initial="page-0", id="intake-pages"):
            with FormPage(id="page-0", classes="page"):
                yield from self._row(
                    self._text("started_at", "Tidspunkt", started, 16), "started_at"
                )
                yield from self._row(
                    Choice("Type", self._opts("contact_type"), f.contact_type, id="contact_type"),
                    "contact_type",
                )
                yield from self._row(
                    Choice("Kontaktform", self._opts("channel"), f.channel, id="channel"), "channel"
                )
                yield from self._row(
                    Choice("Henvender", self._opts("caller"), f.caller, id="caller"), "caller"
                )
                yield from self._row(
                    Choice(
                        "Samarbejdspartner",
                        self._opts("partner_type"),
                        f.partner_type,
                        empty_label="—",
                        id="partner_type",
                    ),
                    "partner_type",
                )
                yield from self._row(
                    Choice("Borger", IDENTITY_OPTIONS, f.identity, id="identity"), "identity"
                )
                yield from self._row(self._text("cpr_text", "CPR", f.cpr_text, 11), "cpr_text")
                yield from self._row(
                    Toggle("CPR afvist", f.cpr_declined, id="cpr_declined"), "cpr_declined"
                )
                yield from self._row(
                    self._text("nickname", "Kaldenavn", f.nickname, 60), "nickname"
                )
                yield from self._row(
                    self._text("birth_year", "Fødselsår", f.birth_year, 4), "birth_year"
                )
                yield from self._row(
                    Choice("Køn", self._opts("gender"), f.gender, id="gender"), "gender"
                )
                yield from self._row(
                    Choice("Aldersgruppe", self._opts("age_band"), f.age_band, id="age_band"),
                    "age_band",
                )
                yield from self._row(
                    Choice(
                        "Bopælskommune",
                        self._opts("municipality"),
                        municipality,
                        id="home_municipality",
                    ),
                    "home_municipality",
                )
                yield from self._row(
                    Choice("Boform", self._opts("housing"), f.housing, id="housing"), "housing"
                )
            with FormPage(id="page-1", classes="page"):
                yield from self._row(
                    Choice(
                        "Kriseniveau",
                        self._opts("crisis_level"),
                        f.crisis_level,
                        empty_label="Ikke vurderet",
                        hotkeys=LEVEL_HOTKEYS,
                        id="crisis_level",
                    ),
                    "crisis_level",
                )
                yield Plain("", id="level-help")
                flags = [code for code, _ in FLAG_OPTIONS if getattr(f, code)]
                yield from self._row(
                    MultiChoice("Særlige forhold", FLAG_OPTIONS, flags, id="flags"), "flags"
                )
                yield from self._row(
                    MultiChoice("Symptomer", self._opts("symptom"), f.symptoms, id="symptoms"),
                    "symptoms",
                )
                yield from self._row(
                    MultiChoice("Udløsende", self._opts("event"), f.events, id="events"), "events"
                )
                yield from self._row(
                    MultiChoice(
                        "Eskalering", self._opts("escalation"), f.escalations, id="escalations"
                    ),
                    "escalations",
                )
                yield from self._row(
                    Choice(
                        "Stabilisering",
                        self._opts("stabilisation"),
                        f.stabilisation,
                        empty_label="Ikke vurderet",
                        id="stabilisation",
                    ),
                    "stabilisation",
                )
            with FormPage(id="page-2", classes="page"):
                yield from self._row(
                    MultiChoice(
                        "Tiltag",
                        self._opts("action"),
                        f.actions,
                        exclusive=EXCLUSIVE_ACTIONS,
                        id="actions",
                    ),
                    "actions",
                )
                yield from self._row(
                    Toggle("Krisesamtale", f.crisis_conversation, id="crisis_conversation"),
                    "crisis_conversation",
                )
                yield from self._row(
                    Toggle("Kriseplan", f.crisis_plan, id="crisis_plan"), "crisis_plan"
                )
                yield from self._row(
                    Toggle("Progressionsmål", f.progression_goal, id="progression_goal"),
                    "progression_goal",
                )
                yield from self._row(
                    Toggle("Opfølgning 14 dage", f.followup_wanted, id="followup_wanted"),
                    "followup_wanted",
                )
                yield from self._row(
                    self._text("followup_phone", "Telefon (samtykke)", f.followup_phone, 20),
                    "followup_phone",
                )
                yield from self._row(
                    self._text("duration_min", "Varighed (min)", f.duration_min, 4), "duration_min"
                )
                yield from self._row(
                    Toggle("Koordinering", f.coordination_needed, id="coordination_needed"),
                    "coordination_needed",
                )
                yield from self._row(
                    Choice(
                        "Afvist ved døren",
                        self._opts("turn_away"),
                        f.turned_away,
                        empty_label="Nej",
                        id="turned_away",
                    ),
                    "turned_away",
                )
                yield from self._row(
                    Choice(
                        "Henvist til",
                        self._opts("partner_type"),
                        f.referred_to,
                        empty_label="—",
                        id="referred_to",
                    ),
                    "referred_to",
                )
                yield from self._row(
                    Toggle("Underretning sendt", f.under18_notified, id="under18_notified"),
                    "under18_notified",
                )
                yield from self._row(self._text("note", "Kort note", f.note, 500), "note")
        yield MessageLine("", id="intake-message")
        yield Plain(
            "Tab felt · PgDn/PgUp side · ^S gem · Esc luk (kladde) · F8 kassér · F1 hjælp",
            id="intake-keys",
        )

    def _text(self, field: str, label: str, value: str, max_length: int) -> Widget:
        from textual.containers import Horizontal

        row = Horizontal(classes="row")
        row.compose_add_child(Plain(label.ljust(20), classes="label"))
        row.compose_add_child(
            TextInput(value, id=field, max_length=max_length, enter_advances=True)
        )
        return row

    def on_mount(self) -> None:
        self._show_page(0)
        self._refresh_derived()
        self.call_after_refresh(self._set_ready)

    def _set_ready(self) -> None:
        self._ready = True

    # --- reading the form ----------------------------------------------------------
    def read_form(self) -> ContactInput:
        """Collect the widgets' values into a :class:`ContactInput`."""
        values: dict[str, object] = {}
        for name in TEXT_FIELDS:
            if name != "started_at":
                values[name] = self.query_one(f"#{name}", Input).value
        for name in CHOICE_FIELDS:
            values[name] = self.query_one(f"#{name}", Choice).value
        for name in TOGGLE_FIELDS:
            values[name] = self.query_one(f"#{name}", Toggle).value
        for name in MULTI_FIELDS:
            values[name] = list(self.query_one(f"#{name}", MultiChoice).selected)
        flags = self.query_one("#flags", MultiChoice).selected
        for code, _ in FLAG_OPTIONS:
            values[code] = code in flags
        values["started_at"] = self._started_at()
        return ContactInput(**values)  # type: ignore[arg-type]  # keys match the dataclass

    def _started_at(self) -> datetime | None:
        text = self.query_one("#started_at", Input).value
        try:
            return parse_local_time(text, host(self).config.site.timezone)
        except ValueError:
            return self.form.started_at

    # --- derived display -----------------------------------------------------------
    def _show_page(self, page: int) -> None:
        self.page = page % len(PAGES)
        self.query_one(ContentSwitcher).current = f"page-{self.page}"
        self._update_head()

    def _update_head(self) -> None:
        title = "Ret henvendelse" if self.contact_id else "Registrering"
        parts = [f"{title} · Side {self.page + 1}/{len(PAGES)} {PAGES[self.page]}"]
        self.query_one("#intake-head", Plain).set_text("  ".join(parts))

    def _refresh_derived(self) -> None:
        form = self.read_form()
        level = form.crisis_level
        level_help = self.query_one("#level-help", Plain)
        level_help.set_text(LEVEL_HELP.get(level, ""))
        level_help.display = bool(level)
        notes: list[str] = []
        if self.repeat is not None:
            notes.append(repeat_banner(self.repeat, host(self).config.site.timezone))
        if self._under_18(form):
            notes.append("Under 18: skærpet underretningspligt. Registrér underretning (side 3).")
        reasons = cpr_prompt_reasons(form, known_person=self.repeat is not None)
        if reasons:
            notes.append("Spørg om CPR: " + ", ".join(reasons) + ". Afvist kan registreres.")
        if level == "alvorlig":
            notes.append(
                "Alvorlig: brug eskaleringslisten (side 2): 112, psykiatri, vagtlæge, "
                "politi, indlæggelse."
            )
        # Every notice in full: the pages below scroll, so nothing has to be cut.
        banner = "\n".join(notes)
        if banner != self._banner or LEVEL_HELP.get(level, "") != self._level_help:
            self._banner, self._level_help = banner, LEVEL_HELP.get(level, "")
            self.query_one("#intake-banner", Plain).set_text(banner)
            # A taller banner or help text shrinks the page: keep the focused field in view.
            self.call_after_refresh(self._keep_focus_visible)

    def _keep_focus_visible(self) -> None:
        focused = self.focused
        if focused is not None and focused.is_attached:
            focused.scroll_visible(animate=False, immediate=True)

    def _under_18(self, form: ContactInput) -> bool:
        if form.age_band == "under_18":
            return True
        if form.identity == "cpr" and form.cpr_text and not is_masked(form.cpr_text):
            try:
                moment = form.started_at or host(self).runtime.now()
                return parse_cpr(form.cpr_text, moment.date()).age_on(moment.date()) < 18
            except (CprError, ValueError):
                return False
        return False

    def on_field_changed(self, event: FieldChanged) -> None:
        event.stop()
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def _changed(self) -> None:
        if not self._ready:
            return
        self._refresh_derived()
        self.drafts.changed()

    def on_descendant_blur(self, event: object) -> None:
        focused_id = getattr(getattr(event, "widget", None), "id", "")
        if focused_id in ("cpr_text", "nickname", "birth_year"):
            self._lookup_repeat()

    def _lookup_repeat(self) -> None:
        app = host(self)
        session = app.session
        if session is None:
            return
        form, rt, exclude = self.read_form(), app.runtime, self.contact_id

        def found(info: RepeatInfo | None) -> None:
            self.repeat = info
            self._refresh_derived()

        run_service(
            self,
            lambda: persons.lookup_repeat(rt, session, form, exclude),
            found,
            self._message,
            group="lookup",
        )

    # --- focus and pages -----------------------------------------------------------
    def _page_fields(self) -> list[Widget]:
        page = self.query_one(f"#page-{self.page}", FormPage)
        return [w for w in page.query("*") if w.focusable]

    def focus_next(self, selector: object = "*") -> Widget | None:
        """Tab: next field, and from the last field on to the next page."""
        fields = self._page_fields()
        if fields and self.focused is fields[-1]:
            self._show_page(self.page + 1)
            self.call_after_refresh(self._focus_first)
            return None
        return super().focus_next()

    def focus_previous(self, selector: object = "*") -> Widget | None:
        """Shift+Tab: previous field, and from the first field back a page."""
        fields = self._page_fields()
        if fields and self.focused is fields[0]:
            self._show_page(self.page - 1)
            self.call_after_refresh(self._focus_last)
            return None
        return super().focus_previous()

    def _focus_first(self) -> None:
        fields = self._page_fields()
        if fields:
            fields[0].focus()

    def _focus_last(self) -> None:
        fields = self._page_fields()
        if fields:
            fields[-1].focus()

    def action_page(self, delta: int) -> None:
        """Switch page and focus its first field."""
        self._show_page(self.page + delta)
        self.call_after_refresh(self._focus_first)

    # --- drafts ------------------------------------------------------------------
    def flush_draft(self, wait: bool = False) -> None:
        """Write a pending draft now (before a lock, logout or quit unmounts the form)."""
        self.drafts.flush(wait=wait)

    def action_leave(self) -> None:
        """Close the form; what was typed stays as a draft."""
        self.drafts.flush()
        self.app.call_later(self.app.action_go_home)  # type: ignore[attr-defined]

    def action_discard(self) -> None:
        """Ask first; on ja throw the draft away and close."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.drafts.discard()
                self.app.call_later(self.app.action_go_home)  # type: ignore[attr-defined]
            else:
                self._message("Ikke kasseret. Registreringen er der stadig.")

        self.app.push_screen(
            ConfirmDialog(
                "Kassér registreringen? Alt indtastet slettes og kan ikke hentes igen.",
                yes="kassér",
                no="fortsæt",
            ),
            answered,
        )

    # --- saving ------------------------------------------------------------------
    def action_save(self) -> None:
        """Validate and save in a worker; errors are shown beside their fields."""
        if self._saving:
            return
        app = host(self)
        session = app.session
        if session is None:
            return
        text = self.query_one("#started_at", Input).value
        try:
            parse_local_time(text, app.config.site.timezone)
        except ValueError:
            self._show_errors(
                [ValidationError("Skriv tidspunktet som dd-mm-åååå tt:mm.", "started_at")]
            )
            return
        self._saving = True
        form, rt = self.read_form(), app.runtime
        contact_id, draft_id = self.contact_id, self.drafts.draft_id
        self.drafts.close(discard_late=True)
        self._message("Gemmer…")
        self.run_worker(
            lambda: self._save_in_thread(rt, session, form, contact_id, draft_id),
            thread=True,
            exclusive=True,
            group="save",
            exit_on_error=False,
        )

    def _save_in_thread(
        self,
        rt: Runtime,
        session: SessionInfo,
        form: ContactInput,
        contact_id: int | None,
        draft_id: int | None,
    ) -> None:
        from akut_tui.errors import AkutError

        try:
            saved = contacts.save_contact(
                rt,
                session,
                form,
                contact_id=contact_id,
                draft_id=draft_id,
            )
        except contacts.FormErrors as exc:
            self.app.call_from_thread(self._show_errors, exc.errors)
            return
        except AkutError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - reported by incident id only
            self.app.call_from_thread(self._failed, describe_failure(exc))
            return
        self.app.call_from_thread(self._saved, saved)

    def _failed(self, message: str) -> None:
        self._saving = False
        self.drafts.reopen()
        self._message(message)

    def _show_errors(self, errors: list[ValidationError]) -> None:
        self._saving = False
        self.drafts.reopen()
        for widget in self.query(".err"):
            widget.remove_class("-shown")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        marked: list[Widget] = []
        for error in errors:
            field = "flags" if error.field.startswith("flag_") else error.field
            try:
                err = self.query_one(f"#err-{field}", Plain)
                target = self.query_one(f"#{field}")
            except Exception:  # noqa: BLE001 - unknown field: shown in the message line
                continue
            err.set_text(str(error))
            err.add_class("-shown")
            target.add_class("-invalid")
            marked.append(target)
        order = {widget: index for index, widget in enumerate(self.query("*"))}
        first = min(marked, key=lambda w: order.get(w, 0)) if marked else None
        self._message(f"Ikke gemt: {len(errors)} felt(er) skal rettes. {errors[0]}")
        if first is not None:
            for index in range(len(PAGES)):
                if first in self.query_one(f"#page-{index}").query("*"):
                    self._show_page(index)
                    break
            self.call_after_refresh(first.focus)

    def _saved(self, saved: SavedContact) -> None:
        self._saving = False
        text = "Gemt" if saved.created else "Rettelse gemt"
        extra = f" Opfølgning {saved.followup_due}." if saved.followup_due else ""
        home = getattr(self.app, "show_home_message", None)
        if callable(home):
            home(f"{text}: henvendelse nr. {saved.id}.{extra}")
        self.app.call_later(self.app.action_go_home)  # type: ignore[attr-defined]

    def _message(self, text: str) -> None:
        self.query_one("#intake-message", Plain).set_text(text)
