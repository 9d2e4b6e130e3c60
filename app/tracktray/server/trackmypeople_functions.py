"""The TrackMyPeople functions: parameters in, engine call, envelope fields out.

Each handler runs where ``app.py`` puts it (a worker thread, or the event loop for a
remembered widget's short calls on SQLite) and returns the JSON-shaped dict of a
successful answer; engine refusals are turned into ``result: 0`` answers by :func:`call`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tracktray.domain import Block, Profile, ReportQuery, Status, TrackerRef
from tracktray.domain.parsing import parse_date, parse_datetime, parse_hours
from tracktray.engine import Engine, EngineError, Overlap, ValidationError
from tracktray.engine.reportsql import block_fields
from tracktray.server.inputs import UnsafeInput, ascii_id, check_text
from tracktray.server.releases import manifest_url_for
from tracktray.server.streamed import MEMBERS_PER_SLICE, StreamedAnswer

__all__ = ["call", "edit_url"]

ARROW = "→"
_MAX_TEXT = 10_000
Params = dict[str, str]
Handler = Callable[[Engine, int, Params], dict[str, Any]]


def edit_url(origin: str, block_id: int) -> str:
    return f"{origin.rstrip('/')}/blocks/{block_id}/edit"


def call(
    engine: Engine, function: str, profile_id: int, params: Params, origin: str, fmt: str = "xml"
) -> dict[str, Any] | StreamedAnswer:
    """Run ``function`` for ``profile_id``; refusals become ``{"result": 0, "error": ...}``.

    A ``report`` in JSON comes back as a :class:`StreamedAnswer` (its members written by
    the database), once everything that could refuse it has been checked.
    """
    try:
        if function == "report" and fmt == "json":
            query = _report_query(params)
            return StreamedAnswer(engine.report_member_slices(profile_id, query, MEMBERS_PER_SLICE))
        return _HANDLERS[function](engine, profile_id, params)
    except Overlap as exc:
        return {"result": 0, "error": "overlap", "url": edit_url(origin, exc.block_id)}
    except EngineError as exc:
        return {"result": 0, "error": str(exc)}


# -- parameter readers (ValidationError with a sentence on bad input) -----------------


def _int(params: Params, name: str) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    number = ascii_id(raw)
    if number is None:
        raise ValidationError(f"The {name} “{raw[:40]}” is not a number (an id of 10 digits).")
    return number


def _text(params: Params, name: str) -> str:
    value = params.get(name, "")
    if len(value) > _MAX_TEXT:
        raise ValidationError(f"The {name} is longer than {_MAX_TEXT} characters.")
    try:
        return check_text(value, name).strip()
    except UnsafeInput as exc:
        raise ValidationError(str(exc)) from None


def _when(params: Params, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_datetime(raw, name)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def _flag(params: Params, name: str) -> bool | None:
    raw = params.get(name, "").strip().casefold()
    if not raw:
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValidationError(f"The {name} parameter must be 1 or 0.")


# -- answer shapes ----------------------------------------------------------------------


def _tracker(ref: TrackerRef) -> dict[str, Any]:
    return {
        "Id": ref.id,
        "Name": ref.name,
        "Abbreviation": ref.abbreviation,
        "Trackable": 1 if ref.trackable else 0,
    }


def _status(status: Status, *, with_default: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"result": 1, "daytotal": status.daytotal_s}
    if status.running is not None:
        out["last_block"] = {
            "started_at": str(int(status.running.started_at.timestamp())),
            "total": str(status.running.tracker_total_s),
            "tracker": _tracker(status.running.tracker),
        }
    if with_default and status.default_tracker is not None:
        out["default_tracker"] = _tracker(status.default_tracker)
    return out


def _block(block: Block) -> dict[str, Any]:
    # one definition of the block object: the report's members are built from it too
    return block_fields(block)


def _profile(p: Profile) -> dict[str, Any]:
    return {
        "Id": p.id,
        "Title": p.title,
        "Namefirst": p.first_name,
        "Namefamily": p.last_name,
        "Email": p.email,
        "Phone": p.phone,
        "Gsm": p.gsm,
        "Timezone": p.timezone,
        "Culture": p.culture,
        "DefaultTrackerId": p.default_tracker_id,
    }


# -- the functions ------------------------------------------------------------------------


def _trackers(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    out: dict[str, Any] = {"result": 1}
    for tracker in engine.trackers(pid):
        arrows = ARROW * tracker.depth
        out[str(tracker.id)] = f"{arrows} {tracker.name}" if arrows else tracker.name
    return out


def _status_fn(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    return _status(engine.status(pid), with_default=True)


def _start(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    return _status(engine.start(pid, _int(params, "tracker_id")), with_default=False)


def _switch(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    status = engine.switch(
        pid, _int(params, "tracker_id"), _text(params, "description"), _when(params, "at")
    )
    return _status(status, with_default=False)


def _stop(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    engine.stop(pid, _text(params, "description"), _when(params, "at"))
    return {"result": 1}


def _daytotal(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    return {"result": 1, "total": engine.day_total(pid)}


def _add(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    start = _when(params, "start")
    if start is None:
        raise ValidationError("The start is required (YYYY-MM-DD HH:MM[:SS] or a UNIX timestamp).")
    block = engine.add(
        pid, start, _when(params, "stop"), _int(params, "tracker_id"), _text(params, "description")
    )
    return {"result": 1, "added_block": _block(block)}


def _addfree(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    raw_hours = params.get("hours", "").strip()
    if not raw_hours:
        raise ValidationError("The hours are required (e.g. 7.5 or 7,5).")
    try:
        hours: Decimal = parse_hours(raw_hours)
        raw_date = params.get("date", "").strip()
        day = parse_date(raw_date) if raw_date else None
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    block = engine.add_free(
        pid, hours, day, _int(params, "tracker_id"), _text(params, "description")
    )
    return {"result": 1, "added_block": _block(block)}


def _reportees(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    out: dict[str, Any] = {"result": 1}
    for person in engine.reportees(pid):
        out[f"reportee_{person.id}"] = _profile(person)
    return out


def _report_query(params: Params) -> ReportQuery:
    return ReportQuery(
        profile_id=_int(params, "profile_id"),
        tracker_id=_int(params, "tracker_id"),
        start=_when(params, "start"),
        stop=_when(params, "stop"),
        timezone=params.get("timezone", "").strip() or None,
        free=_flag(params, "free"),
        include_open=bool(_flag(params, "include_open")),
    )


def _report(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    """The report as one envelope (XML; JSON is streamed, see :func:`call`)."""
    out: dict[str, Any] = {"result": 1}
    for block in engine.report(pid, _report_query(params)):
        out[f"block_{block.id}"] = _block(block)
    return out


def _check_version(engine: Engine, pid: int, params: Params) -> dict[str, Any]:
    answer = engine.check_version(params.get("version", ""))
    if answer.up_to_date:
        return {"result": 1}
    # ``version`` and ``manifest`` are extra keys of ours (server/releases.py)
    found: dict[str, Any] = {"result": 0, "url": answer.url, "version": answer.version}
    manifest = manifest_url_for(answer.url)
    if manifest is not None:
        found["manifest"] = manifest
    return found


_HANDLERS: dict[str, Handler] = {
    "trackers": _trackers,
    "status": _status_fn,
    "start": _start,
    "switch": _switch,
    "stop": _stop,
    "daytotal": _daytotal,
    "add": _add,
    "addfree": _addfree,
    "reportees": _reportees,
    "report": _report,
    "checkVersion": _check_version,
}
