"""Output: durations and times for people (in their language's formats), plain JSON for
scripts (never localised)."""

from __future__ import annotations

import datetime as dt

from tracktray.i18n import format_clock, format_datetime

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["clock", "duration", "emit_json", "to_jsonable"]


def duration(seconds: int) -> str:
    """``3725`` → ``"1:02"`` (hours:minutes, the way timesheets read)."""
    minutes = max(0, seconds) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def clock(moment: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """``09:12`` today, ``2026-11-22 17:40`` another day, in this computer's zone."""
    local = moment.astimezone() if moment.tzinfo else moment
    reference = (now or dt.datetime.now().astimezone()).date()
    return format_clock(local) if local.date() == reference else format_datetime(local)


def to_jsonable(value: Any) -> Any:
    """Domain values as JSON: dataclasses and :class:`Value` classes as objects, times as
    ISO 8601, money-safe decimals."""
    import enum
    import sys

    from tracktray.domain.values import Value

    if isinstance(value, Value):
        return {name: to_jsonable(field) for name, field in value.as_dict().items()}
    # a Decimal exists only once decimal is loaded (``status --json`` never loads it), and
    # a dataclass only once dataclasses is (``status`` builds Value classes only)
    decimal = sys.modules.get("decimal")
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is not None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if decimal is not None and isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def emit_json(value: Any, out: TextIO) -> None:
    import json

    json.dump(to_jsonable(value), out, indent=2, ensure_ascii=False)
    out.write("\n")
