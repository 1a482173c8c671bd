"""Full contact registration in four pages that each fit 80x24 without scrolling.

Field order follows a real call: who and how (page 1), assessment and triage
(page 2), what was done (page 3), where the citizen goes next (page 4).
Tab/Shift+Tab move between fields and on to the next page; PgDn/PgUp switch
page; Ctrl+S or F10 saves. The form is saved as a draft a few seconds after
each change, so a dropped SSH link loses nothing. A rejected save marks the
fields and keeps everything typed.
"""

from __future__ import annotations

from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from akut_tui.core.clock import format_datetime, zone
from akut_tui.core.cpr import CprError, is_masked, parse_cpr
from akut_tui.core.errors import ValidationError
from akut_tui.services.base.dto import RepeatInfo, SavedContact
from akut_tui.services.base.value_lists import ValueLists
from akut_tui.services.contacts import persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import UNKNOWN_MUNICIPALITY, ContactInput
from akut_tui.services.contacts.prepare import cpr_prompt_reasons
from akut_tui.tui_kit.messages import GoHome
from akut_tui.tui_kit.overrides import QuietScreen
from screens.blocks import intake_fields as fields
from screens.blocks.intake_fields import PAGES
from screens.dialogs.confirm import ConfirmDialog
from screens.support.drafting import DraftKeeper
from screens.support.host import host
from screens.support.key_markers import CapturesLetters
from screens.support.triage import LEVEL_HELP, repeat_banner
from screens.support.workers import run_service
from screens.widgets.fields import FieldChanged
from screens.widgets.text import MessageLine, Plain


class FormPage(VerticalScroll, can_focus=False, inherit_bindings=False):
    """One page of the form: scrolls to keep the focused field in view, takes no keys.

    Without its own keys PgDn/PgUp still switch pages and Home/End still move in a
    text field; the scroll position follows the focus only.
    """


def parse_local_time(text: str, tz: str) -> datetime:
    """Parse ``dd-mm-åååå tt:mm`` in the site's time zone; raise ValueError."""

    moment = datetime.strptime(text.strip(), "%d-%m-%Y %H:%M")
    return moment.replace(tzinfo=zone(tz))


class IntakeScreen(CapturesLetters, QuietScreen[None]):
    """The full registration form (letters are form input here, never menu keys)."""

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
            self, self.read_form, self.message, draft_id=draft_id, contact_id=contact_id
        )
        self.page = 0
        self.repeat: RepeatInfo | None = None
        self._saving = False
        self._ready = False
        self._banner = ""
        self._level_help = ""

    # --- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        app = host(self)
        f = self.form
        if f.started_at is None:
            f.started_at = app.runtime.now()
        if not f.home_municipality:
            f.home_municipality = UNKNOWN_MUNICIPALITY  # never assume the host municipality
        yield Plain("", id="intake-head")
        yield Plain("", id="intake-banner")
        with ContentSwitcher(initial="page-0", id="intake-pages"):
            for page in range(len(PAGES)):
                with FormPage(id=f"page-{page}", classes="page"):
                    for spec in fields.page_fields(page):
                        yield fields.build(spec, self._initial(spec), self.lists)
                        if spec.note_id:
                            yield Plain("", id=spec.note_id)
                        yield Plain("", classes="err", id=f"err-{spec.name}")
        yield MessageLine("", id="intake-message")
        yield Plain(
            "Tab felt · PgDn/PgUp side · ^S gem · Esc luk (kladde) · F8 kassér · F1 hjælp",
            id="intake-keys",
        )

    def _initial(self, spec: fields.FieldDef) -> object:
        if spec.name == "started_at" and self.form.started_at is not None:
            return format_datetime(self.form.started_at, host(self).config.site.timezone)
        return fields.initial(self.form, spec)

    def on_mount(self) -> None:
        self._show_page(0)
        self._refresh_derived()
        self.call_after_refresh(self._set_ready)

    def _set_ready(self) -> None:
        self._ready = True

    # --- reading the form ----------------------------------------------------------
    def read_form(self) -> ContactInput:
        """Collect the widgets' values into a :class:`ContactInput` (from the field table)."""
        form = fields.read(self, self.form)
        form.started_at = self._started_at()
        return form

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

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id in ("cpr_text", "nickname", "birth_year"):
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
            self.message,
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
    def action_leave(self) -> None:
        """Close the form; what was typed stays as a draft."""
        self.drafts.flush()
        self.post_message(GoHome())

    def action_discard(self) -> None:
        """Ask first; on ja throw the draft away and close."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.drafts.discard()
                self.post_message(GoHome())
            else:
                self.message("Ikke kasseret. Registreringen er der stadig.")

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
        self.message("Gemmer…")

        def save() -> SavedContact | list[ValidationError]:
            try:
                return contacts.save_contact(
                    rt, session, form, contact_id=contact_id, draft_id=draft_id
                )
            except contacts.FormErrors as exc:
                return exc.errors

        run_service(self, save, self._save_done, self._failed, group="save")

    def _save_done(self, result: SavedContact | list[ValidationError]) -> None:
        if isinstance(result, list):
            self._show_errors(result)
        else:
            self._saved(result)

    def _failed(self, message: str) -> None:
        self._saving = False
        self.drafts.reopen()
        self.message(message)

    def _show_errors(self, errors: list[ValidationError]) -> None:
        self._saving = False
        self.drafts.reopen()
        for widget in self.query(".err"):
            widget.remove_class("-shown")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        marked: list[Widget] = []
        for error in errors:
            spec = fields.field_for_error(error.field)
            if spec is None:
                continue  # not a field of the form: the message line names it
            err = self.query_one(f"#err-{spec.name}", Plain)
            target = self.query_one(f"#{spec.name}")
            err.set_text(str(error))
            err.add_class("-shown")
            target.add_class("-invalid")
            marked.append(target)
        order = {widget: index for index, widget in enumerate(self.query("*"))}
        first = min(marked, key=lambda w: order.get(w, 0)) if marked else None
        self.message(f"Ikke gemt: {len(errors)} felt(er) skal rettes. {errors[0]}")
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
        if "overnatning" in self.read_form().actions:  # issue 9: offer the check-in
            extra += " Overnatning: s og så t tjekker ind fra den."
        self.post_message(GoHome(f"{text}: henvendelse nr. {saved.id}.{extra}"))

    def message(self, text: str) -> None:
        """Show ``text`` in the message line under the form."""
        self.query_one("#intake-message", Plain).set_text(text)
