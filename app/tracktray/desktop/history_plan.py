"""Planning the trip of local history to a server account (no Qt, no I/O).

Local blocks are matched tracker by tracker to the server's tree (same path, else the
same unique name), and each block is marked *new* or *already on the server* (same start
and stop, the server's report asked in the local zone), so a second run sends nothing
twice. Running blocks stay home: only closed time travels.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracktray.domain import Block, TrackerTree
from tracktray.i18n import N_

__all__ = ["Candidate", "Fate", "match_trackers", "plan"]


class Fate(enum.Enum):
    NEW = "new"
    ALREADY_THERE = N_("already on the server")
    RUNNING = N_("still running")


@dataclass(frozen=True, slots=True)
class Candidate:
    block: Block
    fate: Fate


def match_trackers(local: TrackerTree, remote: TrackerTree) -> dict[int, int | None]:
    """Each local tracker's server tracker: the same path, else the one tracker with the
    same name, else None (the person chooses)."""
    by_path = {t.display_path.casefold(): t.id for t in remote if t.trackable}
    by_name: dict[str, list[int]] = {}
    for t in remote:
        if t.trackable:
            by_name.setdefault(t.name.casefold(), []).append(t.id)
    out: dict[int, int | None] = {}
    for t in local:
        found = by_path.get(t.display_path.casefold())
        if found is None:
            same_name = by_name.get(t.name.casefold(), [])
            found = same_name[0] if len(same_name) == 1 else None
        out[t.id] = found
    return out


def _key(block: Block) -> tuple[dt.datetime, dt.datetime | None]:
    out = block.time_out.replace(second=0) if block.time_out else None
    return block.time_in.replace(second=0), out


def _free_there(block: Block, free_days: dict[tuple[int, str], set[dt.date]]) -> bool:
    # Free time starts at midnight in the *server's* zone, which may be another day here:
    # the same hours and description within a day count as the same free time.
    days = free_days.get((block.total_s, block.description), set())
    return any(abs((block.time_in.date() - day).days) <= 1 for day in days)


def plan(local_blocks: Iterable[Block], remote_blocks: Sequence[Block]) -> list[Candidate]:
    """Every local block with what would happen to it, oldest first."""
    there = {_key(b) for b in remote_blocks if not b.free}
    free_days: dict[tuple[int, str], set[dt.date]] = {}
    for b in remote_blocks:
        if b.free:
            free_days.setdefault((b.total_s, b.description), set()).add(b.time_in.date())
    out = []
    for block in sorted(local_blocks, key=lambda b: b.time_in):
        if block.time_out is None:
            fate = Fate.RUNNING
        elif _free_there(block, free_days) if block.free else _key(block) in there:
            fate = Fate.ALREADY_THERE
        else:
            fate = Fate.NEW
        out.append(Candidate(block, fate))
    return out
