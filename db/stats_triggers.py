"""Database triggers that keep the statistics cache true (:mod:`db.stats_cache`).

Every table the statistics read has triggers after insert, update and delete that
bump the generation of each month the old and the new row count in, and drop the
cached years holding those months, inside the writing transaction. A writer cannot
forget them: services, imports, purges, a second process and plain SQL all pass
through them. :data:`SOURCES` says, per table, which months a row touches;
tests/unit/test_stats_cache_triggers.py requires a source for every model the
statistics modules read. Like the statistics indexes they are derived structures,
(re)made on every upgrade by :func:`ensure_triggers` (SQLite and PostgreSQL).
"""

from __future__ import annotations

from db.database import database, is_sqlite

Source = tuple[str, str]
"""(kind, column): ``month`` of a date/time column of the row, ``contact`` the month of the
contact the column points to, ``nights`` the months of the stay's nights, ``span`` the
months from a start column to an end column (empty: now), a month's margin each side for
the local night, ``rows`` every month when a row comes or goes (the bed count) and none
when one is changed, ``global`` every month."""

SOURCES: dict[str, tuple[Source, ...]] = {
    "contact": (("month", "started_at"),),
    "contact_value": (("contact", "contact_id"),),
    "follow_up": (("contact", "contact_id"),),
    "referral_arrival": (("contact", "contact_id"),),
    "stay": (("month", "checked_in_at"), ("contact", "contact_id"), ("nights", "id")),
    "stay_night": (("month", "night_date"),),
    "bed_request": (("month", "requested_at"),),
    "bed": (("rows", ""),),
    "bed_out_of_service": (("span", "started_at ended_at"),),
    "value_item": (("global", ""),),
    "data_mark": (("global", ""),),
}
"""Table -> where its rows' months come from (``global``: every month). A bed's name, order
or today's out-of-service flag changes no figure (occupancy counts the beds and reads the
out-of-service history), so a leader's change on the bed board touches only the months of
the out-of-service period it opens or ends, not the stored closed years. Names and SQL here
come from these constants, never from input."""

EVENTS = (
    ("ins", "INSERT", ("NEW",)),
    ("upd", "UPDATE", ("OLD", "NEW")),
    ("del", "DELETE", ("OLD",)),
)


def _month(expr: str) -> str:
    """The generation key (year * 12 + month - 1) of a stored UTC time or date."""
    if is_sqlite():
        year, month = f"substr({expr}, 1, 4)", f"substr({expr}, 6, 2)"
        return f"(CAST({year} AS INTEGER) * 12 + CAST({month} AS INTEGER) - 1)"
    return f"(EXTRACT(YEAR FROM {expr})::int * 12 + EXTRACT(MONTH FROM {expr})::int - 1)"


def _now() -> str:
    """The current UTC time in the form the stored times have."""
    return "CURRENT_TIMESTAMP" if is_sqlite() else "(now() AT TIME ZONE 'UTC')"


def _select(row: str, source: Source, event: str) -> str:
    """A SELECT of the months ``source`` gives for ``row`` (NEW or OLD) on ``event``, as
    column ``m``."""
    kind, column = source
    if kind == "rows":
        return "SELECT NULL AS m" if event == "UPDATE" else "SELECT 0 AS m"
    if kind == "span":
        return "SELECT NULL AS m"  # its own statements: _span_statements
    if kind == "month":
        return f"SELECT {_month(f'{row}.{column}')} AS m"
    if kind == "contact":
        inner = _month("c.started_at")
        return f"SELECT {inner} AS m FROM contact c WHERE c.id = {row}.{column}"  # noqa: S608
    if kind == "nights":
        inner = _month("n.night_date")
        return f"SELECT {inner} AS m FROM stay_night n WHERE n.stay_id = {row}.{column}"  # noqa: S608
    return "SELECT 0 AS m"


