"""Reading a TrackMyPeople call off the wire: function, format and parameters.

Accepted shapes (the protocol's "Transport" table):

- ``POST /api/<function>.json`` with a form-encoded body (what widgets send)
- ``GET /api/<function>.<format>/<p1>/<v1>/...`` (values URL-encoded)
- ``GET|POST /api/<function>`` with no suffix, which answers XML

Anything malformed raises :class:`BadCall` carrying the HTTP status and one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote_to_bytes

from tracktray.server.envelope import FORMATS
from tracktray.server.inputs import UnsafeInput, json_object

__all__ = ["FUNCTIONS", "MAX_BODY_BYTES", "BadCall", "Call", "parse_body", "parse_path"]

#: canonical URL names, keyed by their case-folded spelling and the accepted aliases
FUNCTIONS: Mapping[str, str] = {
    **{
        name.casefold(): name
        for name in (
            "trackers",
            "status",
            "start",
            "switch",
            "stop",
            "daytotal",
            "add",
            "addfree",
            "reportees",
            "report",
            "checkVersion",
        )
    },
    "total": "daytotal",
    "addblock": "add",
    "addfreeblock": "addfree",
    "reporting": "report",
}
#: a widget's request is a few hundred bytes; anything near this is not a widget
MAX_BODY_BYTES = 64 * 1024
MAX_PARAMS = 64


class BadCall(Exception):
    def __init__(self, status_code: int, message: str, fmt: str = "xml") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.fmt = fmt


@dataclass
class Call:
    function: str
    fmt: str
    params: dict[str, str] = field(default_factory=dict)


def _decode(raw: str, what: str) -> str:
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise BadCall(400, f"The {what} is not valid UTF-8.") from None


def parse_path(raw_path: str, query_string: bytes) -> Call:
    """``raw_path`` is what follows ``/api/``, still percent-encoded."""
    segments = raw_path.split("/")
    while segments and segments[-1] == "":
        segments.pop()
    head = _decode(segments[0], "address") if segments else ""
    name, dot, fmt = head.partition(".")
    fmt = fmt.casefold() if dot else "xml"
    function = FUNCTIONS.get(name.casefold())
    if fmt not in FORMATS:
        raise BadCall(404, f"Unknown format “{fmt}” (use .json or .xml).")
    if function is None:
        raise BadCall(404, f"Unknown function “{name}”.", fmt)
    rest = [_decode(s, "address") for s in segments[1:]]
    if rest and not dot:
        raise BadCall(
            400, "Add the format (.json or .xml) to the function when passing parameters."
        )
    if len(rest) % 2:
        raise BadCall(400, f"The parameter “{rest[-1]}” has no value.", fmt)
    params = _from_query(query_string, fmt)
    params.update({k.casefold(): v for k, v in zip(rest[::2], rest[1::2], strict=True)})
    return _limited(Call(function, fmt, params))


def _from_query(data: bytes, fmt: str) -> dict[str, str]:
    try:
        text = data.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadCall(400, "The parameters are not valid UTF-8.", fmt) from None
    except ValueError:
        raise BadCall(400, "The parameters could not be read.", fmt) from None
    return {k.casefold(): v for k, v in pairs}


def parse_body(call: Call, body: bytes, content_type: str) -> Call:
    """Merge a POST body (form-encoded, or a JSON object) into ``call.params``."""
    if not body.strip():
        return call
    if content_type.split(";")[0].strip().casefold() == "application/json":
        try:
            data = json_object(body)
        except UnsafeInput as exc:
            raise BadCall(400, str(exc), call.fmt) from None
        values = {str(k).casefold(): _json_scalar(v) for k, v in data.items()}
    else:
        values = _from_query(body, call.fmt)
    call.params.update(values)
    return _limited(call)


def _json_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def _limited(call: Call) -> Call:
    if len(call.params) > MAX_PARAMS:
        raise BadCall(413, "Too many parameters.", call.fmt)
    return call
