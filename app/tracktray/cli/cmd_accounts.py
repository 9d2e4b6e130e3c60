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

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("accounts", parents=[common], help="list, add, remove accounts")
    p.set_defaults(handler=list_accounts)
    sub = p.add_subparsers(dest="accounts_command", metavar="ACTION")
    q = sub.add_parser("list", parents=[common], help="the accounts (* = active)")
    q.set_defaults(handler=list_accounts)
    q = sub.add_parser("add", parents=[common], help="add a server account and activate it")
    q.add_argument(
        "--kind", choices=[spec.kind for spec in SIGN_IN_KINDS], default=SIGN_IN_KINDS[0].kind
    )
    q.add_argument("--url", required=True, help="server address, with or without /api/")
    q.add_argument("--user", required=True, help="user name")
    q.add_argument("--ca", help="PEM file of the CA that signed the server's certificate")
    q.add_argument("--name", help="a label for the account (default user@host)")
    q.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    q.add_argument("--no-activate", action="store_true", help="do not make it the active one")
    q.set_defaults(handler=add_account)
    q = sub.add_parser("remove", parents=[common], help="remove an account and its password")
    q.add_argument("account", help="account id (see `tracktray accounts`)")
    q.set_defaults(handler=remove_account)
    q = sub.add_parser("default", parents=[common], help="make an account the active one")
    q.add_argument("account", help="account id (see `tracktray accounts`)")
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
        where = f"  {a.username} at {a.url}" if a.url else ""
        ctx.print(f"{mark} {a.id}  {a.label}  ({a.kind}){where}")
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
        raise UsageError(f"The CA file {args.ca} does not exist.")
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
            "No keyring is available on this system, so the password cannot be kept safely "
            "and the account was not added. Install and unlock a keyring (for example GNOME "
            "Keyring or KWallet), or use TRACKTRAY_URL, TRACKTRAY_USER and TRACKTRAY_PASSWORD."
        ) from None
    ctx.update_settings(lambda s: s.with_account(account, activate=not args.no_activate))
    active = "" if args.no_activate else " and made it the active one"
    ctx.print(f"Added the account “{account.label}” ({account.id}){active}.")
    return 0


def remove_account(args: argparse.Namespace, ctx: Context) -> int:
    from tracktray.store.credentials import NoKeyringError

    settings = ctx.settings
    account = settings.account(args.account)
    if account is None:
        raise UsageError(f"There is no account “{args.account}”.")
    if not kind_of(account).signs_in:
        raise UsageError("The local account keeps the time tracked on this computer; it stays.")
    with contextlib.suppress(NoKeyringError):  # no keyring: no password was ever stored
        ctx.credentials().delete(account.id)
    after = ctx.update_settings(lambda s: s.without_account(account.id))
    active = after.active_account
    now = f" The active account is now “{active.label}”." if active else ""
    ctx.print(f"Removed the account “{account.label}”.{now}")
    return 0


def set_default(args: argparse.Namespace, ctx: Context) -> int:
    import dataclasses

    settings = ctx.settings
    account = settings.account(args.account)
    if account is None:
        known = ", ".join(a.id for a in settings.accounts)
        raise UsageError(f"There is no account “{args.account}” (known: {known}).")
    ctx.update_settings(lambda s: dataclasses.replace(s, active_account_id=account.id))
    ctx.print(f"“{account.label}” is now the active account.")
    return 0


def _read_password(args: argparse.Namespace, ctx: Context) -> str:
    if args.password_stdin:
        password = ctx.stdin.readline().rstrip("\r\n")
    else:
        if not ctx.stdin.isatty():
            raise UsageError(
                "No terminal to ask the password on; pass it on standard input "
                "with --password-stdin."
            )
        try:
            password = getpass.getpass(f"Password for {args.user}: ")
        except EOFError:
            raise UsageError("No password was given.") from None
    if not password:
        raise UsageError("The password is empty.")
    return password
