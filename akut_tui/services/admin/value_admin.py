"""A leader's changes to the value lists: relabel, add, retire (issue 18 §6).

Codes never change: statistics, the export and imports keep using them. A
label may change in every list; the ministry's fixed lists (channel, crisis
level) and the lists whose codes the program's rules or the statistics'
fixed rows rely on can only be relabelled. In the open lists a leader may add a
value (its code is made from the label and never changes after) and retire one:
a retired value is no longer offered in forms but stays in the database, so
old contacts keep it and the statistics still count it under its code.

Every change writes a :class:`db.models.ValueChange` row with the old and new
label and state, and an audit event pointing at it (``value.add``,
``value.relabel``, ``value.retire``, ``value.restore``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from db.models import ValueChange, ValueItem

PERMISSION = "values.manage"
FIXED_LISTS = frozenset({"channel", "crisis_level"})
"""The ministry's lists: their values are fixed; only the labels may change."""
OPEN_LISTS = frozenset(
    {"symptom", "event", "action", "partner_type", "escalation", "referral_target", "goal_kind"}
)
"""Lists a leader may add values to and retire values from."""
KEPT_CODES = frozenset({("action", "ingen_tiltag"), ("action", "overnatning")})
"""Values the program's rules name (the exclusive "no further action", a night stay)."""
LIST_TITLES = {
    "symptom": "Symptom",
    "event": "Hændelse",
    "action": "Tiltag",
    "partner_type": "Samarbejdspartner",
    "escalation": "Eskalering",
    "referral_target": "Henvisningsmål",
    "goal_kind": "Progressionsmål (art)",
    "channel": "Kanal",
    "crisis_level": "Kriseniveau",
    "contact_type": "Henvendelsestype",
    "caller": "Henvender",
    "cpr_status": "CPR-status",
    "gender": "Køn",
    "age_band": "Aldersgruppe",
    "housing": "Boform",
    "stabilisation": "Stabilisering",
    "turn_away": "Afvisning",
    "followup_result": "Opfølgning",
    "shift": "Vagt",
    "night_decision": "Natbeslutning",
    "municipality": "Kommune",
    "consent": "Samtykke til kontakt",
    "referral_by": "Kontakt til henvisningsmål",
    "referral_arrived": "Kom borgeren frem",
    "called_before": "Har ringet før",
    "goal_attainment": "Målopfyldelse",
    "avoided": "Uden akuttilbuddet",
}
"""Danish names of the value lists, in the screen's order: the open lists first."""
LABEL_MAX = 120
CODE_MAX = 36
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@dataclass(frozen=True)
class ValueEntry:
    """One value of one list as the leader's screen shows it."""

    list_name: str
    list_title: str
    code: str
    label: str
    active: bool
    rule: str
    """What may be done: ``fast`` (ministry, relabel only), ``låst`` (relabel only), ``åben``."""

    @property
    def key(self) -> str:
        """The entry's stable key: ``list:code``."""
        return f"{self.list_name}:{self.code}"


def _rule(list_name: str) -> str:
    if list_name in FIXED_LISTS:
        return "fast"
    return "åben" if list_name in OPEN_LISTS else "låst"


def _entry(item: ValueItem) -> ValueEntry:
    name = str(item.list_name)
    return ValueEntry(
        name, LIST_TITLES.get(name, name), item.code, item.label, bool(item.active), _rule(name)
    )


def list_values(rt: Runtime, session: SignedInUser | None) -> list[ValueEntry]:
    """Every value of every list, retired ones included, lists in their usual order."""
    order = {name: index for index, name in enumerate(LIST_TITLES)}
    with connection():
        require(session, PERMISSION)
        items = list(ValueItem.select().order_by(ValueItem.sort_order, ValueItem.id))
    return sorted(
        (_entry(item) for item in items), key=lambda e: order.get(e.list_name, len(order))
    )


def _list_title(list_name: str) -> str:
    if list_name not in LIST_TITLES:
        raise NotFound(f"Værdilisten {clean_text(list_name, max_length=40)} findes ikke.")
    return LIST_TITLES[list_name]