def _span_statements(rows: tuple[str, ...], sources: tuple[Source, ...]) -> list[str]:
    """Statements bumping every month of each ``span`` source's range and dropping the
    stored years that overlap it.

    Only months with a generation row are bumped: a count makes the rows of its months
    before it reads them (:func:`db.stats_cache.make_rows`), so a count running meanwhile
    still finds its entry out of date. (Two statements, not ``stats_touch``: that would
    read ``stats_generation`` while its own trigger writes it.)
    """
    out = []
    for row in rows:
        for kind, column in sources:
            if kind != "span":
                continue
            start, end = column.split()
            first = f"({_month(f'{row}.{start}')} - 1)"
            last = f"({_month(f'COALESCE({row}.{end}, {_now()})')} + 1)"
            out.append(
                "UPDATE stats_generation SET gen = gen + 1 "  # noqa: S608
                f"WHERE month > 0 AND month BETWEEN {first} AND {last}"
            )
            out.append(
                f"DELETE FROM stats_cache WHERE first_month <= {last} "  # noqa: S608
                f"AND last_month >= {first}"
            )
    return out


def _months(event: str, rows: tuple[str, ...], sources: tuple[Source, ...]) -> str:
    union = " UNION ALL ".join(_select(r, s, event) for r in rows for s in sources)
    return f"SELECT DISTINCT t.m FROM ({union}) t WHERE t.m IS NOT NULL"  # noqa: S608


SQLITE_TOUCH = (
    "CREATE VIEW stats_touch AS SELECT 0 AS month WHERE 0",
    "CREATE TRIGGER stats_touch_do INSTEAD OF INSERT ON stats_touch BEGIN "
    "INSERT INTO stats_generation (month, gen) VALUES (NEW.month, 1) "
    "ON CONFLICT (month) DO UPDATE SET gen = gen + 1; "
    "DELETE FROM stats_cache WHERE NEW.month = 0 "
    "OR (first_month <= NEW.month AND NEW.month <= last_month); END",
)
"""``INSERT INTO stats_touch`` bumps a month and drops the cached years holding it."""

PG_TOUCH = (
    "CREATE OR REPLACE FUNCTION stats_touch(m integer) RETURNS void AS $$ BEGIN "
    "INSERT INTO stats_generation (month, gen) VALUES (m, 1) "
    "ON CONFLICT (month) DO UPDATE SET gen = stats_generation.gen + 1; "
    "DELETE FROM stats_cache WHERE m = 0 OR (first_month <= m AND m <= last_month); "
    "END $$ LANGUAGE plpgsql"
)


def _sqlite_statements() -> list[tuple[str, str]]:
    """(name, CREATE statement) of every SQLite view and trigger, in order."""
    out = [("stats_touch", SQLITE_TOUCH[0]), ("stats_touch_do", SQLITE_TOUCH[1])]
    for table, sources in SOURCES.items():
        for suffix, event, rows in EVENTS:
            name = f"stats_{table}_{suffix}"
            body = f"INSERT INTO stats_touch (month) {_months(event, rows, sources)};"
            body += "".join(f" {sql};" for sql in _span_statements(rows, sources))
            out.append((name, f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END"))
    return out


def _ensure_sqlite() -> None:
    existing = dict(
        database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') "
            "AND name LIKE 'stats_%'"
        ).fetchall()
    )
    for name, sql in _sqlite_statements():
        if existing.get(name) == sql:
            continue
        kind = "VIEW" if name == "stats_touch" else "TRIGGER"
        # Names and SQL come from the constants above, never from input.
        drop = f"DROP {kind} IF EXISTS {name}"
        database.execute_sql(drop)
        database.execute_sql(sql)


def _ensure_postgres() -> None:
    database.execute_sql(PG_TOUCH)
    for table, sources in SOURCES.items():
        function = f"stats_t_{table}"
        parts = []
        for _suffix, event, rows in EVENTS:
            spans = "".join(f" {sql};" for sql in _span_statements(rows, sources))
            parts.append(
                f"IF TG_OP = '{event}' THEN FOR m IN {_months(event, rows, sources)} LOOP "
                f"PERFORM stats_touch(m); END LOOP;{spans} END IF;"
            )
        create_function = (
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
            f"DECLARE m integer; BEGIN {' '.join(parts)} RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        create_trigger = (
            f"CREATE OR REPLACE TRIGGER stats_{table} AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        database.execute_sql(create_function)
        database.execute_sql(create_trigger)


def ensure_triggers() -> None:
    """Create or refresh the cache's triggers (idempotent; inside the upgrade transaction)."""
    if is_sqlite():
        _ensure_sqlite()
    else:
        _ensure_postgres()
