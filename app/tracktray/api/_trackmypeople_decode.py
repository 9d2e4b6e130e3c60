"""TrackMyPeople answers → the shared domain values, tolerating what the protocol allows.

Each function takes an envelope (a JSON object already checked by ``_trackmypeople_wire``) and
returns frozen domain values or raises ProtocolError; nothing raw passes this layer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from tracktray.api._parse import (
    as_bool,
    as_duration_s,
    as_int,
    as_mapping,
    as_opt_int,
    as_text,
    as_timestamp,
    as_wall_time,
    is_nothing,
)
from tracktray.contracts.errors import ProtocolError
from tracktray.domain import Block, Profile, RunningBlock, Status, TrackerRef, TrackerTree

__all__ = [
    "decode_block",
    "decode_blocks",
    "decode_profiles",
    "decode_status",
    "decode_tracker_ref",
    "decode_trackers",
    "split_arrows",
]

#: one level of indentation: →, ->, », > or -, each optionally followed by blanks
_ARROW = re.compile(r"(?:→|->|»|>|-)\s*")
_ENVELOPE_KEYS = frozenset({"result", "error"})


def split_arrows(label: str) -> tuple[int, str]:
    """``"→→ Backend"`` → ``(2, "Backend")``; arrows inside the name are kept.

    Only the leading run of arrow tokens counts: once a character that is not an arrow
    or a blank is seen, the rest ("A -> B") belongs to the name. A label made only of
    arrows keeps its text as the name rather than losing the tracker.
    """
    position = len(label) - len(label.lstrip())
    depth = 0
    while match := _ARROW.match(label, position):
        depth += 1
        position = match.end()
    name = label[position:].strip()
    if not name:
        return 0, label.strip()
    return depth, name


def decode_trackers(envelope: Mapping[str, Any]) -> TrackerTree:
    rows: list[tuple[int, int, str]] = []
    for key, value in envelope.items():
        if key in _ENVELOPE_KEYS or not key.strip().isdigit():
            continue  # extra keys are allowed
        tracker_id = int(key)
        depth, name = split_arrows(as_text(value, f"the name of tracker {tracker_id}"))
        rows.append((tracker_id, depth, name or f"#{tracker_id}"))
    return TrackerTree.from_rows(rows)


def decode_tracker_ref(value: object, what: str) -> TrackerRef | None:
    if is_nothing(value):
        return None
    record = as_mapping(value, what)
    tracker_id = as_opt_int(_get(record, "Id"), f"the id of {what}")
    if tracker_id is None:
        return None
    return TrackerRef(
        id=tracker_id,
        name=as_text(_get(record, "Name"), f"the name of {what}"),
        abbreviation=as_text(_get(record, "Abbreviation"), f"the abbreviation of {what}"),
        trackable=as_bool(_get(record, "Trackable", True), f"whether {what} is trackable"),
    )


def decode_status(
    envelope: Mapping[str, Any],
    fetched_at: dt.datetime,
    default_tracker: TrackerRef | None = None,
) -> Status:
    """``status``, ``start`` and ``switch`` answers (the last two lack default_tracker)."""
    running: RunningBlock | None = None
    last = envelope.get("last_block")
    if not is_nothing(last):
        record = as_mapping(last, "the running block")
        tracker = decode_tracker_ref(_get(record, "tracker"), "the running tracker")
        if tracker is None:
            raise ProtocolError("The server named a running block without its tracker.")
        running = RunningBlock(
            tracker=tracker,
            started_at=as_timestamp(_get(record, "started_at"), "the start of the block"),
            tracker_total_s=as_duration_s(_get(record, "total"), "the tracker's total"),
        )
    if "default_tracker" in envelope:
        default_tracker = decode_tracker_ref(envelope["default_tracker"], "the default tracker")
    return Status(
        daytotal_s=as_duration_s(envelope.get("daytotal"), "today's total"),
        running=running,
        default_tracker=default_tracker,
        fetched_at=fetched_at,
    )


def decode_block(value: object, what: str = "the block") -> Block:
    record = as_mapping(value, what)
    time_out = _get(record, "TimeOut")
    return Block(
        id=as_int(_get(record, "Id"), f"the id of {what}"),
        profile_id=as_int(_get(record, "ProfileId"), f"the profile of {what}"),
        tracker_id=as_opt_int(_get(record, "TrackerId"), f"the tracker of {what}"),
        description=as_text(_get(record, "Description"), f"the description of {what}"),
        time_in=as_wall_time(_get(record, "TimeIn"), f"the start of {what}"),
        time_out=None if is_nothing(time_out) else as_wall_time(time_out, f"the end of {what}"),
        total_s=as_duration_s(_get(record, "Total"), f"the total of {what}"),
        free=as_bool(_get(record, "Free", False), f"whether {what} is free time"),
    )


def decode_blocks(envelope: Mapping[str, Any]) -> list[Block]:
    blocks = [decode_block(value, "a reported block") for value in _records(envelope, "block_")]
    return sorted(blocks, key=lambda b: (b.time_in, b.id))


def decode_profiles(envelope: Mapping[str, Any]) -> list[Profile]:
    profiles: list[Profile] = []
    for value in _records(envelope, "reportee_"):
        record = as_mapping(value, "a reportee")
        profiles.append(
            Profile(
                id=as_int(_get(record, "Id"), "the id of a reportee"),
                title=as_text(_get(record, "Title"), "a reportee's title"),
                first_name=as_text(_get(record, "Namefirst"), "a reportee's first name"),
                last_name=as_text(_get(record, "Namefamily"), "a reportee's last name"),
                email=as_text(_get(record, "Email"), "a reportee's email"),
                phone=as_text(_get(record, "Phone"), "a reportee's phone"),
                gsm=as_text(_get(record, "Gsm"), "a reportee's mobile"),
                timezone=as_text(_get(record, "Timezone"), "a reportee's time zone") or "UTC",
                culture=as_text(_get(record, "Culture"), "a reportee's language"),
                default_tracker_id=as_opt_int(
                    _get(record, "DefaultTrackerId"), "a reportee's default tracker"
                ),
            )
        )
    return profiles


def _records(envelope: Mapping[str, Any], prefix: str) -> Iterator[object]:
    for key, value in envelope.items():
        if key.casefold().startswith(prefix):
            yield value


def _get(record: Mapping[str, Any], key: str, default: object = None) -> object:
    """A field by its protocol name, also in another case ("id", "ID") — servers vary."""
    if key in record:
        return record[key]
    folded = key.casefold()
    for name, value in record.items():
        if isinstance(name, str) and name.casefold() == folded:
            return value
    return default
