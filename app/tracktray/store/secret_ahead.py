"""A password read by a child process while the command goes on.

``tracktray status`` on a server account without a running widget spends ~16 ms
importing keyring's package (~8 ms reading the Secret Service over D-Bus), and ~12 ms
importing its HTTP stack and making the TLS context; neither needs the other. So the
command's process forks: the child reads the password as :meth:`CredentialStore.get`
would, writes it to a pipe and ends; the parent goes on with its imports, on the other
core, and reads the pipe when it is about to send the request. (A thread would not do:
both halves are Python imports, which take turns under the GIL, and measured slower.)

Only on Linux, and only in the command's own process with no other thread (the caller
says so: ``cli.main(..., owns_the_process=True)``): a fork copies the calling thread
alone, and macOS' system frameworks are not known to be safe in a forked child here.
Everywhere else, and wherever the child cannot say — it could not be started, it ended
without an answer, its answer is not one — the password is read in this process, as
before. What keyring refuses comes back as the very sentence ``get`` raises.
"""

from __future__ import annotations

import os
import sys

from tracktray.store.credentials import CredentialStore, CredentialStoreError, NoKeyringError

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["may_fork_here", "read_ahead"]


def may_fork_here() -> bool:
    """Whether a child may read here: Linux, and no other Python thread (the caller
    vouches for threads Python does not know of, such as Qt's)."""
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def read_ahead(
    store: CredentialStore, account_id: str, *, in_a_child: bool = True
) -> Callable[[], str | None]:
    """What ``store.get(account_id)`` gives, read by a child process from now on where
    ``in_a_child`` (the caller owns its process) and :func:`may_fork_here`, else in this
    process when asked; the returned function gives the secret (or raises what ``get``
    raises), once or as often as it is called."""
    if not (in_a_child and store.remembers_across_sessions and may_fork_here()):
        return _here(store, account_id)
    try:
        reading, writing = os.pipe()
    except OSError:
        return _here(store, account_id)
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return _here(store, account_id)
    if child == 0:  # pragma: no cover - the child ends in _answer_and_end (tested by its answer)
        _answer_and_end(store, account_id, reading, writing)
    os.close(writing)
    answered: list[str | None] = []

    def secret() -> str | None:
        if not answered:
            answered.append(_collect(store, account_id, reading, child))
        return answered[0]

    return secret


def _here(store: CredentialStore, account_id: str) -> Callable[[], str | None]:
    return lambda: store.get(account_id)


def _answer_and_end(store: CredentialStore, account_id: str, reading: int, writing: int) -> None:
    """The child: read, write one JSON answer, end without the parent's teardown (its
    buffered output, its exit handlers are the parent's to run)."""
    import json

    code = 1
    try:
        os.close(reading)
        try:
            answer: dict[str, str | None] = {"value": store.get(account_id)}
        except NoKeyringError as refusal:
            answer = {"refused": "no-keyring", "sentence": str(refusal)}
        except CredentialStoreError as refusal:
            answer = {"refused": "failed", "sentence": str(refusal)}
        data = json.dumps(answer).encode("utf-8")
        while data:
            data = data[os.write(writing, data) :]
        code = 0
    finally:
        os._exit(code)  # whatever happened: nothing written means the parent reads itself


def _collect(store: CredentialStore, account_id: str, reading: int, child: int) -> str | None:
    """The child's answer, or the password read here where it gave none."""
    import contextlib
    import json

    data = b""
    try:
        while chunk := os.read(reading, 65536):
            data += chunk
    except OSError:
        data = b""
    finally:
        os.close(reading)
        with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
            os.waitpid(child, 0)
    try:
        answer = json.loads(data)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return store.get(account_id)  # the child could not say: as before, here
    refused = answer.get("refused")
    if refused == "no-keyring":
        raise NoKeyringError(str(answer.get("sentence", "")) or None)
    if refused is not None:
        raise CredentialStoreError(str(answer.get("sentence", "")))
    value = answer.get("value")
    return value if isinstance(value, str) else None
