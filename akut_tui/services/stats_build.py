"""Turn aggregated query rows into the named statistics tables (before suppression).

The inputs are GROUP BY results (a few hundred rows at most); the functions
here only add up those cells into the published tables (DOMAIN.md §5, §9).
Every split table gets an explicit not-assessed / not-registered row, so the
shares add up to 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from akut_tui.services.stats_dto import CROSS, FIGURES, MULTI, PARTITION, RawRow, RawTable

Labeller = Callable[[str, str], str]
"""(list name, code) -> Danish label."""

NOT_REGISTERED = ("ikke_registreret", "Ikke registreret")
NOT_ASSESSED = ("ikke_vurderet", "Ikke vurderet")
SHIFTS = (("dag", "Dag"), ("aften", "Aften"), ("nat", "Nat"))
WEEKDAYS = (
    ("mandag", "Mandag"),
    ("tirsdag", "Tirsdag"),
    ("onsdag", "Onsdag"),
    ("torsdag", "Torsdag"),
    ("fredag", "Fredag"),
    ("loerdag", "Lørdag"),
    ("soendag", "Søndag"),
)
MINISTRY = (
    ("telefon", "Telefon"),
    ("fremmoede", "Personligt fremmøde inkl. overnatning"),
    ("virtuel", "Virtuel"),
    ("paaroerende_samarbejdspartner", "Fra pårørende og samarbejdspartnere"),
)


def partition(
    name: str,
    title: str,
    codes: Sequence[tuple[str, str]],
    counts: Counter[str],
    denominator: int,
    rest: tuple[str, str] = NOT_REGISTERED,
) -> RawTable:
    """A split table: one row per code, then ``rest`` holding everything else."""
    rows = [RawRow(code, label, counts.get(code, 0)) for code, label in codes]
    known = sum(r.count for r in rows)
    rows.append(RawRow(rest[0], rest[1], denominator - known))
    return RawTable(name, title, PARTITION, denominator, rows)


def multi(
    name: str,
    title: str,
    codes: Sequence[tuple[str, str]],
    counts: Counter[str],
    denominator: int,
    with_any: int,
) -> RawTable:
    """A multi-value table: contacts per code, then contacts with none."""
    rows = [RawRow(code, label, counts.get(code, 0)) for code, label in codes]
    rows.append(RawRow(*NOT_REGISTERED, denominator - with_any))
    note = "Flere værdier pr. henvendelse: andelene summerer ikke til 1."
    return RawTable(name, title, MULTI, denominator, rows, note=note)


def _median(histogram: Counter[int]) -> float | None:
    """Median of a value -> count histogram (a handful of buckets)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2
    seen, low, high = 0, None, None
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return (low + high) / 2


def level_tables(level_rows: Iterable[Sequence[Any]], lab: Labeller, d: int) -> list[RawTable]:
    """crisis_level, crisis_level_by_shift and duration_by_shift from one histogram query."""
    levels = [(c, lab("crisis_level", c)) for c in ("alvorlig", "middel", "let", "ikke_krise")]
    by_level: Counter[str] = Counter()
    cross: Counter[tuple[str, str]] = Counter()
    minutes: dict[str, Counter[int]] = {code: Counter() for code, _ in SHIFTS}
    for shift, level, duration, n in level_rows:
        level_code = level if level in dict(levels) else NOT_ASSESSED[0]
        by_level[level_code] += n
        cross[(shift, level_code)] += n
        if duration is not None and shift in minutes:
            minutes[shift][int(duration)] += n
    tables = [partition("crisis_level", "Kriseniveau", levels, by_level, d, NOT_ASSESSED)]
    cross_rows = [
        RawRow(code, label, cross.get((shift, code), 0), dims=(shift,))
        for shift, _ in SHIFTS
        for code, label in [*levels, NOT_ASSESSED]
    ]
    tables.append(
        RawTable(
            "crisis_level_by_shift",
            "Kriseniveau pr. vagt",
            CROSS,
            d,
            cross_rows,
            dim_columns=("shift",),
            note="Andele af alle krisehenvendelser i perioden.",
        )
    )
    duration_rows = []
    for shift, label in SHIFTS:
        hist = minutes[shift]
        n = sum(hist.values())
        mean = sum(v * c for v, c in hist.items()) / n if n else None
        duration_rows.append(RawRow(shift, label, n, extra=(mean, _median(hist))))
    known = sum(r.count for r in duration_rows)
    duration_rows.append(RawRow(*NOT_REGISTERED, d - known, extra=(None, None)))
    tables.append(
        RawTable(
            "duration_by_shift",
            "Samtalens varighed pr. vagt (minutter)",
            PARTITION,
            d,
            duration_rows,
            extra_columns=("mean_min", "median_min"),
        )
    )
    return tables


