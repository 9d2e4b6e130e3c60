"""The tracker list: tree order, case-insensitive siblings, archiving, tree edits."""

from __future__ import annotations

import pytest

from tests.support.clicks import Clicks
from tests.support.org import new_user
from tracktray.engine import Engine, NotFound, ValidationError


def _rows(engine: Engine, profile_id: int) -> list[tuple[int, str]]:
    return [(t.depth, t.name) for t in engine.trackers(profile_id)]


def test_depth_first_with_siblings_sorted_case_insensitively(
    engine: Engine, tree: dict[str, int]
) -> None:
    engine.ensure_tracker("Acme/website/zeta")
    engine.ensure_tracker("Acme/apps")
    engine.ensure_tracker("Acme/Zoo")
    user = new_user(engine, tree)
    assert _rows(engine, user.profile_id) == [
        (0, "Acme"),
        (1, "apps"),
        (1, "Support"),
        (1, "Website"),
        (2, "Backend"),
        (2, "Design"),
        (2, "zeta"),
        (1, "Zoo"),
        (0, "Internal"),
        (1, "Holidays"),
    ]


def test_only_trackable_subtrees_are_listed_keeping_their_real_depth(
    engine: Engine, tree: dict[str, int]
) -> None:
    pid = engine.create_user("designer", "pw")
    engine.grant_role(pid, tree["Acme/Website"], can_track=True)
    listed = list(engine.trackers(pid))
    assert [(t.depth, t.name) for t in listed] == [(1, "Website"), (2, "Backend"), (2, "Design")]
    assert listed[0].path == ("Acme", "Website")
    assert listed[1].parent_id == tree["Acme/Website"]


def test_archived_trackers_and_their_children_are_hidden_and_not_trackable(
    engine: Engine, tree: dict[str, int], clicks: Clicks
) -> None:
    user = new_user(engine, tree)
    clicks.status(user.profile_id)  # the tree is cached, then changed by another writer
    engine.archive_tracker(tree["Acme/Website"])
    names = [name for _, name in _rows(engine, user.profile_id)]
    assert "Website" not in names and "Design" not in names and "Support" in names
    with pytest.raises(ValidationError, match="archived"):
        clicks.start(user.profile_id, tree["Acme/Website/Design"])
    status = clicks.status(user.profile_id)
    assert status.default_tracker is not None and not status.default_tracker.trackable
    engine.archive_tracker(tree["Acme/Website"], archived=False)
    clicks.start(user.profile_id, tree["Acme/Website/Design"])


def test_rename_move_and_refusals(engine: Engine, tree: dict[str, int]) -> None:
    user = new_user(engine, tree)
    engine.rename_tracker(tree["Acme/Support"], "Helpdesk")
    engine.move_tracker(tree["Acme/Website/Backend"], tree["Internal"])
    assert engine.tracker_id("Internal/Backend") == tree["Acme/Website/Backend"]
    assert "Helpdesk" in [n for _, n in _rows(engine, user.profile_id)]
    with pytest.raises(ValidationError, match="under itself"):
        engine.move_tracker(tree["Acme"], tree["Acme/Website/Design"])
    with pytest.raises(ValidationError, match="already a tracker “website”"):
        engine.add_tracker("website", tree["Acme"])
    with pytest.raises(ValidationError, match="must not be empty"):
        engine.rename_tracker(tree["Acme"], "  ")
    with pytest.raises(ValidationError, match="must not contain “/”"):
        engine.add_tracker("a/b")


def test_trackers_can_be_named_by_path_in_admin_calls(engine: Engine, tree: dict[str, int]) -> None:
    pid = engine.create_user("bypath", "pw")
    engine.grant_role(pid, "Acme/Website")
    engine.move_tracker("Acme/Support", "Acme/Website")
    engine.rename_tracker("Acme/Website/Support", "Helpdesk")
    engine.archive_tracker("Acme/Website/Design")
    assert [t.name for t in engine.trackers(pid)] == ["Website", "Backend", "Helpdesk"]
    with pytest.raises(NotFound, match="no tracker “Acme/Nope”"):
        engine.archive_tracker("Acme/Nope")
