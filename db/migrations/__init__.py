"""Numbered schema migrations.

Version 1 is the first released schema. Each later module holds ``VERSION``
and ``up(migrator)``; :data:`MIGRATIONS` lists them in order. A fresh database
is created from the current models and stamped with :data:`LATEST`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from playhouse.migrate import SchemaMigrator

from db.migrations import (
    m0002_password_reset,
    m0003_night,
    m0004_dialog_drafts,
    m0005_handover_figures,
    m0007_audit_base,
    m0009_recorded_data,
    m0012_leader_settings,
    m0013_audit_indexes,
    m0014_attention_plan,
    m0015_referrals,
    m0016_goals,
    m0017_referral_rows,
    m0018_stats_cache,
)

MIGRATIONS: list[ModuleType] = [
    m0002_password_reset,
    m0003_night,
    m0004_dialog_drafts,
    m0005_handover_figures,
    m0007_audit_base,
    m0009_recorded_data,
    m0012_leader_settings,
    m0013_audit_indexes,
    m0014_attention_plan,
    m0015_referrals,
    m0016_goals,
    m0017_referral_rows,
    m0018_stats_cache,
]
"""Migrations after version 1, oldest first."""

LATEST: int = MIGRATIONS[-1].VERSION if MIGRATIONS else 1
"""The schema version of the current models."""

Step = Callable[[SchemaMigrator], None]
