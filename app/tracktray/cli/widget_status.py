"""``tracktray status`` asks the running widget, which holds the account open already.

For a server account the CLI would otherwise import httpx, read the keyring and make a
TLS handshake for one request. When a widget runs for this user, it polls its open
connection and answers one JSON line over its single-instance socket (the stdlib
``socket`` here: the CLI never loads Qt). The answer names its account, and is used
only when that is the account this command acts on; anything else — no widget, another
account, local mode (read directly, as cheaply), no answer in time — returns None and
the command asks the server itself, as before.

The widget answers with the status it draws while that stands (confirmed by its server
within one poll interval), so an action typed here since — ``tracktray start`` a moment
ago, which the widget learns of only at its next poll — makes its answer unusable: the
journal says when this account's last action was typed.
"""

from __future__ import annotations

import json
import os
import sys

from tracktray.accounts.kinds import kind_of
from tracktray.cli.context import ENV_ACCOUNT_ID, Context
from tracktray.domain.statuswire import status_from_json
from tracktray.store.instance import instance_address

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Final

    from tracktray.domain import Status

__all__ = ["ask_widget"]

_QUESTION: Final = b"status\n"
#: the widget answers within 8 s (then says "ask yourself"); a little more here
_WAIT_S: Final = 10.0
_MAX_ANSWER: Final = 1 << 20


def ask_widget(ctx: Context) -> Status | None:
    """The running widget's fresh status of ``ctx.account``, or None."""
    account = ctx.account
    if sys.platform == "win32" or account.id == ENV_ACCOUNT_ID or not kind_of(account).signs_in:
        return None
    path = instance_address().socket_file
    if not os.path.exists(path):
        return None  # no widget is running: no connection attempt at all
    try:
        answer = json.loads(_ask(path))
    except (OSError, ValueError):
        return None
    if not isinstance(answer, dict):
        return None
    said = answer.get("account")
    if said != {"id": account.id, "url": account.url, "username": account.username}:
        return None
    try:
        status = status_from_json(answer["status"])
    except (KeyError, TypeError, ValueError):
        return None
    return None if _acted_since(ctx, status) else status


def _acted_since(ctx: Context, status: Status) -> bool:
    """Whether an action of the account was typed or clicked after ``status`` was fetched."""
    from tracktray.store.journal_glance import last_click

    # read plainly (sqlite3 alone); what it cannot read, the Journal reads and says why
    last = last_click(ctx.data_folder, ctx.account.id)
    if isinstance(last, str):  # UNSURE
        from tracktray.store.journal import Journal

        last = Journal(ctx.data_dir).last_click(ctx.account.id)
    return last is not None and last >= status.fetched_at


def _ask(path: str) -> bytes:
    # The C module's socket type: the ``socket`` module turns each of its constants into
    # an IntEnum at import, ~3 ms of an answer that takes ~30 in all.
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(_WAIT_S)
        sock.connect(path)
        sock.sendall(_QUESTION)
        data = b""
        while not data.endswith(b"\n") and len(data) < _MAX_ANSWER:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    return data
