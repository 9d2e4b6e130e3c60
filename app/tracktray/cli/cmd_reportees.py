"""``tracktray reportees``: the people whose reports you may see (yourself included)."""

from __future__ import annotations

import argparse
from typing import Any

from tracktray.api import Refused
from tracktray.cli.context import Context
from tracktray.cli.render import emit_json
from tracktray.contracts.backend import Capability
from tracktray.i18n import _

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "reportees",
        parents=[common],
        help=_("people whose reports you may see (for report --user)"),
        description=_(
            "Everyone whose time you may report on: yourself, and with reporting "
            "rights the people on your trackers. Use the id or the name with `report --user`."
        ),
    )
    p.set_defaults(handler=reportees)


def reportees(args: argparse.Namespace, ctx: Context) -> int:
    backend = ctx.backend()
    if Capability.REPORTEES not in backend.capabilities:
        raise Refused(
            _("{label} does not report on other people.").format(label=ctx.account.shown_label)
        )
    people = backend.reportees()
    if args.json:
        emit_json(people, ctx.out)
        return 0
    if not people:
        ctx.print(_("Nobody."))
    width = max((len(str(p.id)) for p in people), default=1)
    for person in people:
        email = f"  <{person.email}>" if person.email else ""
        ctx.print(f"{person.id:>{width}}  {person.display_name}{email}")
    return 0
