"""Covering indexes behind the statistics queries (``akut_tui.services.statistics.tables``).

Each "cube" query groups by a few low-cardinality columns matching one of these
indexes, so SQLite reads the index in order and never sorts. They are derived
structures, not schema: :func:`ensure_indexes` creates any that are missing on
every upgrade, so fresh and upgraded databases stay alike without a schema
version of their own.
"""

from __future__ import annotations

from db.database import database, is_sqlite

METHOD_COLUMNS = (
    "stabilisation",
    "turned_away",
    "conversation",
    "crisis_plan",
    "progression_goal",
    "followup_wanted",
    "housing",
    "coordination_needed",
    "referred_to",
)
"""A contact's method answers (stabilisation, turned away, krisesamtale ja / nej /
ikke_registreret, three yes/no fields), then housing, coordination and referral:
one index and one cube serve all of their tables."""

CHANNEL_COLUMNS = ("caller", "channel", "partner_type")
LEVEL_COLUMNS = ("shift", "crisis_level", "duration_min")
PERSON_COLUMNS = ("gender", "age_band", "under18_notified", "cpr_status")
UTC_MONTH = "substr(started_at, 1, 7)"
"""The UTC month of a contact as text (SQLite); must match db.stats_queries._month_bucket."""

STATS_INDEXES: list[tuple[str, str, tuple[str, ...]]] = [
    ("stats_contact_type", "contact", ("contact_type", "started_at")),
    ("stats_contact_hour", "contact", ("contact_type", "substr(started_at, 1, 13)")),
    # Month by month (the calendar grid counts every month): the period's range first.
    (
        "stats_month_channel",
        "contact",
        ("contact_type", "started_at", "caller", "channel", "partner_type"),
    ),
    (
        "stats_month_level",
        "contact",
        ("contact_type", "started_at", "shift", "crisis_level", "duration_min"),
    ),
    ("stats_month_municipality", "contact", ("contact_type", "started_at", "home_municipality")),
    (
        "stats_month_person",
        "contact",
        ("contact_type", "started_at", "gender", "age_band", "under18_notified", "cpr_status"),
    ),
    ("stats_month_method", "contact", ("contact_type", "started_at", *METHOD_COLUMNS)),
    ("stats_month_persons", "contact", ("contact_type", "started_at", "person_id")),
    # A year at once (the calendar grid counts a year's months together): the UTC month
    # leads, so each month's groups stream in order (db.stats_queries.crisis_by_utc_month).
    ("stats_utcmonth_channel", "contact", ("contact_type", UTC_MONTH, *CHANNEL_COLUMNS)),
    ("stats_utcmonth_level", "contact", ("contact_type", UTC_MONTH, *LEVEL_COLUMNS)),
    ("stats_utcmonth_person", "contact", ("contact_type", UTC_MONTH, *PERSON_COLUMNS)),
    ("stats_utcmonth_method", "contact", ("contact_type", UTC_MONTH, *METHOD_COLUMNS)),
    ("stats_utcmonth_municipality", "contact", ("contact_type", UTC_MONTH, "home_municipality")),
    ("stats_value_code", "contact_value", ("list_name", "code", "contact_id")),
    ("stats_value_list", "contact_value", ("list_name", "contact_id")),
]
"""Covering indexes (name, table, columns); contact indexes end in ``started_at``."""


OBSOLETE = (
    "stats_contact_channel",
    "stats_contact_level",
    "stats_contact_municipality",
    "stats_contact_person",
    "stats_contact_method",
    "stats_contact_persons",
)
"""Cube indexes without the period's range first: every month's query read all of them."""


def ensure_indexes() -> None:
    """Create the statistics indexes if missing (idempotent, both backends).

    They are derived structures, not schema: creating them on every upgrade keeps
    fresh and upgraded databases alike without a schema version of their own.
    """
    for name in OBSOLETE:
        # Names come from the constant above, never from input.
        drop = "DROP INDEX IF EXISTS {}".format(name)  # noqa: S608, UP032
        database.execute_sql(drop)
    for name, table, columns in STATS_INDEXES:
        cols = list(columns)
        if any("(" in c for c in cols):
            if not is_sqlite():
                continue  # an expression index is a SQLite speed-up only
        elif table == "contact" and "started_at" not in cols:
            cols.append("started_at")
        # Names come from the constant above, never from input.
        sql = "CREATE INDEX IF NOT EXISTS {} ON {} ({})".format(  # noqa: S608
            name, table, ", ".join(cols)
        )
        database.execute_sql(sql)
