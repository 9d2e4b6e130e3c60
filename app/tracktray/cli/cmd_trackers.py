"""The tracker tree, and finding a tracker from what a person typed."""

from __future__ import annotations

import argparse
from typing import Any

from tracktray.cli.context import Context
from tracktray.cli.errors import UsageError
from tracktray.cli.render import emit_json
from tracktray.domain import Tracker
from tracktray.domain.trackertree import AmbiguousTracker, UnknownTracker

__all__ = ["register", "resolve_tracker"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("trackers", parents=[common], help="the trackers you can track on")
    p.set_defaults(handler=trackers)


def trackers(args: argparse.Namespace, ctx: Context) -> int:
    tree = ctx.backend().trackers()
    if args.json:
        emit_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "path": t.display_path,
                    "depth": t.depth,
                    "parent_id": t.parent_id,
                    "trackable": t.trackable,
                }
                for t in tree
            ],
            ctx.out,
        )
        return 0
    if not len(tree):
        ctx.print("This account has no trackers you can track on.")
    width = max((len(str(t.id)) for t in tree), default=1)
    for t in tree:
        ctx.print(f"{t.id:>{width}}  {'  ' * t.depth}{t.name}")
    return 0


def resolve_tracker(ctx: Context, query: str) -> Tracker:
    """The tracker ``query`` names (id, path or unambiguous part), or a UsageError."""
    tree = ctx.backend().trackers()
    try:
        return tree.find(query)
    except (UnknownTracker, AmbiguousTracker) as exc:
        raise UsageError(str(exc)) from None
