"""A short load run against ``tracktray-server serve`` on loopback over HTTPS.

One keep-alive client sends requests one after another for a few seconds each (what
one widget does): ``status`` alone, then ``start``+``stop`` pairs, then ``status`` from
a bare Starlette endpoint under the same uvicorn set-up (``bench/bare_server.py``), the
ceiling of this machine, client and TLS. The client is :class:`bench.leanclient.LeanClient`
(the widget's request bytes, small cost of its own), or httpx (the widget's client before) with
``--client httpx``. The server runs in its own process (as in production), over a fresh
SQLite file in a temporary directory. Prints requests/s, p50/p99 latencies and the
server's CPU time per request (which, unlike latency, other work on the machine barely
changes). The server's process id goes to stderr first, for a profiler
(``py-spy record -p PID``).

    .venv/bin/python bench/engine_load.py [--seconds 5] [--client lean|httpx]
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

if __package__ in (None, ""):  # started as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bare_server import BareServer
from bench.leanclient import LeanClient
from bench.sandbox import Sandbox

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
AUTH = ("bench", "bench-password")


def _server_command() -> list[str]:
    script = Path(sys.executable).with_name("tracktray-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracktray.server.cli"]


def _run(seconds: float, action: Callable[[], object]) -> list[float]:
    """Latencies (s) of ``action`` repeated for ``seconds``, after a short warm-up."""
    for _ in range(20):
        action()
    latencies: list[float] = []
    clock = time.perf_counter
    end = clock() + seconds
    while (began := clock()) < end:
        action()
        latencies.append(clock() - began)
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
    pid: int, seconds: float, action: Callable[[], object]
) -> tuple[list[float], float | None]:
    before = _cpu_seconds(pid)
    latencies = _run(seconds, action)
    after = _cpu_seconds(pid)
    return latencies, (after - before) if before is not None and after is not None else None


class _HttpxClient:
    """The widget's own client, for comparison (``--client httpx``)."""

    def __init__(self, api_url: str, ca_file: Path, auth: tuple[str, str]) -> None:
        import httpx

        context = ssl.create_default_context(cafile=str(ca_file))
        self._client = httpx.Client(base_url=api_url, verify=context, auth=auth)

    def post(self, function: str) -> dict[str, object]:
        answer = self._client.post(function)
        answer.raise_for_status()
        body = dict(answer.json())
        if str(body.get("result")) != "1":
            raise RuntimeError(f"{function} refused: {body.get('error')}")
        return body

    def close(self) -> None:
        self._client.close()


def client_for(
    kind: str, api_url: str, ca_file: Path, auth: tuple[str, str]
) -> LeanClient | _HttpxClient:
    return (
        LeanClient(api_url, ca_file, auth)
        if kind == "lean"
        else _HttpxClient(api_url, ca_file, auth)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--client", choices=("lean", "httpx"), default="lean")
    parser.add_argument("--only", choices=("status", "pairs", "bare"), action="append")
    args = parser.parse_args()
    only = set(args.only or ("status", "pairs", "bare"))
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
            print(f"server pid {server.pid}", file=sys.stderr, flush=True)
            client = client_for(args.client, api_url, root / "tls" / "ca.pem", AUTH)
            try:

                def status() -> None:
                    client.post("status.json")

                def start_stop() -> None:
                    client.post("start.json")
                    client.post("stop.json")

                if "status" in only:
                    print(_report("status", *_measured(server.pid, args.seconds, status)))
                if "pairs" in only:
                    pairs = _measured(server.pid, args.seconds, start_stop)
                    print(_report("start+stop pair", *pairs))
            finally:
                client.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
            if server.stdout is not None:
                server.stdout.close()
    if "bare" in only:
        with Sandbox("bare") as sandbox:
            bare = BareServer(sandbox)
            try:
                baseline = client_for(args.client, bare.api_url, bare.ca_file, AUTH)
                try:
                    print(f"bare server pid {bare.pid}", file=sys.stderr, flush=True)

                    def bare_status() -> None:
                        baseline.post("status.json")

                    measured = _measured(bare.pid, args.seconds, bare_status)
                    print(_report("bare Starlette", *measured))
                finally:
                    baseline.close()
            finally:
                bare.close()
    print(f"client: {args.client}; load average during the run: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
