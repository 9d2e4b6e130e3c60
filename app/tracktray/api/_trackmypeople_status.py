"""A TrackMyPeople ``status`` answer → :class:`Status`: the one read every poll makes.

Apart from the other decoders (``_trackmypeople_decode.py``) so that what reads only a
status — ``tracktray status`` over the standard library's one request — builds only the
status's value classes. Both roads go through :func:`status_from`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tracktray.api._parse import (
    as_bool,
    as_duration_s,
    as_mapping,
    as_opt_int,
    as_text,
    as_timestamp,
    is_nothing,
)
from tracktray.api._trackmypeople_wire import refusal, succeeded
from tracktray.contracts.errors import ProtocolError
from tracktray.domain.status import RunningBlock, Status, TrackerRef
from tracktray.i18n import _

__all__ = ["decode_status", "decode_tracker_ref", "field", "status_from"]


def status_from(
    envelope: Mapping[str, Any],
    fetched_at: dt.datetime,
    default_tracker: TrackerRef | None = None,
) -> Status:
    """The status a ``status`` envelope says, or the error its refusal means."""
    if not succeeded(envelope):
        raise refusal(envelope, about_input=False, fallback=_("The server refused the status."))
    return decode_status(envelope, fetched_at, default_tracker)


def decode_tracker_ref(value: object, what: str) -> TrackerRef | None:
    if is_nothing(value):
        return None
    record = as_mapping(value, what)
    tracker_id = as_opt_int(field(record, "Id"), _("the id of {what}").format(what=what))
    if tracker_id is None:
        return None
    return TrackerRef(
        id=tracker_id,
        name=as_text(field(record, "Name"), _("the name of {what}").format(what=what)),
        abbreviation=as_text(
            field(record, "Abbreviation"), _("the abbreviation of {what}").format(what=what)
        ),
        trackable=as_bool(
            field(record, "Trackable", True), _("whether {what} is trackable").format(what=what)
        ),
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
        record = as_mapping(last, _("the running block"))
        tracker = decode_tracker_ref(field(record, "tracker"), _("the running tracker"))
        if tracker is None:
            raise ProtocolError(_("The server named a running block without its tracker."))
        running = RunningBlock(
            tracker=tracker,
            started_at=as_timestamp(field(record, "started_at"), _("the start of the block")),
            tracker_total_s=as_duration_s(field(record, "total"), _("the tracker's total")),
        )
    if "default_tracker" in envelope:
        default_tracker = decode_tracker_ref(envelope["default_tracker"], _("the default tracker"))
    return Status(
        daytotal_s=as_duration_s(envelope.get("daytotal"), _("today's total")),
        running=running,
        default_tracker=default_tracker,
        fetched_at=fetched_at,
    )


def field(record: Mapping[str, Any], key: str, default: object = None) -> object:
    """A field by its protocol name, also in another case ("id", "ID") — servers vary."""
    if key in record:
        return record[key]
    folded = key.casefold()
    for name, value in record.items():
        if isinstance(name, str) and name.casefold() == folded:
            return value
    return default
