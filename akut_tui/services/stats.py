"""The statistics of DOMAIN.md §5: every table, for the export and the statistics screen.

All counting happens in SQL (:mod:`db.stats_queries`); this module resolves the
period, adds up the aggregated cells into the published tables, applies
small-count suppression (:mod:`akut_tui.services.suppression`) and returns
plain data. Non-data calls (silent, wrong number, test) appear only in the
``contacts`` table; every other table counts crisis contacts.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from akut_tui import __version__
from akut_tui.clock import local, zone
from akut_tui.services import suppression
from akut_tui.services.dto import SessionInfo
from akut_tui.services.periods import Period, parse_period, split, utc_bounds
from akut_tui.services.runtime import Runtime
from akut_tui.services.stats_build import (
    WEEKDAYS,
    Labeller,
    channel_tables,
    figures,
    followup_table,
    level_tables,
    method_tables,
    multi,
    partition,
    person_tables,
)
from akut_tui.services.stats_dto import (
    CROSS,
    FIGURES,
    MULTI,
    RawRow,
    RawTable,
    StatsReport,
    StatTable,
)
from akut_tui.services.storage import connection
from db import stats_queries as q

VERSION = __version__
MIN_BED_DAYS = 28
"""Shorter periods get no bed figures (a stay could be pinned to its nights)."""
MULTI_LISTS = (("symptoms", "symptom", "Symptomer"), ("events", "event", "Udløsende begivenheder"))


def _labeller(rt: Runtime) -> Labeller:
    from akut_tui.services.values import label_for, load_value_lists

    stored = {name: dict(items) for name, items in load_value_lists(rt).items()}

    def lab(list_name: str, code: str) -> str:
        return stored.get(list_name, {}).get(code) or label_for(list_name, code)

    return lab


def local_today(rt: Runtime) -> date:
    """Today's date in the site's time zone."""
    return local(rt.now(), rt.config.site.timezone).date()


def resolve_period(rt: Runtime, text: str) -> Period:
    """Parse a period name; ``all`` runs from the first to the last contact's local date."""
    today = local_today(rt)
    all_range = None
    if text.strip().lower() == "all":
        with connection():
            first, last = q.started_range()
        tz = rt.config.site.timezone
        if first is not None and last is not None:
            all_range = (local(first, tz).date(), local(last, tz).date())
    return parse_period(text, today, all_range)


def _offset_seconds(moment: datetime) -> int:
    """Seconds east of UTC of an aware local time (0 if it has no offset)."""
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _local_buckets(rows: list[tuple[Any, ...]], tz_name: str) -> tuple[Counter[int], ...]:
    """(hour, weekday, month key) counters from UTC hour buckets (aggregates, not rows).

    The zone's offset is looked up once per UTC day (per hour only on the two
    days a year when it changes), not once per bucket.
    """
    hours: Counter[int] = Counter()
    days: Counter[int] = Counter()
    months: Counter[int] = Counter()
    tz = zone(tz_name)
    per_day: dict[str, tuple[date, int, int]] = {}
    for bucket, n in rows:
        text = str(bucket)
        day_text, hour = text[:10], int(text[11:13])
        info = per_day.get(day_text)
        if info is None:
            day = date.fromisoformat(day_text)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            first = _offset_seconds(start.astimezone(tz))
            last = _offset_seconds((start + timedelta(hours=23)).astimezone(tz))
            info = per_day[day_text] = (day, first, last)
        day, first, last = info
        if first == last and first % 3600 == 0:
            shifted = hour + first // 3600
            here_day = day + timedelta(days=shifted // 24)
            here_hour = shifted % 24
        else:
            moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC).astimezone(tz)
            here_day, here_hour = moment.date(), moment.hour
        hours[here_hour] += n
        days[here_day.weekday()] += n
        months[here_day.year * 100 + here_day.month] += n
    return hours, days, months


