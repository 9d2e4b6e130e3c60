"""The TrackMyPeople answer envelope, as JSON or as XML (``<api_response>``).

Both formats carry the same fields: JSON as an object, XML as child elements. A key
that is not a valid XML name (the numeric tracker ids of ``trackers``) is written as
``<tracker id="..">`` instead, as the protocol pins.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

from starlette.responses import Response

from tracktray.server.inputs import xml_safe

__all__ = ["FORMATS", "render"]

FORMATS = ("json", "xml")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
#: one encoder (json.dumps with options builds a new one per call)
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render(payload: dict[str, Any], fmt: str, status_code: int = 200, **headers: str) -> Response:
    if fmt == "json":
        body = _JSON.encode(payload).encode()
        media = "application/json"
    else:
        root = ET.Element("api_response")
        _fill(root, payload)
        body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        media = "application/xml"
    return Response(body, status_code, headers=headers or None, media_type=media)


def _fill(parent: ET.Element, value: dict[str, Any]) -> None:
    for key, item in value.items():
        if _XML_NAME.fullmatch(key) and not key.lower().startswith("xml"):
            child = ET.SubElement(parent, key)
        else:
            child = ET.SubElement(parent, "tracker", id=xml_safe(key))
        if isinstance(item, dict):
            _fill(child, item)
        else:
            child.text = _scalar(item)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_safe(str(value))  # text stored before input was checked may hold U+0001
