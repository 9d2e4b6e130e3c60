"""``tracktray-server load``: create or update an organisation from a TOML file.

Every entry is checked (keys, types, time zones, versions) before anything is written,
and everything is written in one transaction, so neither a typo on line 80 nor a rule
the engine refuses there leaves half an organisation behind. The format is
documented in ``docs/server.md``, with an example in ``docs/example-org.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracktray.domain.localtime import zone
from tracktray.domain.versions import parse_version_number
from tracktray.engine import Engine, EngineError
from tracktray.engine.admin import PROFILE_FIELDS
from tracktray.engine.timetrack.loading import load_api_keys

__all__ = ["LoadError", "LoadSummary", "load_data", "load_file"]

_SECTIONS = {
    "trackers": ({"path"}, {"abbreviation", "archived"}),
    "users": ({"username"}, {"password", "default_tracker", *PROFILE_FIELDS}),
    "roles": ({"user", "tracker"}, {"can_track", "can_see_reporting"}),
    "releases": ({"platform", "version", "url"}, set()),
    "api_keys": ({"key", "secret"}, {"label"}),  # the TimeTrack face's credentials
}
_BOOLEAN = {"archived", "can_track", "can_see_reporting"}


class LoadError(Exception):
    """A sentence naming the entry at fault, e.g. ``users[2]: unknown key “nmae”.``"""


@dataclass
class LoadSummary:
    trackers: int = 0
    users_created: int = 0
    users_updated: int = 0
    roles: int = 0
    releases: int = 0
    api_keys: int = 0

    def __str__(self) -> str:
        return (
            f"{self.trackers} tracker(s), {self.users_created} user(s) created, "
            f"{self.users_updated} updated, {self.roles} role(s), {self.releases} release(s)"
            + (f", {self.api_keys} API key(s)" if self.api_keys else "")
        )


def load_file(engine: Engine, path: Path) -> LoadSummary:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoadError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise LoadError(f"{path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(f"{path} is not valid TOML: {exc}.") from None
    return load_data(engine, data)


def load_data(engine: Engine, data: dict[str, Any]) -> LoadSummary:
    """Everything in one transaction: a refused entry leaves the database as it was."""
    sections = _check(data)
    with engine.one_transaction() as batch:
        return _load_sections(batch, sections)


def _load_sections(engine: Engine, sections: dict[str, list[dict[str, Any]]]) -> LoadSummary:
    summary = LoadSummary()
    where = ""
    try:
        where = "api_keys"
        summary.api_keys = load_api_keys(engine, {"api_keys": sections["api_keys"]})
        for index, entry in enumerate(sections["trackers"]):
            where = f"trackers[{index}]"
            tracker_id = engine.ensure_tracker(entry["path"], entry.get("abbreviation"))
            if "archived" in entry:
                engine.archive_tracker(tracker_id, entry["archived"])
            summary.trackers += 1
        for index, entry in enumerate(sections["users"]):
            where = f"users[{index}]"
            _load_user(engine, entry, summary)
        for index, entry in enumerate(sections["roles"]):
            where = f"roles[{index}]"
            profile_id = engine.user_id(entry["user"])
            if profile_id is None:
                raise LoadError(f"{where}: there is no user “{entry['user']}”.")
            engine.grant_role(
                profile_id,
                engine.ensure_tracker(entry["tracker"]),
                can_track=entry.get("can_track", True),
                can_see_reporting=entry.get("can_see_reporting", False),
            )
            summary.roles += 1
        for index, entry in enumerate(sections["releases"]):
            where = f"releases[{index}]"
            engine.set_release(entry["platform"], entry["version"], entry["url"])
            summary.releases += 1
    except EngineError as exc:
        raise LoadError(f"{where}: {exc}") from None
    return summary


def _load_user(engine: Engine, entry: dict[str, Any], summary: LoadSummary) -> None:
    fields = {k: v for k, v in entry.items() if k in PROFILE_FIELDS}
    if "default_tracker" in entry:
        fields["default_tracker_id"] = engine.ensure_tracker(entry["default_tracker"])
    profile_id = engine.user_id(entry["username"])
    if profile_id is None:
        if not entry.get("password"):
            raise LoadError(f"the new user “{entry['username']}” needs a password.")
        engine.create_user(entry["username"], entry["password"], **fields)
        summary.users_created += 1
    else:
        engine.update_user(profile_id, password=entry.get("password") or None, **fields)
        summary.users_updated += 1


def _check(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise LoadError(
            f"Unknown section(s) {', '.join(sorted(unknown))}; "
            "expected [[trackers]], [[users]], [[roles]] and [[releases]]."
        )
    out: dict[str, list[dict[str, Any]]] = {}
    for section, (required, optional) in _SECTIONS.items():
        entries = data.get(section, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise LoadError(f"“{section}” must be a list of tables: write [[{section}]].")
        for index, entry in enumerate(entries):
            _check_entry(f"{section}[{index}]", entry, required, optional)
        out[section] = entries
    return out


def _check_entry(where: str, entry: dict[str, Any], required: set[str], optional: set[str]) -> None:
    missing = required - set(entry)
    if missing:
        raise LoadError(f"{where}: missing {', '.join(sorted(missing))}.")
    extra = set(entry) - required - optional
    if extra:
        raise LoadError(f"{where}: unknown key(s) {', '.join(sorted(extra))}.")
    for key, value in entry.items():
        expected = bool if key in _BOOLEAN else str
        if not isinstance(value, expected):
            kind = "true or false" if expected is bool else "a string"
            raise LoadError(f"{where}: {key} must be {kind}.")
    try:
        if "timezone" in entry:
            zone(entry["timezone"])
        if "version" in entry:
            parse_version_number(entry["version"])
    except ValueError as exc:
        raise LoadError(f"{where}: {exc}") from None
    for key in ("path", "tracker", "default_tracker"):
        if key in entry and not [p for p in entry[key].split("/") if p.strip()]:
            raise LoadError(f"{where}: {key} must be a tracker path such as “Acme/Website”.")
