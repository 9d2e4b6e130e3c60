"""Migrations: a database file from an older revision upgrades in place, data kept."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from tracktray.domain import ReportQuery
from tracktray.engine import Engine
from tracktray.engine.database import (
    SCHEMA_HEAD,
    alembic_config,
    connect,
    current_revision,
    head_revision,
    migrate,
)
from tracktray.engine.passwords import hash_password, verify_password
from tracktray.engine.tables import metadata


def test_an_old_file_is_upgraded_in_place_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = connect(f"sqlite:///{path}")
    migrate(db, "0001")  # the first schema this project shipped
    with db.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO trackers (id, name, abbreviation, archived, created_at)"
                " VALUES (1, 'Legacy', 'LEG', false, '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO profiles (id, username, password_hash, timezone, created_at,"
                " default_tracker_id) VALUES (1, 'old', :h, 'Europe/Brussels',"
                " '2025-01-01 00:00:00', 1)"
            ),
            {"h": hash_password("secret")},
        )
        conn.execute(
            text(
                "INSERT INTO blocks (profile_id, tracker_id, start_utc, stop_utc,"
                " created_at, updated_at) VALUES (1, 1, '2025-01-02 08:00:00',"
                " '2025-01-02 09:00:00', '2025-01-02 09:00:00', '2025-01-02 09:00:00')"
            )
        )
    db.dispose()

    engine = Engine.open(f"sqlite:///{path}")
    assert current_revision(engine.db) == head_revision()
    assert engine.authenticate("old", "secret") == 1
    [block] = engine.report(
        1, ReportQuery(start=dt.datetime(2025, 1, 1), stop=dt.datetime(2025, 2, 1))
    )
    assert (block.time_in, block.total_s) == (dt.datetime(2025, 1, 2, 9, 0), 3600)
    engine.close()


def test_downgrade_to_nothing_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite'}"
    engine = Engine.open(url)
    with engine.db.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(inspect(engine.db).get_table_names()) == {"alembic_version"}
    engine.close()
    engine = Engine.open(url)
    assert {"profiles", "trackers", "roles", "blocks", "releases"} <= set(
        inspect(engine.db).get_table_names()
    )
    engine.close()


def test_sqlite_runs_in_wal_mode(engine: Engine) -> None:
    with engine.db.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_passwords_are_stored_as_salted_slow_hashes(engine: Engine) -> None:
    pid = engine.create_user("hashme", "correct horse")
    with engine.db.connect() as conn:
        stored = conn.execute(
            text("SELECT password_hash FROM profiles WHERE id = :i"), {"i": pid}
        ).scalar_one()
    assert "correct horse" not in stored and stored.startswith("scrypt$")
    assert hash_password("same") != hash_password("same")  # salted
    assert verify_password("correct horse", stored) and not verify_password("wrong", stored)
    assert engine.authenticate("hashme", "correct horse") == pid
    assert engine.authenticate("hashme", "wrong") is None
    assert engine.authenticate("nobody", "correct horse") is None
    engine.update_user(pid, password="new one")
    assert engine.authenticate("hashme", "correct horse") is None  # the cache is not stale
    assert engine.authenticate("hashme", "new one") == pid


def test_an_in_memory_database_is_shared_by_threads() -> None:
    engine = Engine.open("sqlite://")
    tracker = engine.add_tracker("Solo")
    found: list[int | None] = []
    worker = threading.Thread(target=lambda: found.append(engine.tracker_id("Solo")))
    worker.start()
    worker.join()
    assert found == [tracker]
    engine.close()


def test_the_migrations_build_exactly_the_declared_tables(engine: Engine) -> None:
    # every face's tables live on the one MetaData; import them all before comparing
    import tracktray.engine.timetrack.tables  # noqa: F401

    with engine.db.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_the_schema_head_constant_is_alembics_head() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_opening_a_current_database_imports_neither_alembic_nor_postgresqls_dialect(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'current.sqlite'}"
    Engine.open(url).close()
    probe = (
        "import sys\n"
        "from tracktray.engine import Engine\n"
        f"engine = Engine.open({url!r})\n"
        "engine.status(engine.create_user('probe', 'secret-enough'))\n"
        "engine.close()\n"
        "print('alembic' in sys.modules, 'sqlalchemy.dialects.postgresql' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False False"
