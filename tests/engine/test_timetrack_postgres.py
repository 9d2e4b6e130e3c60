"""The TimeTrack rules again, on a real PostgreSQL server (the team database)."""

from __future__ import annotations

import pytest

from tests.engine.test_postgres import database, engine, postgres
from tests.engine.test_timetrack import (
    test_a_task_naming_a_subtracker_runs_on_it,
    test_api_keys_are_checked_against_a_hash,
    test_attendance_crud_and_validation,
    test_catalogue_is_the_two_level_tree,
    test_clock_in_and_out_writes_a_clock_entry,
    test_pause_resume_across_midnight_keeps_the_break,
    test_the_trackmypeople_face_sees_a_paused_timer_and_stops_it_cleanly,
    test_timer_state_errors_are_sentences,
    test_worked_time_across_the_dst_fall_back,
    tt,
    user,
)

pytestmark = pytest.mark.postgres

__all__ = [  # fixtures and tests re-collected here, against PostgreSQL
    "database",
    "engine",
    "postgres",
    "test_a_task_naming_a_subtracker_runs_on_it",
    "test_api_keys_are_checked_against_a_hash",
    "test_attendance_crud_and_validation",
    "test_catalogue_is_the_two_level_tree",
    "test_clock_in_and_out_writes_a_clock_entry",
    "test_pause_resume_across_midnight_keeps_the_break",
    "test_the_trackmypeople_face_sees_a_paused_timer_and_stops_it_cleanly",
    "test_timer_state_errors_are_sentences",
    "test_worked_time_across_the_dst_fall_back",
    "tt",
    "user",
]
