"""The engine's rules on a real PostgreSQL server (the team database).

The same test functions as on SQLite, collected again here with an ``engine`` fixture
on a real PostgreSQL server, emptied before each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine as SAEngine

from tests.engine.test_blocks import (
    test_add_validation,
    test_an_open_block_overlaps_everything_after_its_start,
    test_edit_block_follows_the_same_rules,
    test_overlap_names_the_overlapped_block,
    test_touching_blocks_do_not_overlap_and_free_time_never_does,
)
from tests.engine.test_concurrency import (
    test_concurrent_starts_leave_exactly_one_open_block,
    test_the_database_refuses_a_second_open_block_even_behind_pythons_back,
)
from tests.engine.test_day_sums import (
    check_migration_fills_the_sums,
    test_a_day_that_does_not_begin_on_a_quarter_hour_is_summed_from_its_blocks,
    test_the_sums_follow_every_write_to_blocks,
)
from tests.engine.test_driver_transactions import (
    test_a_click_that_fails_after_writing_leaves_nothing_behind,
)
from tests.engine.test_lean_paths import (
    test_a_refused_tracker_write_leaves_nothing_in_the_cache,
    test_a_remembered_caller_is_refused_once_its_password_changed_elsewhere,
    test_a_remembered_callers_requests_are_short,
    test_a_write_that_rolls_back_leaves_no_tracker_in_the_cache,
    test_the_tracker_index_follows_a_hand_edit,
    test_the_tracker_index_follows_writes_of_another_process,
)
from tests.engine.test_report_rows import (
    test_database_rows_equal_the_python_rule,
    test_only_the_trackers_a_manager_sees_come_back,
)
from tests.engine.test_reporting import (
    test_report_defaults_to_the_current_month_and_closed_blocks,
    test_reports_of_others_need_can_see_reporting,
)
from tests.engine.test_schema import test_the_migrations_build_exactly_the_declared_tables
from tests.engine.test_today import (
    test_a_wall_time_skipped_by_dst_is_refused,
    test_day_total_covers_the_whole_local_day_on_dst_days,
)
from tests.engine.test_trackers import (
    test_archived_trackers_and_their_children_are_hidden_and_not_trackable,
    test_depth_first_with_siblings_sorted_case_insensitively,
)
from tests.engine.test_tracking import (
    test_day_total_is_exact_over_many_short_blocks,
    test_second_start_is_refused_with_a_sentence_naming_the_running_tracker,
    test_switch_closes_with_description_and_opens_the_new_tracker,
    test_tracking_needs_a_can_track_role_on_the_tracker,
)
from tests.engine.test_versions import released, test_version_comparison
from tests.support.clicks import Clicks
from tests.support.clock import FakeClock
from tests.support.postgres import PostgresServer, find_binaries
from tracktray.engine import Engine
from tracktray.engine.database import connect, migrate
from tracktray.engine.tables import metadata

pytestmark = pytest.mark.postgres

__all__ = [  # re-collected here, against PostgreSQL
    "released",
    "test_a_click_that_fails_after_writing_leaves_nothing_behind",
    "test_a_day_that_does_not_begin_on_a_quarter_hour_is_summed_from_its_blocks",
    "test_a_refused_tracker_write_leaves_nothing_in_the_cache",
    "test_a_remembered_caller_is_refused_once_its_password_changed_elsewhere",
    "test_a_remembered_callers_requests_are_short",
    "test_a_wall_time_skipped_by_dst_is_refused",
    "test_a_write_that_rolls_back_leaves_no_tracker_in_the_cache",
    "test_add_validation",
    "test_an_open_block_overlaps_everything_after_its_start",
    "test_archived_trackers_and_their_children_are_hidden_and_not_trackable",
    "test_concurrent_starts_leave_exactly_one_open_block",
    "test_database_rows_equal_the_python_rule",
    "test_day_total_covers_the_whole_local_day_on_dst_days",
    "test_day_total_is_exact_over_many_short_blocks",
    "test_depth_first_with_siblings_sorted_case_insensitively",
    "test_edit_block_follows_the_same_rules",
    "test_only_the_trackers_a_manager_sees_come_back",
    "test_overlap_names_the_overlapped_block",
    "test_report_defaults_to_the_current_month_and_closed_blocks",
    "test_reports_of_others_need_can_see_reporting",
    "test_second_start_is_refused_with_a_sentence_naming_the_running_tracker",
    "test_switch_closes_with_description_and_opens_the_new_tracker",
    "test_the_database_refuses_a_second_open_block_even_behind_pythons_back",
    "test_the_migrations_build_exactly_the_declared_tables",
    "test_the_sums_follow_every_write_to_blocks",
    "test_the_tracker_index_follows_a_hand_edit",
    "test_the_tracker_index_follows_writes_of_another_process",
    "test_touching_blocks_do_not_overlap_and_free_time_never_does",
    "test_tracking_needs_a_can_track_role_on_the_tracker",
    "test_version_comparison",
]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    bindir = find_binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql provides initdb)")
    server = PostgresServer(bindir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> Iterator[SAEngine]:
    db = connect(postgres.url(postgres.create_database()))
    migrate(db)
    yield db
    db.dispose()


@pytest.fixture
def engine(database: SAEngine, clock: FakeClock) -> Engine:
    """An emptied database per test (TRUNCATE is much faster than a new database); the
    tracker tree's version row stays (the migration made it, as on a real server)."""
    tables = ", ".join(t.name for t in metadata.sorted_tables if t.name != "tracker_version")
    with database.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return Engine(database, clock=clock)


@pytest.fixture
def clicks(engine: Engine) -> Clicks:
    """The click rules by the engine alone: local mode's plain path is SQLite's."""
    return engine


def test_the_migration_sums_the_blocks_already_stored_on_postgresql(
    postgres: PostgresServer,
) -> None:
    db = connect(postgres.url(postgres.create_database()))
    try:
        check_migration_fills_the_sums(db)
    finally:
        db.dispose()


def test_this_really_is_postgresql(engine: Engine) -> None:
    assert engine.db.dialect.name == "postgresql"
    assert engine.db.url.drivername == "postgresql+psycopg"  # postgresql:// was rewritten
    with engine.db.connect() as conn:
        index = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_blocks_one_open'")
        ).scalar_one()
    assert "UNIQUE" in index and "WHERE (stop_utc IS NULL)" in index