def channel_tables(
    rows: Iterable[Sequence[Any]], stay_moves: dict[str, int], lab: Labeller, d: int
) -> list[RawTable]:
    """channel, channel_ministry, who_contacts and partner_type from one cube."""
    channel: Counter[str] = Counter()
    ministry: Counter[str] = Counter()
    caller: Counter[str] = Counter()
    partner: Counter[str] = Counter()
    for who, via, partner_type, n in rows:
        channel[via] += n
        caller[who] += n
        if who != "borger":
            ministry["paaroerende_samarbejdspartner"] += n
        else:
            ministry[via] += n
        if who == "samarbejdspartner":
            partner[partner_type or NOT_REGISTERED[0]] += n
        else:
            partner["ikke_samarbejdspartner"] += n
    for via, n in stay_moves.items():  # an overnight guest counts as in person
        ministry[via] -= n
        ministry["fremmoede"] += n
    codes = [(c, lab("channel", c)) for c in ("telefon", "fremmoede", "virtuel")]
    callers = [
        (c, lab("caller", c)) for c in ("borger", "paaroerende", "samarbejdspartner", "anden")
    ]
    from db.values import codes as list_codes

    partners = [(c, lab("partner_type", c)) for c in list_codes("partner_type")]
    partners.append(("ikke_samarbejdspartner", "Ikke henvendt af samarbejdspartner"))
    return [
        partition("channel", "Kontaktform (som registreret)", codes, channel, d),
        partition(
            "channel_ministry", "Kontaktform (ministeriets opgørelse)", MINISTRY, ministry, d
        ),
        partition("who_contacts", "Hvem henvender sig", callers, caller, d),
        partition("partner_type", "Samarbejdspartner", partners, partner, d),
    ]


def person_tables(rows: Iterable[Sequence[Any]], lab: Labeller, d: int) -> list[RawTable]:
    """gender, age_band, cpr_status and under_18 from one cube."""
    from db.values import codes as list_codes

    gender: Counter[str] = Counter()
    age: Counter[str] = Counter()
    cpr: Counter[str] = Counter()
    minor: Counter[str] = Counter()
    for sex, band, notified, status, n in rows:
        gender[sex] += n
        age[band] += n
        cpr[status] += n
        if band == "under_18":
            minor["under_18_underrettet" if notified else "under_18_ikke_underrettet"] += n
        elif band != "ukendt":
            minor["18_plus"] += n

    def of(name: str) -> list[tuple[str, str]]:
        return [(c, lab(name, c)) for c in list_codes(name)]

    genders = [g for g in of("gender") if g[0] != NOT_REGISTERED[0]]
    bands = [b for b in of("age_band") if b[0] != "ukendt"]
    minors = [
        ("under_18_underrettet", "Under 18, underretning registreret"),
        ("under_18_ikke_underrettet", "Under 18, ingen underretning registreret"),
        ("18_plus", "18 år og derover"),
    ]
    return [
        partition("gender", "Køn", genders, gender, d),
        partition("age_band", "Aldersgruppe", bands, age, d, ("ukendt", "Ukendt")),
        partition("cpr_status", "CPR-status", of("cpr_status"), cpr, d),
        partition("under_18", "Under 18 år", minors, minor, d, ("alder_ukendt", "Alder ukendt")),
    ]


def method_tables(rows: Iterable[Sequence[Any]], lab: Labeller, d: int) -> list[RawTable]:
    """stabilisation, turned_away and method from one cube."""
    from db.values import codes as list_codes

    stab: Counter[str] = Counter()
    away: Counter[str] = Counter()
    method: Counter[str] = Counter()
    with_any = 0
    for stabilisation, turned, talk, plan, goal, follow, n in rows:
        stab[stabilisation or ""] += n
        away[turned or "ikke_afvist"] += n
        for code, flag in (
            ("krisesamtale", talk),
            ("kriseplan", plan),
            ("progressionsmaal", goal),
            ("opfoelgning_oensket", follow),
        ):
            if flag:
                method[code] += n
        if talk or plan or goal or follow:
            with_any += n
    stabs = [(c, lab("stabilisation", c)) for c in list_codes("stabilisation")]
    aways = [(c, lab("turn_away", c)) for c in list_codes("turn_away")]
    methods = [
        ("krisesamtale", "Krisesamtale"),
        ("kriseplan", "Kriseplan"),
        ("progressionsmaal", "Progressionsmål"),
        ("opfoelgning_oensket", "Opfølgning ønsket"),
    ]
    return [
        partition("stabilisation", "Grad af stabilisering", stabs, stab, d),
        partition(
            "turned_away", "Afvist ved døren", aways, away, d, ("ikke_afvist", "Ikke afvist")
        ),
        multi("method", "Metode", methods, method, d, with_any),
    ]


def followup_table(rows: Iterable[Sequence[Any]], lab: Labeller) -> RawTable:
    """follow_up: the wanted follow-ups split by result (or not done yet)."""
    from db.values import codes as list_codes

    counts: Counter[str] = Counter()
    for done, result, n in rows:
        if not done:
            counts["ikke_udfoert"] += n
        else:
            counts[result or "udfoert_uden_resultat"] += n
    codes = [(c, lab("followup_result", c)) for c in list_codes("followup_result")]
    codes.append(("ikke_udfoert", "Ikke udført endnu"))
    table = partition(
        "follow_up",
        "Opfølgning efter 14 dage (af ønskede)",
        codes,
        counts,
        sum(counts.values()),
        ("udfoert_uden_resultat", "Udført uden resultat"),
    )
    table.note = "Målbar = forbedret + uændret + forværret, af de udførte opfølgninger."
    return table


def figures(name: str, title: str, denominator: int, rows: list[RawRow], note: str) -> RawTable:
    """A table of separate figures (overnight, persons)."""
    return RawTable(name, title, FIGURES, denominator, rows, note=note)
