"""The tracker tree, and finding a tracker from what a person typed."""

from __future__ import annotations

import argparse
from typing import Any

from tracktray.api import Refused
from tracktray.cli.context import Context
from tracktray.cli.errors import UsageError
from tracktray.cli.render import emit_json
from tracktray.contracts.backend import Capability, TrackerManager
from tracktray.domain import Tracker
from tracktray.domain.trackertree import AmbiguousTracker, UnknownTracker
from tracktray.i18n import _

__all__ = ["register", "resolve_tracker"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "trackers",
        parents=[common],
        help=_("the trackers you can track on (local mode: archive, restore)"),
        description=_(
            "Without an action, list the trackers you can track on. In local mode "
            "trackers can be archived (they leave the menu, their time stays in reports) and "
            "restored."
        ),
    )
    p.set_defaults(handler=trackers)
    actions = p.add_subparsers(dest="trackers_action", metavar="ACTION")
    a = actions.add_parser("archived", parents=[common], help=_("list archived trackers"))
    a.set_defaults(handler=archived)
    a = actions.add_parser("archive", parents=[common], help=_("archive a tracker (local mode)"))
    a.add_argument("tracker", help=_("id, path or part of a path"))
    a.set_defaults(handler=archive)
    a = actions.add_parser("restore", parents=[common], help=_("restore an archived tracker"))
    a.add_argument("tracker", help=_("id, path or part of a path of an archived tracker"))
    a.set_defaults(handler=restore)


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
        ctx.print(_("This account has no trackers you can track on."))
    width = max((len(str(t.id)) for t in tree), default=1)
    for t in tree:
        ctx.print(f"{t.id:>{width}}  {'  ' * t.depth}{t.name}")
    return 0


def _manager(ctx: Context) -> TrackerManager:
    backend = ctx.backend()
    if Capability.MANAGE_TRACKERS not in backend.capabilities or not isinstance(
        backend, TrackerManager
    ):
        raise Refused(
            _("The trackers of {label} are managed on its server.").format(
                label=ctx.account.shown_label
            )
        )
    return backend


def archived(args: argparse.Namespace, ctx: Context) -> int:
    tree = _manager(ctx).archived_trackers()
    if args.json:
        emit_json([{"id": t.id, "path": t.display_path} for t in tree], ctx.out)
        return 0
    if not len(tree):
        ctx.print(_("No tracker is archived."))
    for t in tree:
        ctx.print(f"{t.id}  {t.display_path}")
    return 0


def archive(args: argparse.Namespace, ctx: Context) -> int:
    manager = _manager(ctx)
    backend = ctx.backend()
    tracker = resolve_tracker(ctx, args.tracker)
    before = backend.status()
    manager.archive_tracker(tracker.id)
    after = backend.status()
    ctx.print(
        _("Archived {display_path}; `tracktray trackers restore {id}` brings it back.").format(
            display_path=tracker.display_path, id=tracker.id
        )
    )
    # what happened to the running block and the default tracker, said as with the widget
    running = after.running
    if running is not None and not running.tracker.trackable:
        ctx.print(
            _("{tracker} keeps running until you stop or switch.").format(
                tracker=running.tracker.name
            )
        )
    old_default, new_default = before.default_tracker, after.default_tracker
    if old_default is not None and (new_default is None or new_default.id != old_default.id):
        ctx.print(
            _("“{tracker}” is now the default tracker.").format(tracker=new_default.name)
            if new_default is not None
            else _("No tracker is left to start: restore one, or add one in the widget.")
        )
    return 0


def restore(args: argparse.Namespace, ctx: Context) -> int:
    manager = _manager(ctx)
    try:
        tracker = manager.archived_trackers().find(args.tracker)
    except (UnknownTracker, AmbiguousTracker) as exc:
        raise UsageError(
            _("{exc} (archived trackers: `tracktray trackers archived`)").format(exc=exc)
        ) from None
    manager.restore_tracker(tracker.id)
    ctx.print(_("Restored {display_path}.").format(display_path=tracker.display_path))
    return 0


def resolve_tracker(ctx: Context, query: str) -> Tracker:
    """The tracker ``query`` names (id, path or unambiguous part), or a UsageError."""
    tree = ctx.backend().trackers()
    try:
        return tree.find(query)
    except (UnknownTracker, AmbiguousTracker) as exc:
        raise UsageError(str(exc)) from None
