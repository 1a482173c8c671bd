"""The 14-day follow-up queue: due follow-ups, result keys 1-5, phone on demand.

``f`` asks "kom borgeren frem?" about the selected follow-up's next referral
(issue 19 §2); ``j``, ``n`` or ``v`` answers ja, nej or ved ikke. ``o``, ``d``,
``i``, ``u`` record the progression goal's attainment (issue 19 §3): the legend
line under the table names them, the ``Mål`` column shows the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from akut_tui.core.clock import local
from akut_tui.services.base.dto import FollowUpRow
from akut_tui.services.base.value_lists import label_for as label
from akut_tui.services.contacts import followups, goals, referrals
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.confirm import ConfirmDialog
from screens.support.host import host
from screens.widgets.text import Plain

RESULT_CODES: tuple[str, ...] = (
    "forbedret",
    "uaendret",
    "forvaerret",
    "ikke_maalbar",
    "ikke_opnaaet",
)
"""Result codes in key order: key 1 is the first."""


def _result_label(code: str) -> str:
    return label("followup_result", code)


def _short(code: str) -> str:
    return " ".join(_result_label(code).split()[:2])


def _status(row: FollowUpRow) -> str:
    if row.done:
        return _result_label(row.result or "")
    return "Forfalden" if row.overdue else "Åben"


HELP = (
    " ".join(f"{i} {_short(code)}" for i, code in enumerate(RESULT_CODES, 1)) + " · t tlf · f frem"
)
ARRIVED_KEYS = {"j": "ja", "n": "nej", "v": "ved_ikke"}
"""Answer keys of "kom borgeren frem?"."""
GOAL_KEYS = {"o": "opnaaet", "d": "delvist", "i": "ikke_opnaaet", "u": "ikke_fulgt_op"}
"""Keys recording the progression goal's attainment."""
GOAL_LEGEND = "Mål nået? " + " · ".join(
    f"{key} {label('goal_attainment', code).lower()}" for key, code in GOAL_KEYS.items()
)


def _goal(row: FollowUpRow) -> str:
    if not row.has_goal:
        return "–"
    return label("goal_attainment", row.attained) if row.attained else "?"


def _arrived(row: FollowUpRow) -> str:
    if not row.referrals:
        return "–"
    return f"{sum(1 for _, answer in row.referrals if answer)}/{len(row.referrals)}"


