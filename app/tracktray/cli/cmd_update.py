"""check-update: does the account's server offer a newer tracktray for this platform?"""

from __future__ import annotations

import argparse
from typing import Any

from tracktray.cli.context import Context
from tracktray.cli.render import emit_json

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("check-update", parents=[common], help="is a newer version offered?")
    p.set_defaults(handler=check_update)


def check_update(args: argparse.Namespace, ctx: Context) -> int:
    from tracktray.accounts.factory import widget_version
    from tracktray.contracts.backend import Capability

    version = widget_version()
    backend = ctx.backend()
    if not backend.capabilities & Capability.CHECK_VERSION:
        if args.json:
            emit_json({"version": version, "offered": False}, ctx.out)
        else:
            ctx.print(f"The account “{ctx.account.label}” does not offer updates.")
        return 0
    answer = backend.check_version(version)
    if args.json:
        emit_json({"version": version, "offered": True, **_fields(answer)}, ctx.out)
    elif answer.up_to_date:
        ctx.print(f"{version} is the newest version.")
    else:
        ctx.print(f"A newer version than {version} is available: {answer.url}")
    return 0


def _fields(answer: Any) -> dict[str, Any]:
    return {"up_to_date": answer.up_to_date, "url": answer.url}
