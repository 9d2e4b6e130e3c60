"""``tracktray-server`` stops promptly on SIGTERM while a widget holds a keep-alive
connection (it took ~30 s: uvicorn waited for the client's TLS close_notify)."""

from __future__ import annotations

import signal
import ssl
import time
from pathlib import Path

import httpx

from tests.support.server_process import ServerProcess


def test_sigterm_with_a_keep_alive_client_connected_exits_promptly(tmp_path: Path) -> None:
    server = ServerProcess(f"sqlite:///{tmp_path / 'server.sqlite'}", tmp_path / "tls")
    try:
        context = ssl.create_default_context(cafile=str(server.ca_file))
        with httpx.Client(verify=context) as widget:
            assert widget.get(server.origin + "/").status_code == 200  # connection kept open
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            server.process.wait(timeout=20)
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert "Traceback" not in "".join(server.output)
