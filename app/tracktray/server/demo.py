"""``tracktray-server demo``: a small, believable organisation with weeks of history.

Three levels of trackers, four people in three time zones, a manager who sees everyone's
reports, about four weeks of worked days (with a holiday or two), so that the widget has
something real to show the minute it connects.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from tracktray.domain.localtime import local_to_utc, today, zone
from tracktray.engine import Engine

__all__ = ["DEMO_USERS", "DemoUser", "seed_demo"]

TRACKERS = {
    "Acme/Website/Design": "WEB-D",
    "Acme/Website/Backend": "WEB-B",
    "Acme/Mobile app/iOS": "IOS",
    "Acme/Mobile app/Android": "AND",
    "Acme/Support": "SUP",
    "Globex/Migration/Data": "MIG-D",
    "Globex/Migration/Testing": "MIG-T",
    "Internal/Meetings": "MEET",
    "Internal/Holidays": "HOL",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    timezone: str
    default_tracker: str
    projects: tuple[str, ...]
    manager: bool = False


DEMO_USERS = (
    DemoUser(
        "alice",
        "alice-demo",
        "Alice",
        "Martens",
        "Europe/Brussels",
        "Acme/Website",
        ("Acme/Website/Design", "Acme/Support", "Internal/Meetings"),
        manager=True,
    ),
    DemoUser(
        "bob",
        "bob-demo",
        "Bob",
        "Okafor",
        "Europe/London",
        "Acme/Website/Backend",
        ("Acme/Website/Backend", "Globex/Migration/Data", "Acme/Support"),
    ),
    DemoUser(
        "carla",
        "carla-demo",
        "Carla",
        "Reyes",
        "America/New_York",
        "Acme/Mobile app",
        ("Acme/Mobile app/iOS", "Acme/Mobile app/Android", "Internal/Meetings"),
    ),
    DemoUser(
        "dinh",
        "dinh-demo",
        "Dinh",
        "Nguyen",
        "Asia/Ho_Chi_Minh",
        "Globex/Migration",
        ("Globex/Migration/Testing", "Globex/Migration/Data", "Acme/Support"),
    ),
)
_WEEKS = 4
_DESCRIPTIONS = ("", "", "review", "standup", "bug fixes", "customer call", "planning")


def seed_demo(engine: Engine, *, seed: int = 2026) -> bool:
    """Fill an empty database; returns False (and changes nothing) if already seeded."""
    if engine.user_id(DEMO_USERS[0].username) is not None:
        return False
    for path, abbreviation in TRACKERS.items():
        engine.ensure_tracker(path, abbreviation)
    rng = random.Random(seed)
    for person in DEMO_USERS:
        profile_id = engine.create_user(
            person.username,
            person.password,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@example.org",
            timezone=person.timezone,
            culture="en-GB",
            default_tracker_id=engine.ensure_tracker(person.default_tracker),
        )
        for root in ("Acme", "Globex", "Internal"):
            engine.grant_role(
                profile_id,
                engine.ensure_tracker(root),
                can_track=True,
                can_see_reporting=person.manager,
            )
        _history(engine, profile_id, person, rng)
    return True


def _history(engine: Engine, profile_id: int, person: DemoUser, rng: random.Random) -> None:
    tz = zone(person.timezone)
    now = engine.now()
    first = today(tz, now) - dt.timedelta(weeks=_WEEKS)
    holiday = first + dt.timedelta(days=rng.randrange(7, 7 * _WEEKS - 7))
    for offset in range(7 * _WEEKS):
        day = first + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        if day == holiday:
            engine.add_free(
                profile_id, Decimal(8), day, engine.ensure_tracker("Internal/Holidays"), "day off"
            )
            continue
        cursor = dt.datetime.combine(day, dt.time(8, rng.choice((30, 45)), 0))
        for index in range(rng.randint(3, 5)):
            minutes = rng.randrange(45, 150, 15)
            end = cursor + dt.timedelta(minutes=minutes)
            if local_to_utc(end, tz) > now:
                return
            engine.add(
                profile_id,
                cursor,
                end,
                engine.ensure_tracker(rng.choice(person.projects)),
                rng.choice(_DESCRIPTIONS),
            )
            # a lunch break after the second block, short pauses otherwise
            cursor = end + dt.timedelta(minutes=45 if index == 1 else rng.choice((0, 5, 15)))
