"""Service tests of the SQLite suites, run unchanged on PostgreSQL.

Importing a test function here collects it again in this folder, where
``rt`` and ``config`` (tests/postgres/conftest.py) are a fresh PostgreSQL
database: contacts saved and listed, persons searched and merged (Danish
letters folded, wildcards literal), login and lockout, beds, outreach,
handover and the statistics queries go through the same service code. Tests
that read the SQLite file itself stay in their own suites.
"""

from __future__ import annotations

import pytest

from tests.security.test_chain_rules import (
    test_a_resigned_backward_time_is_named,
    test_an_edit_between_the_check_and_the_delete_is_caught,
    test_anchor_head_leaves_out_the_identity,
    test_purge_cuts_only_a_prefix_of_old_events,
    test_purge_records_its_base_and_holds_anchors_against_it,
    test_purge_refuses_a_broken_chain_and_deletes_nothing,
    test_the_site_identity_is_required_and_signed,
    test_the_writer_never_steps_back_in_time,
)
from tests.security.test_lockout import (
    test_reauthentication_counts_toward_the_same_lockout,
    test_sessions_in_flight_take_the_budget_but_do_not_lock,
    test_success_does_not_lift_a_lock,
)
from tests.security.test_text_columns import (
    test_a_cpr_typed_into_the_service_is_refused_or_redacted,
    test_model_layer_refuses_a_cpr_in_every_checked_column,
)
from tests.unit.test_audit import (
    test_event_carries_actor_and_object,
    test_intact_chain_verifies,
    test_rolled_back_event_leaves_no_gap,
    test_wrong_key_fails_at_the_first_signed_row,
)
from tests.unit.test_auth import (
    test_duplicate_username_is_a_validation_error,
    test_every_failure_is_recorded_and_audited,
    test_failures_while_locked_do_not_extend_the_lock,
    test_lockout_after_five_failures_for_fifteen_minutes,
)
from tests.unit.test_bed_morning import (
    test_a_booking_moves_to_another_bed_and_the_bed_can_go_out_of_service,
    test_after_a_morning_checkout_the_board_names_both_nights_and_books_the_coming_one,
    test_last_night_only_when_chosen,
)
from tests.unit.test_beds import (
    leader,
    test_check_in_shows_on_the_board_and_is_audited,
    test_fourth_night_refused_unless_a_leader_gives_a_reason,
    test_no_double_booking_and_one_stay_per_person,
    test_reservation_shows_and_expires,
)
from tests.unit.test_handover import (
    coordinator,
    ida,
    jonas,
    mette,
    test_derived_prefill_from_a_prepared_shift,
    test_history_search_retention_and_purge,
    test_night_pair_both_sign_and_writer_cannot,
    test_write_and_view,
)
from tests.unit.test_intake import (
    colleague,
    coord,
    staff,
    test_anonymous_phone_call,
    test_cpr_contact_creates_pseudonymous_person,
    test_danish_nickname_recognised_regardless_of_case,
    test_draft_life_cycle,
    test_owner_edits_in_same_shift_and_every_access_is_audited,
    test_same_cpr_reuses_person_and_extends_plain_cpr,
    test_shift_contacts_newest_first_with_edit_rights,
)
from tests.unit.test_night_limit import (
    test_backdated_checkout_is_refused_and_keeps_the_slept_night,
    test_checkout_in_the_same_minute_as_the_check_in_is_accepted,
    test_fourth_night_by_check_in_after_a_leader_gap_override_needs_a_leader,
    test_fourth_night_in_a_row_across_stays_needs_a_leader_every_time,
    test_seven_evenings_of_checkout_and_check_in_cannot_pass_the_limit,
)
from tests.unit.test_outreach import (
    test_logout_leaves_the_site_and_moves_the_token,
    test_token_is_one_query,
    test_trip_out_and_back,
)
from tests.unit.test_persons import (
    test_merge_moves_contacts_followups_stays_and_cpr,
    test_search_by_cpr,
    test_search_by_nickname_fragment,
    test_search_folds_danish_letters_and_escapes_wildcards,
)
from tests.unit.test_stats import (
    test_duration_mean_and_median_per_shift,
    test_hour_of_day_is_local_on_the_days_the_clock_changes,
    test_persons_and_repeat_users,
    test_shares_of_every_split_table_reach_one,
)
from tests.unit.test_stats_from_bed_services import test_bed_figures_follow_the_services
from tests.unit.test_stats_merged_periods import (
    filled,
    test_a_year_asks_the_database_for_persons_once_per_month,
    test_merged_figures_equal_figures_counted_afresh,
)

pytestmark = pytest.mark.postgres