class FollowUpsScreen(ListScreen[FollowUpRow]):
    """Open follow-ups, overdue first; 1-5 records the result, t shows the phone number."""

    SPEC = ListSpec(
        "followups", followups.due_followups, "Opfølgninger",
        (("Forfalder", 10), ("Borger", 25), ("Tlf", 3), ("Status", 11), ("Frem", 4),
         ("Mål", 13)),
        loading="Henter opfølgninger…", empty="Ingen åbne opfølgninger.", keys=HELP,
    )  # fmt: skip

    BINDINGS = [
        *(
            Binding(
                str(number),
                f"complete('{code}')",
                _result_label(code),
                id=f"followups.result_{number}",
            )
            for number, code in enumerate(RESULT_CODES, 1)
        ),
        Binding("t", "phone", "Vis telefonnummer", id="followups.phone"),
        Binding("f", "ask_arrived", "Kom borgeren frem?", id="followups.arrived"),
        *(
            Binding(key, f"arrived('{code}')", label("referral_arrived", code),
                    id=f"followups.arrived_{code}")
            for key, code in ARRIVED_KEYS.items()
        ),
        *(
            Binding(key, f"goal('{code}')", f"Mål: {label('goal_attainment', code)}",
                    id=f"followups.goal_{code}")
            for key, code in GOAL_KEYS.items()
        ),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._busy = False
        self._asking: tuple[int, str] | None = None
        """(follow-up id, referral target) that ``j``/``n``/``v`` answers."""

    def cells(self, row: FollowUpRow) -> Cells:
        return (
            Text(row.due_date),
            Text(row.person_label),
            Text("ja" if row.has_phone else "nej"),
            Text(_status(row), style="bold" if row.overdue else ""),
            Text(_arrived(row)),
            Text(_goal(row)),
        )

    def compose_below_table(self) -> ComposeResult:
        yield Plain(GOAL_LEGEND, id="followups-goal-keys", classes="list-help")

    def loaded_message(self, rows: Sequence[FollowUpRow]) -> str:
        return f"{len(rows)} åbne opfølgninger." if rows else self.SPEC.empty

    def load_failed(self, text: str) -> None:
        self.message(f"Opfølgningerne kunne ikke hentes: {text}")

    def _not_yet_due(self, row: FollowUpRow) -> bool:
        app = host(self)
        today = local(app.runtime.now(), app.config.site.timezone).date()
        return datetime.strptime(row.due_date, "%d-%m-%Y").date() > today

    def action_complete(self, code: str) -> None:
        """Record ``code`` as the result; before the due date only after a confirmation."""
        row = self.selected("Vælg en opfølgning i listen.")
        if row is None or self._busy:
            return
        if self._not_yet_due(row):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._complete(row, code)
                else:
                    self.message("Opfølgningen er ikke afsluttet.")

            self.app.push_screen(
                ConfirmDialog(
                    f"Opfølgningen for {row.person_label} forfalder først {row.due_date}.\n"
                    f"Afslut den nu som «{_result_label(code)}»? Telefonnummeret slettes, "
                    "og det kan ikke fortrydes.",
                    yes="afslut nu",
                    no="vent",
                ),
                answered,
            )
            return
        self._complete(row, code)

    def _complete(self, row: FollowUpRow, code: str) -> None:
        if self._busy:
            return
        self._busy = True

        def done(result: FollowUpRow) -> None:
            self._busy = False
            self.reload(
                f"Afsluttet: {result.person_label} – {_result_label(code)}. "
                "Telefonnummeret er slettet."
            )

        def failed(text: str) -> None:
            self._busy = False
            self.message(text)

        self.act(
            lambda rt, session: followups.complete_followup(rt, session, row.id, code), done, failed
        )

    def action_phone(self) -> None:
        """Show the selected follow-up's phone number in the message line (audited)."""
        row = self.selected("Vælg en opfølgning i listen.")
        if row is None:
            return
        if not row.has_phone:
            self.message("Der er ikke gemt et telefonnummer.")
            return
        self.act(
            lambda rt, session: followups.reveal_followup_phone(rt, session, row.id),
            lambda phone: self.message(f"Telefon ({row.person_label}): {phone}", about_row=True),
        )

    def action_ask_arrived(self) -> None:
        """Ask about the selected follow-up's next referral (the first unanswered first)."""
        row = self.selected("Vælg en opfølgning i listen.")
        if row is None:
            return
        if not row.referrals:
            self._asking = None
            self.message("Borgeren blev ikke henvist videre ved denne henvendelse.")
            return
        targets = [target for target, _ in row.referrals]
        open_ones = [target for target, answer in row.referrals if not answer]
        if self._asking is not None and self._asking[0] == row.id:
            after = (targets.index(self._asking[1]) + 1) % len(targets)
            target = targets[after]
        else:
            target = open_ones[0] if open_ones else targets[0]
        self._asking = (row.id, target)
        answer = dict(row.referrals)[target]
        given = label("referral_arrived", answer) if answer else "ikke svaret"
        self.message(
            f"Kom borgeren frem til «{label('referral_target', target)}»? "
            f"j ja · n nej · v ved ikke ({given})",
            about_row=True,
        )

    def action_arrived(self, code: str) -> None:
        """Answer "kom borgeren frem?" for the referral asked about with ``f``."""
        row = self.selected("Vælg en opfølgning i listen.")
        if row is None or self._busy:
            return
        if self._asking is None or self._asking[0] != row.id:
            self.message("Tryk f for at vælge en henvisning først.")
            return
        target = self._asking[1]
        self._busy = True

        def done(_answers: object) -> None:
            self._busy = False
            self.reload(
                f"Registreret: {label('referral_target', target)} – "
                f"{label('referral_arrived', code)}.",
                about_row=True,
            )

        def failed(text: str) -> None:
            self._busy = False
            self.message(text)

        self.act(
            lambda rt, session: referrals.record_arrival(rt, session, row.id, target, code),
            done,
            failed,
        )

    def action_goal(self, code: str) -> None:
        """Record the attainment of the selected follow-up's progression goal."""
        row = self.selected("Vælg en opfølgning i listen.")
        if row is None or self._busy:
            return
        if not row.has_goal:
            self.message("Der blev ikke sat et progressionsmål ved denne henvendelse.")
            return
        self._busy = True
        kind = f" «{label('goal_kind', row.goal)}»" if row.goal else ""

        def done(_code: object) -> None:
            self._busy = False
            self.reload(
                f"Registreret: progressionsmål{kind} – {label('goal_attainment', code)}.",
                about_row=True,
            )

        def failed(text: str) -> None:
            self._busy = False
            self.message(text)

        self.act(
            lambda rt, session: goals.record_attainment(rt, session, row.id, code), done, failed
        )
