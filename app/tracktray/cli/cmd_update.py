"""check-update: does the account's server offer a newer tracktray for this platform?"""

from __future__ import annotations

import argparse
from typing import Any

from tracktray.cli.context import Context
from tracktray.cli.render import emit_json
from tracktray.i18n import _

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("check-update", parents=[common], help=_("is a newer version offered?"))
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
            ctx.print(
                _("The account “{label}” does not offer updates.").format(
                    label=ctx.account.shown_label
                )
            )
        return 0
    answer = backend.check_version(version)
    if args.json:
        emit_json({"version": version, "offered": True, **_fields(answer)}, ctx.out)
    elif answer.up_to_date:
        ctx.print(_("{version} is the newest version.").format(version=version))
    else:
        ctx.print(
            _("A newer version than {version} is available: {url}").format(
                version=version, url=answer.url
            )
        )
    return 0


def _fields(answer: Any) -> dict[str, Any]:
    return {"up_to_date": answer.up_to_date, "url": answer.url}
