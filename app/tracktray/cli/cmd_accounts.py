"""Accounts: list, add (checked against the server, password to the keyring), remove, default."""

from __future__ import annotations

import argparse
import contextlib
import getpass
from typing import Any

from tracktray.accounts.kinds import SIGN_IN_KINDS, kind_of
from tracktray.cli.context import Context
from tracktray.cli.errors import UsageError
from tracktray.cli.render import emit_json
from tracktray.i18n import _

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("accounts", parents=[common], help=_("list, add, remove accounts"))
    p.set_defaults(handler=list_accounts)
    sub = p.add_subparsers(dest="accounts_command", metavar="ACTION")
    q = sub.add_parser("list", parents=[common], help=_("the accounts (* = active)"))
    q.set_defaults(handler=list_accounts)
    q = sub.add_parser("add", parents=[common], help=_("add a server account and activate it"))
    q.add_argument(
        "--kind", choices=[spec.kind for spec in SIGN_IN_KINDS], default=SIGN_IN_KINDS[0].kind
    )
    q.add_argument("--url", required=True, help=_("server address, with or without /api/"))
    q.add_argument("--user", required=True, help=_("user name"))
    q.add_argument("--ca", help=_("PEM file of the CA that signed the server's certificate"))
    q.add_argument("--name", help=_("a label for the account (default user@host)"))
    q.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    q.add_argument("--no-activate", action="store_true", help=_("do not make it the active one"))
    q.set_defaults(handler=add_account)
    q = sub.add_parser("remove", parents=[common], help=_("remove an account and its password"))
    q.add_argument("account", help=_("account id (see `tracktray accounts`)"))
    q.set_defaults(handler=remove_account)
    q = sub.add_parser("default", parents=[common], help=_("make an account the active one"))
    q.add_argument("account", help=_("account id (see `tracktray accounts`)"))
    q.set_defaults(handler=set_default)


def list_accounts(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    active = settings.active_account
    if args.json:
        emit_json(
            [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "label": a.label,
                    "url": a.url,
                    "username": a.username,
                    "ca_file": a.ca_file,
                    "active": a == active,
                }
                for a in settings.accounts
            ],
            ctx.out,
        )
        return 0
    for a in settings.accounts:
        mark = "*" if a == active else " "
        where = "  " + _("{user} at {url}").format(user=a.username, url=a.url) if a.url else ""
        ctx.print(f"{mark} {a.id}  {a.shown_label}  ({a.kind}){where}")
    return 0


def add_account(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from tracktray.accounts.factory import open_backend
    from tracktray.accounts.kinds import KINDS, new_account
    from tracktray.cli.cmd_timetrack import read_key_secret
    from tracktray.contracts.errors import ValidationFailed
    from tracktray.store.credentials import NoKeyringError

    ca_file = str(Path(args.ca).expanduser().resolve()) if args.ca else None
    if ca_file and not Path(ca_file).is_file():
        raise UsageError(_("The CA file {ca} does not exist.").format(ca=args.ca))
    settings = ctx.settings
    try:
        account = new_account(
            settings, args.kind, args.url, args.user, ca_file=ca_file, label=args.name
        )
    except ValidationFailed as exc:
        raise UsageError(str(exc)) from None
    if KINDS[account.kind].credential == "key_secret":
        password = read_key_secret(args, ctx)
    else:
        password = _read_password(args, ctx)
    backend = open_backend(account, password, data_dir=ctx.data_dir)
    try:
        backend.status()  # proves the address, certificate, user and password
    finally:
        backend.close()
    try:
        ctx.credentials().set(account.id, password)
    except NoKeyringError:
        raise NoKeyringError(
            _(
                "No keyring is available on this system, so the password cannot be kept safely "
                "and the account was not added. Install and unlock a keyring (for example GNOME "
                "Keyring or KWallet), or use TRACKTRAY_URL, TRACKTRAY_USER and TRACKTRAY_PASSWORD."
            )
        ) from None
    ctx.update_settings(lambda s: s.with_account(account, activate=not args.no_activate))
    sentence = (
        _("Added the account “{label}” ({id}).")
        if args.no_activate
        else _("Added the account “{label}” ({id}) and made it the active one.")
    )
    ctx.print(sentence.format(label=account.shown_label, id=account.id))
    return 0


def remove_account(args: argparse.Namespace, ctx: Context) -> int:
    from tracktray.store.credentials import NoKeyringError

    settings = ctx.settings
    account = settings.account(args.account)
    if account is None:
        raise UsageError(_("There is no account “{account}”.").format(account=args.account))
    if not kind_of(account).signs_in:
        raise UsageError(_("The local account keeps the time tracked on this computer; it stays."))
    with contextlib.suppress(NoKeyringError):  # no keyring: no password was ever stored
        ctx.credentials().delete(account.id)
    after = ctx.update_settings(lambda s: s.without_account(account.id))
    active = after.active_account
    now = (
        _(" The active account is now “{label}”.").format(label=active.shown_label)
        if active
        else ""
    )
    ctx.print(_("Removed the account “{label}”.{now}").format(label=account.shown_label, now=now))
    return 0


def set_default(args: argparse.Namespace, ctx: Context) -> int:
    import dataclasses

    settings = ctx.settings
    account = settings.account(args.account)
    if account is None:
        known = ", ".join(a.id for a in settings.accounts)
        raise UsageError(
            _("There is no account “{account}” (known: {known}).").format(
                account=args.account, known=known
            )
        )
    ctx.update_settings(lambda s: dataclasses.replace(s, active_account_id=account.id))
    ctx.print(_("“{label}” is now the active account.").format(label=account.shown_label))
    return 0


def _read_password(args: argparse.Namespace, ctx: Context) -> str:
    if args.password_stdin:
        password = ctx.stdin.readline().rstrip("\r\n")
    else:
        if not ctx.stdin.isatty():
            raise UsageError(
                _(
                    "No terminal to ask the password on; pass it on standard input "
                    "with --password-stdin."
                )
            )
        try:
            password = getpass.getpass(_("Password for {user}: ").format(user=args.user))
        except EOFError:
            raise UsageError(_("No password was given.")) from None
    if not password:
        raise UsageError(_("The password is empty."))
    return password
