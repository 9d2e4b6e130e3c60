"""Keyring calls in a short-lived helper process, so the widget never loads keyring's package.

keyring's package (with jaraco.context, jaraco.functools, more_itertools, configparser
and its backends) adds ~4 MiB to a process and keeps them for the rest of its run; the
widget needs the keyring for a moment at start-up and when the person signs in. So,
as git's credential helpers do, each call runs in a process of its own: this program
again (the same interpreter, or the same frozen executable), with the same environment
and so the same keyring, which reads one request and answers it.

The Secret Service is read in the widget itself first (``secret_service.py``, jeepney,
which the widget loads anyway); this is for what that cannot answer: Windows, macOS, a
keyring chosen in ``keyringrc.cfg`` or ``PYTHON_KEYRING_BACKEND``, a locked collection.

The exchange, over the helper's stdin and stdout: it writes ``ready`` as soon as it runs,
then reads one JSON request (``op``: get, set, delete or available; ``service``,
``account``, ``secret``) and writes one JSON answer: ``{"value": ...}``, or
``{"refused": kind, "value": ...}`` (:class:`~.credentials.KeyringRefused`), which the
widget puts in a sentence in its own language. Where no helper answers — it cannot be
started, it does not say ``ready`` in time, its answer is not one — the call is made in
the widget's process, as it was before: never a lost password, at worst the memory.
Once ready, a call has no time limit, as in-process: keyring may be asking the person
to unlock it.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["HELPER_ARGUMENT", "ask_helper", "serve"]

#: what a frozen executable is started with to serve as the helper (tracktray_main.py)
HELPER_ARGUMENT = "--keyring-helper"
#: a helper that has not started by then (a very slow disk, a sandbox refusing it) is
#: given up, and the widget asks keyring itself
READY_TIMEOUT_S = 30.0
_READY = b"ready\n"


def helper_command() -> list[str]:
    """This program again, as the helper: the frozen executable with
    :data:`HELPER_ARGUMENT`, else this interpreter running this module (``-P``: the
    working folder is not searched for modules)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, HELPER_ARGUMENT]
    return [sys.executable, "-P", "-m", __name__]


def ask_helper(
    request: dict[str, str], *, ready_timeout_s: float = READY_TIMEOUT_S
) -> dict[str, Any] | None:
    """The helper's answer to ``request``, or None where no helper answered."""
    import contextlib
    import json
    import subprocess
    import threading

    try:
        child = subprocess.Popen(
            helper_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            # no console window flashing up on Windows
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError:
        return None
    assert child.stdin is not None and child.stdout is not None
    started = threading.Event()

    def give_up_unless_started() -> None:
        if not started.wait(ready_timeout_s):
            child.kill()  # its stdout ends: the readline below returns

    threading.Thread(target=give_up_unless_started, daemon=True).start()
    try:
        if child.stdout.readline() != _READY:
            return None
        started.set()
        child.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        child.stdin.close()
        line = child.stdout.readline()
        answer = json.loads(line) if line.endswith(b"\n") else None
    except (OSError, ValueError):  # a broken pipe, an answer that is not JSON
        return None
    finally:
        started.set()
        for stream in (child.stdin, child.stdout):
            with contextlib.suppress(OSError):  # a helper gone before reading its request
                stream.close()
        if child.poll() is None:
            child.kill()
        child.wait()
    return answer if isinstance(answer, dict) else None


def serve() -> int:
    """The helper: answer one request from stdin on stdout (raw descriptors, which a
    windowed executable on Windows has even where ``sys.stdout`` is None)."""
    import json

    from tracktray.store.credentials import KeyringRefused, available_here, call_here

    os.write(1, _READY)
    request = json.loads(_read_line(0))
    op = str(request.get("op"))
    try:
        if op == "available":
            answer: dict[str, Any] = {"value": available_here()}
        else:
            value = call_here(
                op, str(request["service"]), str(request["account"]), request.get("secret")
            )
            answer = {"value": value}
    except KeyringRefused as refusal:
        answer = {"refused": refusal.kind, "value": refusal.value}
    except Exception as exc:  # a backend's own failure: the widget says it in a sentence
        answer = {"refused": "failed", "value": str(exc) or type(exc).__name__}
    os.write(1, json.dumps(answer).encode("utf-8") + b"\n")
    return 0


def _read_line(fd: int) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data


if __name__ == "__main__":
    os._exit(serve())  # answered: nothing to flush, no interpreter teardown to wait for
