"""The engine's short paths: the cached tracker index and remembered callers.

Both save work on every request and both must give exactly the answers of the long
way: the index follows every tracker write (another process's, a hand edit), and a
remembered caller is refused the moment the stored password changes. These run on
SQLite here and on PostgreSQL in test_postgres.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from tests.support.org import new_user
from tracktray.domain import ReportQuery
from tracktray.engine import Engine, ValidationError
from tracktray.engine.scope import Scope
from tracktray.engine.signin import LIFETIME_S, Caller, CredentialCache, StaleCredentials


def _other_process(engine: Engine) -> Engine:
    """A second engine on the same database: its own caches, as another server process."""
    return Engine(engine.db, clock=engine._clock)


def _rename_behind_the_engines_back(engine: Engine, tracker_id: int, name: str) -> None:
    with engine.db.begin() as conn:  # as psql would
        conn.execute(
            text("UPDATE trackers SET name = :n WHERE id = :i"), {"n": name, "i": tracker_id}
        )


def test_the_tracker_index_follows_writes_of_another_process(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    assert engine.status(pid).default_tracker is not None  # the index is cached now
    other = _other_process(engine)
    other.rename_tracker(tree["Acme/Website"], "Web site")
    status = engine.status(pid)
    assert status.default_tracker is not None and status.default_tracker.name == "Web site"
    assert "Web site" in [t.name for t in engine.trackers(pid)]
    other.archive_tracker(tree["Acme/Website"])
    assert "Web site" not in [t.name for t in engine.trackers(pid)]
    with pytest.raises(ValidationError, match="archived"):
        engine.start(pid)
    new = other.add_tracker("Brand new", tree["Acme"])
    assert new in [t.id for t in engine.trackers(pid)]


def test_the_tracker_index_follows_a_hand_edit(engine: Engine, tree: dict[str, int]) -> None:
    pid = new_user(engine, tree).profile_id
    assert "Support" in [t.name for t in engine.trackers(pid)]
    _rename_behind_the_engines_back(engine, tree["Acme/Support"], "Helpdesk")
    names = [t.name for t in engine.trackers(pid)]
    assert "Helpdesk" in names and "Support" not in names


def test_a_write_that_rolls_back_leaves_no_tracker_in_the_cache(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    with pytest.raises(RuntimeError), engine.one_transaction() as batch:
        batch.add_tracker("Ghost", tree["Acme"])
        assert "Ghost" in [t.name for t in batch.trackers(pid)]
        raise RuntimeError("roll it back")
    _rename_behind_the_engines_back(engine, tree["Acme/Support"], "Helpdesk")
    names = [t.name for t in engine.trackers(pid)]
    assert "Ghost" not in names and "Helpdesk" in names
    assert "Ghost" not in [t.name for t in _other_process(engine).trackers(pid)]


def test_a_refused_tracker_write_leaves_nothing_in_the_cache(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = new_user(engine, tree).profile_id
    engine.trackers(pid)  # cached
    with pytest.raises(ValidationError):  # "Fresh" is inserted, then the long name fails
        engine.ensure_tracker("Acme/Fresh/" + "x" * 300)
    # the next committed change gets the version the refused one had used
    _rename_behind_the_engines_back(engine, tree["Acme/Support"], "Helpdesk")
    names = [t.name for t in engine.trackers(pid)]
    assert "Fresh" not in names and "Helpdesk" in names
    assert engine.tracker_id("Acme/Fresh") is None


def test_a_remembered_caller_is_refused_once_its_password_changed_elsewhere(
    engine: Engine, tree: dict[str, int]
) -> None:
    user = new_user(engine, tree)
    caller = engine.sign_in(user.username, user.password)
    assert caller is not None and caller.profile_id == user.profile_id
    assert engine.remembered(user.username, user.password) == caller
    assert engine.remembered(user.username, "wrong") is None
    me = engine.acting_for(caller)
    assert me.status(user.profile_id).running is None
    me.start(user.profile_id)
    me.stop(user.profile_id)

    _other_process(engine).update_user(user.profile_id, password="a new password")
    for call in (
        lambda: me.status(user.profile_id),
        lambda: me.trackers(user.profile_id),
        lambda: me.start(user.profile_id),
        lambda: me.report(user.profile_id, ReportQuery()),
    ):
        with pytest.raises(StaleCredentials):
            call()
    assert engine.status(user.profile_id).running is None  # the refused start did nothing
    assert engine.sign_in(user.username, user.password) is None
    assert engine.remembered(user.username, user.password) is None  # forgotten on the way
    assert engine.sign_in(user.username, "a new password") is not None


def test_a_password_changed_here_forgets_the_remembered_caller(
    engine: Engine, tree: dict[str, int]
) -> None:
    user = new_user(engine, tree)
    assert engine.remembered(user.username, user.password) is not None  # from create_user
    engine.update_user(user.profile_id, password="another password")
    assert engine.remembered(user.username, user.password) is None


def test_remembered_credentials_expire_and_are_keyed_by_a_secret_hmac() -> None:
    now = [1000.0]
    cache = CredentialCache(clock=lambda: now[0])
    caller = Caller(7, "scrypt$stored")
    cache.put("ann", "pw", caller)
    assert cache.get("ann", "pw") == caller
    assert cache.get("ann", "pw", "scrypt$other") is None  # another stored hash: dropped
    assert cache.get("ann", "pw") is None
    cache.put("ann", "pw", caller)
    # a password long enough that a random 32-byte digest cannot hold it by chance ("pw"
    # is in one digest of ~2,000: this line failed once so)
    password = "correct horse battery staple"
    cache.put("bob", password, caller)
    assert all(password.encode() not in key[1] and len(key[1]) == 32 for key in cache._entries)
    now[0] += LIFETIME_S
    assert cache.get("ann", "pw") is None
    assert cache.get("bob", password) is None


def test_throttled_sign_ins_never_hash(engine: Engine, tree: dict[str, int]) -> None:
    user = new_user(engine, tree)
    assert engine.sign_in(user.username, "wrong", remembered_only=True) is None
    assert engine.sign_in(user.username, user.password, remembered_only=True) is not None
    assert engine.sign_in("nobody-at-all", "x", remembered_only=True) is None


@contextmanager
def _counting(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Statements (through SQLAlchemy, and the rules' driver SQL on its cursor) and
    pool checkouts."""
    counts = {"statements": 0, "checkouts": 0}
    plain_driver = Scope._driver

    def driver(scope: Scope, statement: str, params: Sequence[Any], result: Any) -> Any:
        counts["statements"] += 1
        return plain_driver(scope, statement, params, result)

    def statement(*args: object) -> None:
        sql = str(args[2]).lstrip().upper()
        if not sql.startswith(("BEGIN", "SELECT 1")):  # transaction control, pre-ping
            counts["statements"] += 1

    def checkout(*args: object) -> None:
        counts["checkouts"] += 1

    event.listen(engine.db, "before_cursor_execute", statement)
    event.listen(engine.db.pool, "checkout", checkout)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(Scope, "_driver", driver)
            yield counts
    finally:
        event.remove(engine.db, "before_cursor_execute", statement)
        event.remove(engine.db.pool, "checkout", checkout)


def test_a_remembered_callers_requests_are_short(
    engine: Engine, tree: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = new_user(engine, tree)
    caller = engine.remembered(user.username, user.password)
    assert caller is not None
    me = engine.acting_for(caller)
    me.status(user.profile_id)  # the tracker index is cached from here on
    with _counting(engine, monkeypatch) as status:
        me.status(user.profile_id)
    with _counting(engine, monkeypatch) as start:
        me.start(user.profile_id)
    with _counting(engine, monkeypatch) as stop:
        me.stop(user.profile_id)
    # status: the person (with its password hash and the tree's version), today's blocks;
    # start: the person with its row locked, the open block, the insert, today's blocks;
    # stop: the person with its row locked, the open block, closing it
    assert (status["statements"], status["checkouts"]) == (2, 1)
    assert (start["statements"], start["checkouts"]) == (4, 1)
    assert (stop["statements"], stop["checkouts"]) == (3, 1)