def _checked_label(list_name: str, raw: str, code: str | None) -> str:
    label = " ".join(clean_text(raw).split())
    if not label:
        raise ValidationError("Skriv en betegnelse.", "label")
    if len(label) > LABEL_MAX:
        raise ValidationError(f"Betegnelsen må højst være {LABEL_MAX} tegn.", "label")
    if contains_cpr(label):
        raise ValidationError("En betegnelse må ikke ligne et CPR-nummer.", "label")
    taken = ValueItem.select(ValueItem.code, ValueItem.label).where(
        ValueItem.list_name == list_name
    )
    for other in taken:
        if other.code != code and str(other.label).casefold() == label.casefold():
            raise ValidationError(
                f"Betegnelsen {label} findes allerede i listen {LIST_TITLES[list_name]}.", "label"
            )
    return label


def _get(list_name: str, code: str) -> ValueItem:
    _list_title(list_name)
    item = ValueItem.get_or_none(ValueItem.list_name == list_name, ValueItem.code == code)
    if item is None:
        raise NotFound("Værdien findes ikke i listen.")
    return item


def _record(
    rt: Runtime,
    session: SignedInUser | None,
    kind: str,
    item: ValueItem,
    old: tuple[str | None, bool | None],
) -> None:
    change = ValueChange.create(
        list_name=item.list_name,
        code=item.code,
        kind=kind,
        old_label=old[0],
        new_label=item.label,
        old_active=old[1],
        new_active=item.active,
        changed_at=rt.now(),
        user_id=session.user_id if session is not None else None,
    )
    audit.record(
        rt, f"value.{kind}", actor=session, object_type="value_change", object_id=change.id
    )


def relabel(
    rt: Runtime, session: SignedInUser | None, list_name: str, code: str, label: str
) -> ValueEntry:
    """Give a value a new label (every list; the code stays)."""
    with write_transaction():
        require(session, PERMISSION)
        item = _get(list_name, code)
        new = _checked_label(list_name, label, code)
        if new == item.label:
            raise ValidationError("Betegnelsen er uændret.", "label")
        old = (str(item.label), bool(item.active))
        ValueItem.update(label=new).where(ValueItem.id == item.id).execute()
        item = ValueItem.get_by_id(item.id)
        _record(rt, session, "relabel", item, old)
        return _entry(item)


def _code_from(label: str) -> str:
    folded = unicodedata.normalize("NFKD", label.casefold().translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    code = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:CODE_MAX].strip("_")
    return code or "vaerdi"


def add_value(rt: Runtime, session: SignedInUser | None, list_name: str, label: str) -> ValueEntry:
    """Add a value at the end of an open list; its code is made from the label."""
    title = _list_title(list_name)
    if list_name not in OPEN_LISTS:
        raise ValidationError(f"Listen {title} er fast; der kan ikke tilføjes værdier.", "label")
    with write_transaction():
        require(session, PERMISSION)
        new = _checked_label(list_name, label, None)
        rows = list(ValueItem.select().where(ValueItem.list_name == list_name))
        codes = {str(row.code) for row in rows}
        base = _code_from(new)
        code, number = base, 2
        while code in codes:
            code, number = f"{base[: CODE_MAX - 4]}_{number}", number + 1
        item = ValueItem.create(
            list_name=list_name,
            code=code,
            label=new,
            sort_order=max((int(row.sort_order) for row in rows), default=-1) + 1,
            active=True,
        )
        _record(rt, session, "add", item, (None, None))
        return _entry(item)


def set_retired(
    rt: Runtime, session: SignedInUser | None, list_name: str, code: str, retired: bool
) -> ValueEntry:
    """Retire a value of an open list (no longer offered) or take it into use again."""
    title = _list_title(list_name)
    if list_name not in OPEN_LISTS:
        raise ValidationError(f"Listen {title} er fast; værdier kan kun omdøbes.", "label")
    if retired and (list_name, code) in KEPT_CODES:
        raise ValidationError("Værdien bruges af programmets regler og kan ikke udgå.", "label")
    with write_transaction():
        require(session, PERMISSION)
        item = _get(list_name, code)
        if bool(item.active) != retired:
            state = "udgået" if retired else "i brug"
            raise ValidationError(f"Værdien er allerede {state}.", "label")
        old = (str(item.label), bool(item.active))
        ValueItem.update(active=not retired).where(ValueItem.id == item.id).execute()
        item = ValueItem.get_by_id(item.id)
        _record(rt, session, "retire" if retired else "restore", item, old)
        return _entry(item)
