"""The baseline for the engine's load figures: a bare Starlette endpoint, served as ours is.

One route, ``POST /api/status.json``, answering a fixed ``status``-shaped JSON object
(encoded on each request, as any endpoint does) from a Starlette app with no middleware,
under the server's own uvicorn set-up (``tracktray.server.running``: TLS, HTTP parser,
event loop, the guarded protocol). Measured with the same client in the same run, it is
what the HTTP stack, TLS and the client cost without the engine: the ceiling a
``status`` figure can be read against.

    python -m bench.bare_server TLS_DIR     # prints "Listening on https://…/api/"
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.sandbox import Sandbox, stop_process

#: the size and shape of the engine's answer for a person with a block running
ANSWER = {
    "result": 1,
    "daytotal": 5400,
    "last_block": {
        "started_at": "1764428400",
        "total": "1800",
        "tracker": {"Id": 2, "Name": "Bench → Work", "Abbreviation": "", "Trackable": 1},
    },
    "default_tracker": {"Id": 2, "Name": "Bench → Work", "Abbreviation": "", "Trackable": 1},
}
_URL = re.compile(r"https://\S+/api/")


async def _status(request: Request) -> Response:
    body = json.dumps(ANSWER, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, media_type="application/json")


def main(argv: list[str]) -> int:
    from tracktray.server.running import Tls, serve_forever
    from tracktray.server.tls import self_signed

    files = self_signed(Path(argv[0]))
    app = Starlette(routes=[Route("/api/status.json", _status, methods=["POST"])])

    def ready(origin: str) -> None:
        print(f"Listening on {origin}/api/", flush=True)

    serve_forever(app, "127.0.0.1", 0, Tls(files.cert, files.key), ready)
    return 0


class BareServer:
    """The baseline server in its own process; :attr:`api_url` and :attr:`ca_file`."""

    def __init__(self, sandbox: Sandbox) -> None:
        tls_dir = sandbox.path("bare-tls")
        self.ca_file = tls_dir / "ca.pem"
        self._log: IO[str] = open(sandbox.path("bare.log"), "w+", encoding="utf-8")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.bare_server", str(tls_dir)],
            env=sandbox.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.api_url = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self._proc.poll() is None:
            found = _URL.search(sandbox.path("bare.log").read_text(encoding="utf-8"))
            if found:
                self.api_url = found.group(0)
                return
            time.sleep(0.05)
        self.close()
        raise RuntimeError("the bare Starlette server did not start")

    @property
    def pid(self) -> int:
        return self._proc.pid

    def close(self) -> None:
        stop_process(self._proc)
        self._log.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
