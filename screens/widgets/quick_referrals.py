"""The quick log's referrals: up to three targets, each with its consent, on three keys.

``t`` steps the current (last) referral's target through the directory (none first;
a target already chosen is skipped), ``o`` steps its consent (not recorded, ja, nej,
ikke spurgt) and ``n`` starts another referral once the current one has a target.
Who made the contact is asked in the full form. Everything is optional: without these
keys the call has no referral.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from akut_tui.core.plural import fit_label
from akut_tui.services.contacts.form import ContactInput

TARGET_KEY = "t"
TARGETS = "referral_target"
"""The value list the targets come from."""
CONSENT_KEY = "o"
NEW_KEY = "n"
REFERRAL_KEYS = (TARGET_KEY, CONSENT_KEY, NEW_KEY)
MOST = 3
"""Referrals the quick log takes (the full form takes any number)."""
CONSENT_CYCLE = ("", "ja", "nej", "ikke_spurgt")
CONSENT_TEXT = {"": "", "ja": "ja", "nej": "nej", "ikke_spurgt": "ikke spurgt"}
LABEL_WIDTH = 20
"""A target's label is cut to this (at a word) so that each referral fits its line."""


@dataclass
class QuickReferrals:
    """The referrals of one quick log, as [target, consent] pairs (the last is current)."""

    rows: list[list[str]] = field(default_factory=list)

    def key(self, char: str, codes: Sequence[str]) -> None:
        """Act on one of :data:`REFERRAL_KEYS`; ``codes`` are the directory's targets in order."""
        if char == TARGET_KEY:
            self._step_target(codes)
        elif char == CONSENT_KEY and self.rows and self.rows[-1][0]:
            current = self.rows[-1]
            current[1] = CONSENT_CYCLE[(CONSENT_CYCLE.index(current[1]) + 1) % len(CONSENT_CYCLE)]
        elif char == NEW_KEY and self.rows and self.rows[-1][0] and len(self.rows) < MOST:
            self.rows.append(["", ""])

    def _step_target(self, codes: Sequence[str]) -> None:
        if not self.rows:
            self.rows.append(["", ""])
        taken = {target for target, _ in self.rows[:-1]}
        cycle = ["", *(code for code in codes if code not in taken)]
        current = self.rows[-1]
        at = cycle.index(current[0]) if current[0] in cycle else 0
        current[0] = cycle[(at + 1) % len(cycle)]
        if not current[0]:
            current[1] = ""  # no target, no consent
            if len(self.rows) > 1:
                self.rows.pop()  # stepped back to none: that referral is gone

    def texts(self, labels: dict[str, str]) -> list[str]:
        """One short text per chosen referral: its target, and its consent if given."""
        out = []
        for target, consent in self.rows:
            if target:
                label = fit_label(labels.get(target, target), LABEL_WIDTH)
                out.append(label + (f" ({CONSENT_TEXT[consent]})" if consent else ""))
        return out

    def apply(self, form: ContactInput) -> ContactInput:
        """``form`` with these referrals and their consent."""
        chosen = [(target, consent) for target, consent in self.rows if target]
        return replace(
            form,
            referrals=[target for target, _ in chosen],
            referral_consent={target: consent for target, consent in chosen if consent},
        )
