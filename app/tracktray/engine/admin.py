"""Administration: people, the tracker tree, roles and releases.

Used by ``tracktray-server load``, by local mode (managing its own trackers) and by tests.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from tracktray.domain.localtime import zone
from tracktray.domain.versions import parse_version_number
from tracktray.engine.errors import NotFound, ValidationError
from tracktray.engine.scope import Scope
from tracktray.engine.tables import profiles, releases, roles, trackers

__all__ = [
    "PROFILE_FIELDS",
    "add_tracker",
    "archive_tracker",
    "check_password",
    "check_username",
    "create_user",
    "ensure_tracker",
    "grant_role",
    "move_tracker",
    "rename_tracker",
    "set_release",
    "update_user",
]

PROFILE_FIELDS = frozenset(
    {"title", "first_name", "last_name", "email", "phone", "gsm", "timezone", "culture"}
)


def _check_profile_fields(scope: Scope, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PROFILE_FIELDS - {"default_tracker_id"}
    if unknown:
        raise ValidationError(f"Unknown profile field(s): {', '.join(sorted(unknown))}.")
    if "timezone" in fields:
        try:
            zone(fields["timezone"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
    default = fields.get("default_tracker_id")
    if default is not None and default not in scope.index:
        raise ValidationError(f"There is no tracker {default}.")
    return {k: ("" if v is None and k != "default_tracker_id" else v) for k, v in fields.items()}


def check_username(username: str) -> str:
    username = username.strip()
    if not username or ":" in username:
        raise ValidationError("A username must not be empty or contain “:”.")
    return username


def check_password(password: str) -> str:
    if not password:
        raise ValidationError("A password must not be empty.")
    return password


def create_user(scope: Scope, username: str, password_hash: str, fields: dict[str, Any]) -> int:
    """``password_hash`` is computed by the caller, outside the write transaction."""
    username = check_username(username)
    taken = scope.conn.execute(select(profiles.c.id).where(profiles.c.username == username)).first()
    if taken is not None:
        raise ValidationError(f"The username “{username}” is taken.")
    values = _check_profile_fields(scope, fields)
    result = scope.conn.execute(
        insert(profiles).values(
            username=username,
            password_hash=password_hash,
            created_at=scope.now,
            **values,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def update_user(
    scope: Scope, profile_id: int, password_hash: str | None, fields: dict[str, Any]
) -> None:
    scope.profile_row(profile_id)
    values = _check_profile_fields(scope, fields)
    if password_hash:
        values["password_hash"] = password_hash
    if values:
        scope.conn.execute(update(profiles).where(profiles.c.id == profile_id).values(**values))


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("A tracker name must not be empty.")
    if "/" in name:
        raise ValidationError("A tracker name must not contain “/” (it separates paths).")
    if len(name) > 200:
        raise ValidationError("A tracker name must be at most 200 characters.")
    return name


def _check_free_name(scope: Scope, parent_id: int | None, name: str, skip: int | None) -> None:
    existing = scope.index.child_named(parent_id, name)
    if existing is not None and existing != skip:
        raise ValidationError(f"There is already a tracker “{name}” there.")


def add_tracker(scope: Scope, name: str, parent_id: int | None, abbreviation: str) -> int:
    name = _check_name(name)
    if parent_id is not None and parent_id not in scope.index:
        raise NotFound(f"There is no tracker {parent_id}.")
    _check_free_name(scope, parent_id, name, None)
    result = scope.conn.execute(
        insert(trackers).values(
            name=name, parent_id=parent_id, abbreviation=abbreviation, created_at=scope.now
        )
    )
    scope.forget_index()  # the tree changed in this transaction
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def ensure_tracker(scope: Scope, path: str, abbreviation: str | None) -> int:
    """The tracker at ``path`` ("Acme/Website"), creating it and its parents as needed."""
    parts = [p.strip() for p in path.split("/") if p.strip()]
    if not parts:
        raise ValidationError("A tracker path must not be empty.")
    parent: int | None = None
    for part in parts:
        found = scope.index.child_named(parent, part)
        parent = found if found is not None else add_tracker(scope, part, parent, "")
    assert parent is not None
    if abbreviation is not None:
        scope.conn.execute(
            update(trackers).where(trackers.c.id == parent).values(abbreviation=abbreviation)
        )
        scope.forget_index()
    return parent


def _require(scope: Scope, tracker_id: int) -> None:
    if tracker_id not in scope.index:
        raise NotFound(f"There is no tracker {tracker_id}.")


def rename_tracker(scope: Scope, tracker_id: int, name: str) -> None:
    _require(scope, tracker_id)
    name = _check_name(name)
    _check_free_name(scope, scope.index.row(tracker_id).parent_id, name, tracker_id)
    scope.conn.execute(update(trackers).where(trackers.c.id == tracker_id).values(name=name))


def move_tracker(scope: Scope, tracker_id: int, parent_id: int | None) -> None:
    _require(scope, tracker_id)
    if parent_id is not None:
        _require(scope, parent_id)
        if parent_id in scope.index.subtree(tracker_id):
            raise ValidationError("A tracker cannot move under itself or its own sub-trackers.")
    _check_free_name(scope, parent_id, scope.index.row(tracker_id).name, tracker_id)
    scope.conn.execute(
        update(trackers).where(trackers.c.id == tracker_id).values(parent_id=parent_id)
    )


def archive_tracker(scope: Scope, tracker_id: int, archived: bool) -> None:
    _require(scope, tracker_id)
    scope.conn.execute(
        update(trackers).where(trackers.c.id == tracker_id).values(archived=archived)
    )


def grant_role(
    scope: Scope, profile_id: int, tracker_id: int, can_track: bool, can_see_reporting: bool
) -> None:
    scope.profile_row(profile_id)
    _require(scope, tracker_id)
    existing = scope.conn.execute(
        select(roles.c.id).where(roles.c.profile_id == profile_id, roles.c.tracker_id == tracker_id)
    ).scalar()
    values = {"can_track": can_track, "can_see_reporting": can_see_reporting}
    if existing is None:
        scope.conn.execute(
            insert(roles).values(profile_id=profile_id, tracker_id=tracker_id, **values)
        )
    else:
        scope.conn.execute(update(roles).where(roles.c.id == existing).values(**values))


def set_release(scope: Scope, platform: str, version: str, url: str) -> None:
    platform = platform.strip()
    if not platform or "-" in platform:
        raise ValidationError("A release platform looks like “Linux_Qt” or “Windows”.")
    try:
        parse_version_number(version)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if not url.startswith("https://"):
        raise ValidationError("A release URL must start with https://.")
    existing = {p.casefold(): p for (p,) in scope.conn.execute(select(releases.c.platform))}.get(
        platform.casefold()
    )
    if existing is None:
        scope.conn.execute(insert(releases).values(platform=platform, version=version, url=url))
    else:
        scope.conn.execute(
            update(releases).where(releases.c.platform == existing).values(version=version, url=url)
        )
