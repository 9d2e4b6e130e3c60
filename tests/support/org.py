"""The standard tracker tree and fresh users on it, shared by engine and server tests."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass, field

from tracktray.engine import Engine

STANDARD_TREE = (
    "Acme",
    "Acme/Website",
    "Acme/Website/Design",
    "Acme/Website/Backend",
    "Acme/Support",
    "Internal",
    "Internal/Holidays",
)
ABBREVIATIONS = {"Acme/Website": "WEB", "Acme/Support": "SUP", "Internal/Holidays": "HOL"}
DEFAULT_TRACKER = "Acme/Website"

_counter = itertools.count(1)


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # not a test class, despite the name

    username: str
    password: str
    profile_id: int
    trackers: dict[str, int] = field(default_factory=dict)


def build_standard_tree(engine: Engine) -> dict[str, int]:
    return {path: engine.ensure_tracker(path, ABBREVIATIONS.get(path)) for path in STANDARD_TREE}


def new_user(
    engine: Engine,
    trackers: dict[str, int],
    *,
    timezone: str = "Europe/Brussels",
    can_see_reporting: bool = False,
    password: str | None = None,
    prefix: str = "user",
) -> TestUser:
    """A fresh user who can track on the whole standard tree (default: Acme/Website)."""
    username = f"{prefix}{next(_counter)}-{secrets.token_hex(3)}"
    password = password or secrets.token_urlsafe(12)
    profile_id = engine.create_user(
        username,
        password,
        timezone=timezone,
        first_name=username.capitalize(),
        last_name="Tester",
        email=f"{username}@example.org",
        default_tracker_id=trackers[DEFAULT_TRACKER],
    )
    for root in ("Acme", "Internal"):
        engine.grant_role(
            profile_id, trackers[root], can_track=True, can_see_reporting=can_see_reporting
        )
    return TestUser(username, password, profile_id, dict(trackers))


def midday_zone(now: dt.datetime | None = None) -> str:
    """A fixed-offset IANA zone where it is around noon now: tests about "today" that run
    near midnight would otherwise see the day change under them."""
    hour = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).hour
    offset = 12 - hour  # hours east of UTC, -11..+12
    # Etc/GMT zones count the other way round: Etc/GMT-2 is UTC+2.
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"
