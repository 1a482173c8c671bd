"""The full form's referrals: the directory's targets, and under each chosen one its answers.

:class:`ReferralBlock` holds a :class:`~screens.widgets.fields.MultiChoice` of the
referral directory (letters toggle targets) and one :class:`ReferralRow` per chosen
target, in the order chosen. A row is one line and one field (Tab reaches it): ``j``
``n`` ``i`` set the consent to contact the target on the citizen's behalf (ja, nej,
ikke spurgt), ``p`` ``b`` who made the contact (personalet, borgeren rådet til det),
Space steps the consent, Backspace clears both. Everything renders as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget

from akut_tui.core.plural import fit_label
from screens.support.key_markers import EnterAdvances
from screens.widgets.fields import LABEL_WIDTH, FieldChanged, MultiChoice

CONSENT_KEYS = {"j": "ja", "n": "nej", "i": "ikke_spurgt"}
"""Row keys → consent codes (the fixed ``consent`` list)."""
MADE_BY_KEYS = {"p": "personale", "b": "borger_raadet"}
"""Row keys → who made the contact (the fixed ``referral_by`` list)."""
HINT = " j/n/i · p/b"
"""Shown on the focused row when the line has room."""

Options = Sequence[tuple[str, str]]


class ReferralRow(EnterAdvances, Widget, can_focus=True):
    """One referral's consent and who made the contact, on one line."""

    DEFAULT_CSS = """
    ReferralRow { height: 1; width: 1fr; }
    ReferralRow:focus { background: ansi_blue; color: ansi_bright_white; }
    ReferralRow.-invalid { background: ansi_red; }
    """

    consent: reactive[str] = reactive("", layout=False)
    made_by: reactive[str] = reactive("", layout=False)

    def __init__(
        self,
        target: str,
        label: str,
        consents: Options,
        made_by: Options,
        *,
        consent: str = "",
        by: str = "",
    ) -> None:
        super().__init__(classes="referral-row")
        self.target = target
        self.label = label
        self.consents = dict(consents)
        self.made_bys = dict(made_by)
        self.set_reactive(ReferralRow.consent, consent if consent in self.consents else "")
        self.set_reactive(ReferralRow.made_by, by if by in self.made_bys else "")

    def render(self) -> Text:
        marker = "▸ " if self.has_focus else "  "
        text = Text(marker + fit_label(self.label, LABEL_WIDTH - 3).ljust(LABEL_WIDTH - 2))
        text.append("samtykke: ")
        text.append(self.consents.get(self.consent, "—"), style="bold" if self.consent else "")
        text.append("  kontakt: ")
        text.append(self.made_bys.get(self.made_by, "—"), style="bold" if self.made_by else "")
        if self.has_focus and len(text) + len(HINT) <= max(self.size.width, 0):
            text.append(HINT, style="dim")
        return text

    def watch_consent(self) -> None:
        self.post_message(FieldChanged(self))

    def watch_made_by(self) -> None:
        self.post_message(FieldChanged(self))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if char in CONSENT_KEYS and CONSENT_KEYS[char] in self.consents:
            self.consent = CONSENT_KEYS[char]
        elif char in MADE_BY_KEYS and MADE_BY_KEYS[char] in self.made_bys:
            self.made_by = MADE_BY_KEYS[char]
        elif event.key == "space":
            codes = ["", *self.consents]
            self.consent = codes[(codes.index(self.consent) + 1) % len(codes)]
        elif event.key in ("backspace", "delete"):
            self.consent, self.made_by = "", ""
        else:
            return
        event.stop()
        event.prevent_default()


class ReferralBlock(Vertical):
    """The targets (``#referrals``) and one :class:`ReferralRow` per chosen target."""

    DEFAULT_CSS = """
    ReferralBlock { height: auto; width: 1fr; }
    ReferralBlock > #referral-rows { height: auto; }
    """

    def __init__(
        self,
        label: str,
        targets: Options,
        chosen: Sequence[str],
        answers: tuple[dict[str, str], dict[str, str]],
        consents: Options,
        made_by: Options,
    ) -> None:
        super().__init__(id="referrals-block")
        self.picker = MultiChoice(label, targets, chosen, id="referrals")
        self.labels = dict(targets)
        self.consents, self.made_by = list(consents), list(made_by)
        self.kept: tuple[dict[str, str], dict[str, str]] = (dict(answers[0]), dict(answers[1]))
        """Answers by target, kept while a target is unticked and ticked again."""

    def compose(self) -> ComposeResult:
        yield self.picker
        with Vertical(id="referral-rows"):
            for target in self.picker.selected:
                yield self._row(target)

    def _row(self, target: str) -> ReferralRow:
        consent, by = self.kept[0].get(target, ""), self.kept[1].get(target, "")
        label = self.labels.get(target, target)
        return ReferralRow(target, label, self.consents, self.made_by, consent=consent, by=by)

    def rows(self) -> list[ReferralRow]:
        """The rows, one per chosen target, in the order chosen."""
        return list(self.query(ReferralRow))

    def values(self) -> tuple[list[str], dict[str, str], dict[str, str]]:
        """(targets, target → consent, target → who made the contact); blanks left out."""
        rows = {row.target: row for row in self.rows()}
        targets = list(self.picker.selected)
        consent, made_by = {}, {}
        for t in targets:
            row = rows.get(t)
            given = (
                (row.consent, row.made_by) if row else (self.kept[0].get(t), self.kept[1].get(t))
            )
            if given[0]:
                consent[t] = given[0]
            if given[1]:
                made_by[t] = given[1]
        return targets, consent, made_by

    def on_field_changed(self, event: FieldChanged) -> None:
        """A target ticked or unticked: add or remove its row (the message goes on up)."""
        if event.field is not self.picker:
            if isinstance(event.field, ReferralRow):
                row = event.field
                self.kept[0][row.target], self.kept[1][row.target] = row.consent, row.made_by
            return
        box = self.query_one("#referral-rows", Vertical)
        rows = {row.target: row for row in self.rows()}
        for target, row in rows.items():
            if target not in self.picker.selected:
                row.remove()
        new = [self._row(t) for t in self.picker.selected if t not in rows]
        if new:
            box.mount_all(new)