def _raw_tables(rt: Runtime, period: Period, lab: Labeller) -> tuple[list[RawTable], Counter[int]]:
    """Compute every table of one period, unsuppressed."""
    lo, hi = utc_bounds(period, rt.config.site.timezone)
    from db.values import codes as list_codes

    types = dict(q.contact_types(lo, hi, list_codes("contact_type")))
    d = int(types.get(q.CRISIS, 0))
    from db.values import VALUE_LISTS

    all_contacts = sum(int(n) for n in types.values())
    contacts = partition(
        "contacts",
        "Henvendelser efter type (alle)",
        VALUE_LISTS["contact_type"],
        Counter({k: int(v) for k, v in types.items() if k is not None}),
        all_contacts,
    )
    contacts.public_codes = (q.CRISIS,)  # every other table's denominator
    tables = [contacts]
    moves = {str(k): int(v) for k, v in q.stay_channel_moves(lo, hi)}
    tables += channel_tables(q.channel_cube(lo, hi), moves, lab, d)
    tables += level_tables(q.level_cube(lo, hi), lab, d)
    hours, days, months = _local_buckets(q.hour_buckets(lo, hi), rt.config.site.timezone)
    hour_codes = [(f"{h:02d}", f"{h:02d}:00-{h:02d}:59") for h in range(24)]
    tables.append(
        partition(
            "hour_of_day",
            "Henvendelser pr. time (lokal tid)",
            hour_codes,
            Counter({f"{h:02d}": n for h, n in hours.items()}),
            d,
        )
    )
    tables.append(
        partition(
            "weekday",
            "Henvendelser pr. ugedag",
            WEEKDAYS,
            Counter({WEEKDAYS[k][0]: n for k, n in days.items()}),
            d,
        )
    )
    munis = [(c, lab("municipality", c)) for c in list_codes("municipality") if c != "ukendt"]
    muni_counts = Counter({str(k): int(v) for k, v in q.municipality(lo, hi)})
    tables.append(
        partition("municipality", "Bopælskommune", munis, muni_counts, d, ("ukendt", "Ukendt"))
    )
    scope = q.value_scope(lo, hi)
    values = Counter({(str(a), str(b)): int(n) for a, b, n in q.value_counts(lo, hi, scope)})
    lists = ("symptom", "event", "action")
    with_any = {str(k): int(v) for k, v in q.value_contacts(lo, hi, scope, lists)}
    for name, list_name, title in [*MULTI_LISTS, ("actions", "action", "Tiltag")]:
        codes = [(c, lab(list_name, c)) for c in list_codes(list_name)]
        picked = Counter({c: n for (ln, c), n in values.items() if ln == list_name})
        tables.append(multi(name, title, codes, picked, d, with_any.get(list_name, 0)))
    tables += method_tables(q.method_cube(lo, hi), lab, d)
    tables.append(followup_table(q.followups(lo, hi), lab))
    tables.append(_overnight(rt, period, lo, hi))
    distinct, repeat, repeat_n, top5 = q.persons(lo, hi)
    tables.append(
        figures(
            "persons",
            "Personer (kendt CPR eller kaldenavn)",
            d,
            [
                RawRow("distinct_persons", "Forskellige personer", distinct),
                RawRow("repeat_persons", "Personer med mere end én henvendelse", repeat),
                RawRow("contacts_from_repeat_persons", "Henvendelser fra gengangere", repeat_n),
                RawRow("top5_contacts", "Henvendelser fra de 5 hyppigste", top5),
            ],
            "Andele af alle krisehenvendelser, anonyme medregnet.",
        )
    )
    tables += person_tables(q.person_cube(lo, hi), lab, d)
    admitted = q.admissions(lo, hi)
    tables.append(
        partition(
            "admission",
            "Indlæggelse i psykiatrien",
            [("indlaeggelse", "Førte til indlæggelse")],
            Counter({"indlaeggelse": admitted}),
            d,
            ("ikke_indlaeggelse", "Ingen indlæggelse registreret"),
        )
    )
    return tables, months


def _overnight(rt: Runtime, period: Period, lo: datetime, hi: datetime) -> RawTable:
    from db.models import Bed

    figures_ = q.overnight(lo, hi, period.first, period.last)
    beds = Bed.select().where(Bed.out_of_service == False).count()  # noqa: E712
    days = (period.last - period.first).days + 1
    capacity = int(beds) * days
    rows = [
        RawRow("naetter", "Sengenætter (andel = belægning)", figures_["nights"]),
        RawRow("ophold", "Ophold", figures_["stays"]),
        RawRow("gaester", "Forskellige gæster", figures_["guests"]),
        RawRow(
            "ingen_ledig_seng", "Ønsket seng, ingen ledig", figures_.get("request:ingen_ledig", 0)
        ),
        RawRow(
            "afvist_udelukket",
            "Afvist (rus, truende, forstyrrende)",
            figures_.get("request:udelukket", 0),
        ),
        RawRow(
            "afvist_fjerde_nat",
            "Afvist nat ud over grænsen",
            figures_.get("request:max_naetter", 0),
        ),
    ]
    note = "Nævner = senge i drift x nætter i perioden (mulige sengenætter)."
    table = figures("overnight", "Overnatning", capacity, rows, note)
    table.share_codes = ("naetter",)
    if days < MIN_BED_DAYS:  # SECURITY.md row 23: bed data monthly only
        table.withheld = True
        table.note = "Sengetal vises kun for perioder på mindst en måned."
    return table


