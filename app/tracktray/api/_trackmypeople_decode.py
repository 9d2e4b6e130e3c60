"""TrackMyPeople answers → the shared domain values, tolerating what the protocol allows.

Each function takes an envelope (a JSON object already checked by ``_trackmypeople_wire``) and
returns frozen domain values or raises ProtocolError; nothing raw passes this layer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from tracktray.api._parse import (
    Field,
    as_bool,
    as_duration_s,
    as_int,
    as_mapping,
    as_opt_int,
    as_text,
    as_wall_time,
    is_nothing,
)
from tracktray.api._trackmypeople_status import decode_status, decode_tracker_ref
from tracktray.api._trackmypeople_status import field as _get
from tracktray.domain import Block, Profile, TrackerTree
from tracktray.i18n import N_, _

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
        depth, name = split_arrows(
            as_text(value, _("the name of tracker {tracker_id}").format(tracker_id=tracker_id))
        )
        rows.append((tracker_id, depth, name or f"#{tracker_id}"))
    return TrackerTree.from_rows(rows)


@functools.lru_cache(maxsize=8)
def _block_fields(what: str) -> tuple[Field, ...]:
    """The names of a block's fields for error sentences, made once per kind of block."""
    return tuple(
        Field(pattern, what)
        for pattern in (
            N_("the id of {what}"),
            N_("the profile of {what}"),
            N_("the tracker of {what}"),
            N_("the description of {what}"),
            N_("the start of {what}"),
            N_("the end of {what}"),
            N_("the total of {what}"),
            N_("whether {what} is free time"),
        )
    )


def decode_block(value: object, what: str | None = None) -> Block:
    what = what or _("the block")
    record = as_mapping(value, what)
    id_, profile, tracker, description, start, end, total, free = _block_fields(what)
    time_out = _get(record, "TimeOut")
    return Block(
        id=as_int(_get(record, "Id"), id_),
        profile_id=as_int(_get(record, "ProfileId"), profile),
        tracker_id=as_opt_int(_get(record, "TrackerId"), tracker),
        description=as_text(_get(record, "Description"), description),
        time_in=as_wall_time(_get(record, "TimeIn"), start),
        time_out=None if is_nothing(time_out) else as_wall_time(time_out, end),
        total_s=as_duration_s(_get(record, "Total"), total),
        free=as_bool(_get(record, "Free", False), free),
    )


def decode_blocks(envelope: Mapping[str, Any]) -> list[Block]:
    blocks = [decode_block(value, _("a reported block")) for value in _records(envelope, "block_")]
    return sorted(blocks, key=lambda b: (b.time_in, b.id))


def decode_profiles(envelope: Mapping[str, Any]) -> list[Profile]:
    profiles: list[Profile] = []
    for value in _records(envelope, "reportee_"):
        record = as_mapping(value, "a reportee")
        profiles.append(
            Profile(
                id=as_int(_get(record, "Id"), _("the id of a reportee")),
                title=as_text(_get(record, "Title"), _("a reportee's title")),
                first_name=as_text(_get(record, "Namefirst"), _("a reportee's first name")),
                last_name=as_text(_get(record, "Namefamily"), _("a reportee's last name")),
                email=as_text(_get(record, "Email"), _("a reportee's email")),
                phone=as_text(_get(record, "Phone"), _("a reportee's phone")),
                gsm=as_text(_get(record, "Gsm"), _("a reportee's mobile")),
                timezone=as_text(_get(record, "Timezone"), _("a reportee's time zone")) or "UTC",
                culture=as_text(_get(record, "Culture"), _("a reportee's language")),
                default_tracker_id=as_opt_int(
                    _get(record, "DefaultTrackerId"), _("a reportee's default tracker")
                ),
            )
        )
    return profiles


def _records(envelope: Mapping[str, Any], prefix: str) -> Iterator[object]:
    for key, value in envelope.items():
        if key.casefold().startswith(prefix):
            yield value
