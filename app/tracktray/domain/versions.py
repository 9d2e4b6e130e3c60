"""Version numbers and the widget versions ``checkVersion`` speaks of.

Apart from :mod:`.parsing` because a widget on a server account names itself with
:func:`format_widget_version` at rest, and the other parsers bring :mod:`decimal`
(~0.4 MiB kept all day) for hours it never parses at rest.
"""

from __future__ import annotations

import re

__all__ = [
    "WidgetVersion",
    "format_widget_version",
    "parse_version_number",
    "parse_widget_version",
]


class WidgetVersion:
    """``<Platform>_<edition>-<semver>`` as widgets send to ``checkVersion``."""

    __slots__ = ("edition", "number", "platform")

    def __init__(self, platform: str, edition: str, number: tuple[int, ...]) -> None:
        self.platform = platform
        self.edition = edition
        self.number = number


_WIDGET_VERSION = re.compile(r"([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9]+)-(\S+)")


def format_widget_version(version: str, platform: str) -> str:
    """This widget as ``checkVersion`` names it, the inverse of :func:`parse_widget_version`.

    ``platform`` is a ``sys.platform`` value: ``Windows_Qt-…``, ``Mac_Qt-…``, and
    ``Linux_Qt-…`` for Linux and the other X11/Wayland systems (they get the Linux build).
    """
    if platform in ("win32", "cygwin"):
        name = "Windows"
    elif platform == "darwin":
        name = "Mac"
    else:
        name = "Linux"
    return f"{name}_Qt-{version}"


def parse_widget_version(text: str) -> WidgetVersion:
    match = _WIDGET_VERSION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"invalid version passed: {text}")
    platform, edition, number = match.groups()
    try:
        return WidgetVersion(platform, edition, parse_version_number(number))
    except ValueError:
        raise ValueError(f"invalid version passed: {text}") from None


def parse_version_number(text: str) -> tuple[int, ...]:
    """``1.10.0`` → ``(1, 10, 0)``; trailing zeros dropped so 1.2 == 1.2.0."""
    if not re.fullmatch(r"\d{1,6}(\.\d{1,6}){0,4}", text.strip()):
        raise ValueError(f"“{text}” is not a version number such as 1.10.0.")
    parts = [int(p) for p in text.strip().split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)