def _finish(raw: RawTable, apply: bool) -> tuple[tuple[tuple[Any, ...], ...], int | None, int]:
    """Suppress (if asked) and return (rows, shown denominator, hidden cell count)."""
    counts = [r.count for r in raw.rows]
    hidden = [False] * len(counts)
    d: int | None = raw.denominator
    if apply:
        if raw.kind == CROSS:
            dims = list(dict.fromkeys(r.dims for r in raw.rows))
            codes = list(dict.fromkeys(r.code for r in raw.rows))
            at = {(r.dims, r.code): i for i, r in enumerate(raw.rows)}
            matrix = [[raw.rows[at[(dm, c)]].count for c in codes] for dm in dims]
            mask = suppression.suppress_cross(matrix)
            for ri, dm in enumerate(dims):
                for ci, c in enumerate(codes):
                    hidden[at[(dm, c)]] = mask[ri][ci]
        elif raw.kind in (MULTI, FIGURES):
            hidden = suppression.primary(counts)
        else:
            public = [i for i, r in enumerate(raw.rows) if r.code in raw.public_codes]
            hidden, hide_total = suppression.suppress_partition(counts, public=public)
            if hide_total:
                d = None
        if raw.withheld:
            hidden = [True] * len(counts)
        if 0 < raw.denominator < suppression.THRESHOLD:
            d = None
            hidden = [True] * len(counts)  # zeros too: they would show where the few are
    rows = []
    for row, hide in zip(raw.rows, hidden, strict=True):
        count = None if hide else row.count
        share = None
        wanted = raw.share_codes is None or row.code in raw.share_codes
        if count is not None and d and wanted:
            share = round(count / d, 4)
        extra = tuple(None if hide or v is None else round(v, 1) for v in row.extra)
        rows.append((*row.dims, row.code, row.label, count, share, *extra))
    return tuple(rows), d, sum(hidden)


def _columns(raw: RawTable, by: str | None) -> tuple[str, ...]:
    lead = (by,) if by else ()
    return (*lead, *raw.dim_columns, "code", "label", "count", "share", *raw.extra_columns)


def compute(
    rt: Runtime, period: Period, *, by: str | None = None, suppress: bool = True
) -> StatsReport:
    """Compute every table for ``period`` (optionally per month or quarter)."""
    blocks = split(period, by) if by else [period]
    with connection():
        lab = _labeller(rt)
        per_block = [(block, *_raw_tables(rt, block, lab)) for block in blocks]
    names = [t.name for t in per_block[0][1]]
    tables = []
    for index, name in enumerate(names):
        rows: list[tuple[Any, ...]] = []
        hidden_total = 0
        denominators: dict[str, int | None] = {}
        first_raw = per_block[0][1][index]
        total = 0
        for block, raws, _ in per_block:
            raw = raws[index]
            block_rows, d, hidden = _finish(raw, suppress)
            hidden_total += hidden
            total += raw.denominator
            lead = (block.label,) if by else ()
            rows += [(*lead, *row) for row in block_rows]
            denominators[block.label] = d
        shown_total: int | None = total
        if suppress and 0 < total < suppression.THRESHOLD:
            shown_total = None
        tables.append(
            StatTable(
                name=name,
                title=first_raw.title,
                denominator=shown_total if by else denominators[blocks[0].label],
                columns=_columns(first_raw, by),
                rows=tuple(rows),
                note=first_raw.note,
                hidden_cells=hidden_total,
                denominators=denominators if by else {},
            )
        )
    months: Counter[int] = Counter()
    for _, _, m in per_block:
        months.update(m)
    keys = []
    year, month = period.first.year, period.first.month
    while (year, month) <= (period.last.year, period.last.month):
        keys.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    monthly = tuple(
        (
            f"{k // 100}-{k % 100:02d}",
            0 if suppress and 0 < months[k] < suppression.THRESHOLD else months[k],
        )
        for k in keys
    )
    return StatsReport(
        first=period.first.isoformat(),
        last=period.last.isoformat(),
        label=period.label,
        site=rt.config.site.name,
        generated_at=rt.now().astimezone(UTC).isoformat(timespec="seconds"),
        suppression_applied=suppress,
        threshold=suppression.THRESHOLD,
        by=by,
        tables=tuple(tables),
        monthly=monthly,
    )


def view_statistics(rt: Runtime, session: SessionInfo, text: str) -> StatsReport:
    """The statistics screen's figures: same tables and suppression as the export.

    Leaders and coordinators only (checked against the database); a bad period
    raises :class:`~akut_tui.errors.ValidationError` with a Danish message.
    """
    from akut_tui.services.auth import require

    with connection():
        require(session, "stats.view")
    return compute(rt, resolve_period(rt, text), suppress=True)
