"""A bounded abuse run against ``tracktray-server`` on loopback, next to the plain path.

    python bench/abuse.py [--baseline SRC_APP_DIR] [--seed N] [--json FILE]

Starts the server as a child process (SQLite in a temporary directory, a self-signed
certificate, 127.0.0.1 only) and measures, each next to legitimate requests:

- **throttling**: 200 wrong passwords for one account at concurrency 8 — how many were
  refused (429) before any hash; a signed-in widget's requests still answered;
- **flood memory**: 400 wrong passwords for different accounts at concurrency 40 with
  throttling out of the way — the server's RSS before and after;
- **slowloris**: N connections that complete TLS and half a request head, then wait —
  how many the server still holds after the head timeout (+2 s), and its RSS;
- **fuzz**: a fixed-seed list of hostile requests to both faces — the 5xx count.

``--baseline DIR`` runs the same against another checkout's ``app`` directory (e.g. an
export of an older commit), without the limit flags it does not know, for a before/after
table. Everything is bounded in count and time; nothing leaves the loopback interface.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ORG = """
[[trackers]]
path = "Acme/Website"

[[users]]
username = "alice"
password = "alice-password-1"
default_tracker = "Acme/Website"

[[roles]]
user = "alice"
tracker = "Acme"

[[api_keys]]
key = "bench-key"
secret = "bench-secret-123"
"""
USER = ("alice", "alice-password-1")
KEY_HEADERS = {"X-TimeTrack-Api-Key": "bench-key", "X-TimeTrack-Api-Secret": "bench-secret-123"}
HEAD_TIMEOUT_S = 10.0  # the server's default; the slowloris waits this + 2 s


@dataclass
class Server:
    process: subprocess.Popen[str]
    origin: str
    ca: Path
    lines: list[str] = field(default_factory=list)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))


@contextmanager
def serving(workdir: Path, app_dir: Path | None, flags: list[str]) -> Iterator[Server]:
    env = dict(os.environ)
    if app_dir is not None:
        env["PYTHONPATH"] = str(app_dir)
    db = f"sqlite:///{workdir / 'bench.sqlite'}"
    org = workdir / "org.toml"
    org.write_text(ORG, encoding="utf-8")
    base = [sys.executable, "-m", "tracktray.server"]
    subprocess.run([*base, "load", "--db", db, str(org)], check=True, env=env, capture_output=True)
    command = [*base, "serve", "--db", db, "--port", "0", "--self-signed", str(workdir / "tls")]
    process = subprocess.Popen(
        command + flags, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in process.stdout or []:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    origin = ""
    while not origin:
        line = lines.get(timeout=60)
        if line.startswith("Listening on "):
            origin = line.split()[-1].removesuffix("/api/")
    try:
        yield Server(process, origin, workdir / "tls" / "ca.pem")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _statuses(
    server: Server, count: int, workers: int, request: Callable[[httpx.Client, int], httpx.Response]
) -> list[int]:
    local = threading.local()
    clients: list[httpx.Client] = []

    def one(i: int) -> int:
        if not hasattr(local, "client"):
            local.client = httpx.Client(verify=server.context(), timeout=60)
            clients.append(local.client)
        try:
            return request(local.client, i).status_code
        except httpx.TransportError:
            return 0  # connection refused or dropped by the server

    try:
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(one, range(count)))
    finally:
        for client in clients:
            client.close()


def _plain_path(server: Server, count: int = 40) -> dict[str, Any]:
    """A signed-in widget polling status: how many answered 200, median latency."""
    took: list[float] = []
    ok = 0
    with httpx.Client(verify=server.context(), auth=USER, timeout=60) as widget:
        for _ in range(count):
            started = time.perf_counter()
            ok += widget.post(f"{server.origin}/api/status.json").status_code == 200
            took.append((time.perf_counter() - started) * 1000)
    return {"plain_ok": f"{ok}/{count}", "plain_p50_ms": round(statistics.median(took), 1)}


def throttling(server: Server) -> dict[str, Any]:
    url = f"{server.origin}/api/status.json"
    _plain_path(server, 2)  # the widget signed in before the attack
    codes = _statuses(server, 200, 8, lambda c, i: c.post(url, auth=("alice", f"guess{i}")))
    return {
        "wrong_passwords": len(codes),
        "refused_429": codes.count(429),
        "answered_401": codes.count(401),
        **_plain_path(server),
    }


def flood_memory(server: Server) -> dict[str, Any]:
    url = f"{server.origin}/api/status.json"
    before = server.rss_mb()
    codes = _statuses(server, 400, 40, lambda c, i: c.post(url, auth=(f"user{i}", "wrong")))
    time.sleep(1)
    return {
        "wrong_passwords": len(codes),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(server.rss_mb(), 1),
        **_plain_path(server),
    }


def slowloris(server: Server, connections: int) -> dict[str, Any]:
    host, port = server.origin.removeprefix("https://").rsplit(":", 1)
    context = server.context()
    before = server.rss_mb()
    held: list[ssl.SSLSocket] = []
    for _ in range(connections):
        raw = socket.create_connection((host, int(port)), timeout=10)
        try:
            tls = context.wrap_socket(raw, server_hostname=host)
        except (OSError, ssl.SSLError):
            raw.close()
            continue
        try:
            tls.sendall(b"POST /api/status.json HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            tls.close()
            continue
        held.append(tls)
    rss_during = server.rss_mb()
    plain_during = _plain_path(server, 10)
    time.sleep(HEAD_TIMEOUT_S + 2)
    still_open = 0
    for tls in held:
        tls.settimeout(0.05)
        try:
            still_open += tls.recv(1) != b""
        except (TimeoutError, ssl.SSLWantReadError):
            still_open += 1
        except OSError:
            pass
        tls.close()
    return {
        "half_open_sent": connections,
        "accepted": len(held),
        "still_open_after_s": HEAD_TIMEOUT_S + 2,
        "still_open": still_open,
        "rss_before_mb": round(before, 1),
        "rss_holding_mb": round(rss_during, 1),
        **{k.replace("plain", "plain_during"): v for k, v in plain_during.items()},
    }


_NASTY = [
    "²",
    "٣",
    "1" * 20,
    "3000000000",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "2026-01-01T10:00:00+99:00",
    "9999-12-31 23:59",
    "a\x00b",
    "\x01",
    "-1",
    "",
    "1e308",
    "2026-11-20 09:00",
]
_TMP = ["status", "start", "switch", "stop", "add", "addfree", "report", "trackers", "daytotal"]
_TMP_PARAMS = ["tracker_id", "description", "start", "stop", "hours", "date", "profile_id", "at"]
_TT = [
    ("GET", "attendance_timer"),
    ("POST", "attendance_timer/start"),
    ("POST", "attendance_timer/stop"),
    ("GET", "attendances"),
    ("POST", "attendances"),
    ("GET", "attendances/{id}"),
    ("PUT", "attendances/{id}"),
    ("GET", "clients"),
    ("GET", "work_reports"),
]
_TT_FIELDS = ["username", "date", "from", "to", "notes", "breakMinutes", "page_number", "limit"]


def _value(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(_NASTY)
    if roll < 0.7:
        return "\ud800"
    if roll < 0.8:
        return rng.randint(-(10**22), 10**22)
    if roll < 0.9:
        return {"a": [1, {"b": 2}]}
    return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 12)))


def _fuzz_request(rng: random.Random, origin: str) -> tuple[str, str, dict[str, Any]]:
    """(method, url, httpx keyword arguments) of one hostile request."""
    if rng.random() < 0.02:  # deeply nested JSON, as in the issue
        deep = b'{"a":' * 1000 + b"1" + b"}" * 1000
        url = f"{origin}/api/status.json" if rng.random() < 0.5 else f"{origin}/api/v2/ext/clients"
        return "POST", url, {"content": deep, "headers": {"content-type": "application/json"}}
    if rng.random() < 0.5:
        data = {rng.choice(_TMP_PARAMS): _value(rng) for _ in range(rng.randint(0, 4))}
        url = f"{origin}/api/{rng.choice(_TMP)}.json"
        if rng.random() < 0.5:
            body = json.dumps(data).encode()
            return "POST", url, {"content": body, "headers": {"content-type": "application/json"}}
        form = {k: str(v).encode("utf-8", "surrogatepass") for k, v in data.items()}
        return "POST", url, {"data": {k: v.decode("utf-8", "replace") for k, v in form.items()}}
    method, path = rng.choice(_TT)
    raw_id = str(_value(rng)).encode("utf-8", "surrogatepass")
    path = path.replace("{id}", "".join(f"%{b:02X}" for b in raw_id) or "1")
    data = {rng.choice(_TT_FIELDS): _value(rng) for _ in range(rng.randint(0, 5))}
    if rng.random() < 0.7:
        data["username"] = "alice"
    url = f"{origin}/api/v2/ext/{path}"
    if method == "GET":
        params = {k: str(v) for k, v in data.items() if "\ud800" not in str(v)}
        return method, url, {"params": params, "headers": KEY_HEADERS}
    body = json.dumps(data).encode()
    headers = {**KEY_HEADERS, "content-type": "application/json"}
    return method, url, {"content": body, "headers": headers}


def fuzz(server: Server, seed: int, count: int) -> dict[str, Any]:
    rng = random.Random(seed)
    codes: dict[int, int] = {}
    with httpx.Client(verify=server.context(), auth=USER, timeout=60) as client:
        for _ in range(count):
            method, url, kwargs = _fuzz_request(rng, server.origin)
            try:
                status = client.request(method, url, **kwargs).status_code
            except httpx.TransportError:
                status = 0  # the server dropped the connection instead of answering
            codes[status] = codes.get(status, 0) + 1
    return {
        "requests": count,
        "seed": seed,
        "5xx": sum(n for status, n in codes.items() if status >= 500),
        "no_answer": codes.get(0, 0),
        "statuses": dict(sorted(codes.items())),
        **_plain_path(server),
    }


def run(app_dir: Path | None, limits_known: bool, seed: int, slow: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    unthrottled = ["--account-failures", "100000", "--address-failures", "100000"]
    scenarios: list[tuple[str, list[str], Callable[[Server], dict[str, Any]]]] = [
        ("throttling", [], throttling),
        ("flood_memory", unthrottled if limits_known else [], flood_memory),
        ("slowloris", [], lambda s: slowloris(s, slow)),
        ("fuzz", unthrottled if limits_known else [], lambda s: fuzz(s, seed, 1000)),
    ]
    for name, flags, scenario in scenarios:
        with (
            tempfile.TemporaryDirectory(prefix="tracktray-abuse-") as tmp,
            serving(Path(tmp), app_dir, flags) as server,
        ):
            print(f"· {name} …", file=sys.stderr, flush=True)
            out[name] = scenario(server)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="an older checkout's app/ directory")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--slowloris", type=int, default=500, help="half-open connections")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--this-from", type=Path, help="reuse this checkout's figures from an earlier --json"
    )
    args = parser.parse_args()
    if args.this_from is not None:
        results = {"this": json.loads(args.this_from.read_text(encoding="utf-8"))["this"]}
    else:
        results = {"this": run(None, True, args.seed, args.slowloris)}
    if args.baseline is not None:
        results["baseline"] = run(args.baseline.resolve(), False, args.seed, args.slowloris)
    for name in results["this"]:
        print(f"\n{name}")
        for key, value in results["this"][name].items():
            before = results.get("baseline", {}).get(name, {}).get(key, "")
            print(f"  {key:<22} {value!s:<28} {before!s}")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
