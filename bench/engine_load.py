"""A short load run against ``tracktray-server serve`` on loopback over HTTPS.

One keep-alive httpx client sends requests one after another for a few seconds each
(what one widget does): ``status`` alone, then ``start``+``stop`` pairs. The server runs
in its own process (as in production), over a fresh SQLite file in a temporary
directory. Prints requests/s, p50/p99 latencies and the server's CPU time per request
(which, unlike latency, other work on the machine barely changes).

    .venv/bin/python bench/engine_load.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ORG = """
[[trackers]]
path = "Bench/Work"

[[users]]
username = "bench"
password = "bench-password"
timezone = "Europe/Brussels"
default_tracker = "Bench/Work"

[[roles]]
user = "bench"
tracker = "Bench"
"""


def _server_command() -> list[str]:
    script = Path(sys.executable).with_name("tracktray-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracktray.server.cli"]


def _run(seconds: float, action: Callable[[], None]) -> list[float]:
    """Latencies (s) of ``action`` repeated for ``seconds``, after a short warm-up."""
    for _ in range(20):
        action()
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        began = time.perf_counter()
        action()
        latencies.append(time.perf_counter() - began)
    return latencies


def _cpu_seconds(pid: int) -> float | None:
    """User+system CPU time of a process (Linux): a figure other load barely disturbs."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _report(name: str, latencies: list[float], server_cpu: float | None) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / sum(latencies)
    cpu = f"   server CPU {server_cpu / len(latencies) * 1000:5.2f} ms each" if server_cpu else ""
    return (
        f"{name:<16} {rate:8.0f}/s   p50 {cuts[49] * 1000:6.2f} ms   "
        f"p99 {cuts[98] * 1000:6.2f} ms   (n={len(latencies)}){cpu}"
    )


def _measured(
    pid: int, seconds: float, action: Callable[[], None]
) -> tuple[list[float], float | None]:
    before = _cpu_seconds(pid)
    latencies = _run(seconds, action)
    after = _cpu_seconds(pid)
    return latencies, (after - before) if before is not None and after is not None else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracktray-bench-") as tmp:
        root = Path(tmp)
        db = f"sqlite:///{root / 'bench.sqlite'}"
        (root / "org.toml").write_text(ORG, encoding="utf-8")
        subprocess.run(
            [*_server_command(), "load", "--db", db, str(root / "org.toml")],
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [
                *_server_command(),
                "serve",
                "--db",
                db,
                "--port",
                "0",
                "--self-signed",
                str(root / "tls"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            api_url = ""
            for line in server.stdout:
                if line.startswith("Listening on "):
                    api_url = line.split()[-1]
                    break
            if not api_url:
                print("the server did not start", file=sys.stderr)
                return 1
            context = ssl.create_default_context(cafile=str(root / "tls" / "ca.pem"))
            with httpx.Client(
                base_url=api_url, verify=context, auth=("bench", "bench-password")
            ) as client:

                def status() -> None:
                    client.post("status.json").raise_for_status()

                def start_stop() -> None:
                    assert client.post("start.json").json()["result"] == 1
                    assert client.post("stop.json").json()["result"] == 1

                print(_report("status", *_measured(server.pid, args.seconds, status)))
                print(_report("start+stop pair", *_measured(server.pid, args.seconds, start_stop)))
                print(f"load average during the run: {os.getloadavg()[0]:.1f}")
        finally:
            server.terminate()
            server.wait(timeout=20)
            if server.stdout is not None:
                server.stdout.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
