"""Fault injection: are clicks ever lost, doubled or mistimed when everything goes wrong?

``python bench/faults.py [--episodes 1000] [--seed N] [--minutes 20] [--keep DIR]``

One real ``tracktray-server`` on loopback behind :class:`bench.faultproxy.FaultProxy`.
Each episode makes a fresh user and a fresh tracktray home, then a client process clicks
1-4 times (start, stop, switch) through the CLI's own road (``cli/journaled.py``: the
journal, then the sender), while at random moments the proxy refuses connections, drops
answers after the server acted, cuts them halfway or delays them, the client's wall
clock jumps, the server is restarted, and the client is killed with SIGKILL. Then the
network comes back, one ``tracktray status``-like run sends what waits, and the server's
blocks are compared with the clicks that were made (the journal's entries, timed by the
real clock at the click):

- **lost**: a click whose block boundary is not on the server (or still waits);
- **duplicated**: a block on the server no click explains;
- **mistimed**: a boundary more than 2 s away from its click;
- **refused**: the server said no and the person was told (a stop with nothing running).

Clients are forked from a warm "zygote" process, so an episode costs a few hundred
milliseconds. Each episode has its own seed; failing ones are written to ``--keep`` and
``--replay SEED`` runs one again. Loopback only; bounded by ``--episodes`` and
``--minutes``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.faultproxy import FaultProxy  # noqa: E402
from bench.sandbox import bin_path  # noqa: E402

TOLERANCE_S = 2.0
EPISODE_S = 1.2
_URL = re.compile(r"https://127\.0\.0\.1:(\d+)")


# -- the server -------------------------------------------------------------------------


class Server:
    """``tracktray-server serve`` on a loopback port that stays the same across restarts."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.db_url = f"sqlite:///{home / 'server.sqlite'}"
        self.tls = home / "tls"
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.restarts = 0

    def start(self) -> None:
        log_path = self.home / f"server-{self.restarts}.log"
        with log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [bin_path("tracktray-server"), "serve", "--host", "127.0.0.1",
                 "--port", str(self.port), "--db", self.db_url, "--self-signed", str(self.tls)],
                stdout=log, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = _URL.search(log_path.read_text(errors="replace"))
            if found and (self.tls / "ca.pem").exists():
                self.port = int(found.group(1))
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"tracktray-server exited: {log_path.read_text()[-500:]}")
            time.sleep(0.02)
        raise RuntimeError("tracktray-server did not start within 60 s")

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            self.proc.wait(30)

    def restart(self) -> None:
        self.stop(kill=True)
        self.restarts += 1
        self.start()


# -- the clients ----------------------------------------------------------------------


def zygote() -> None:
    """Import everything once, then fork one client per line read (pid written back)."""
    import tracktray.accounts.outbox
    import tracktray.api.trackmypeople
    import tracktray.cli.journaled  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves
    for line in sys.stdin:
        spec = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                client(spec)
            except BaseException:
                # a broken client is a broken bench, never "no clicks made": say so
                import traceback

                Path(spec["config"]).parent.joinpath("client-crash.txt").write_text(
                    traceback.format_exc()
                )
            finally:
                os._exit(0)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


def client(spec: dict[str, Any]) -> None:
    """Click as the spec says (or, with ``recover``, send what waits), then exit."""
    from tracktray.cli import journaled
    from tracktray.cli.context import Context
    from tracktray.contracts.errors import TrackTrayError

    os.environ["TRACKTRAY_PASSWORD"] = spec["password"]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # the CLI's sentences ("kept and will be sent") are not figures
    config, data = Path(spec["config"]), Path(spec["data"])
    offset = [0.0]
    journaled._now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset[0])
    if spec.get("recover"):
        for _ in range(5):
            ctx = Context(config_dir=config, data_dir=data)
            try:
                report = journaled.send_waiting_of(ctx)
                if report.stopped_by is None:
                    return
            except TrackTrayError:
                pass
            finally:
                ctx.close()
            time.sleep(0.3)
        return
    progress = os.open(spec["progress"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for click in spec["clicks"]:
        time.sleep(click["gap"])
        offset[0] += click["jump"]
        os.write(progress, f"{time.time():.3f}\n".encode())
        ctx = Context(config_dir=config, data_dir=data)
        try:
            journaled.run_journaled(ctx, click["kind"], dict(click["args"]))
        except TrackTrayError:
            pass  # the CLI exits 1/3/4 with its sentence; the journal keeps the click
        finally:
            ctx.close()


class Zygote:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip

    def fork(self, spec: dict[str, Any]) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(spec) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(30)
        self.proc.stdout.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


# -- one episode -----------------------------------------------------------------------


@dataclass
class Tally:
    episodes: int = 0
    clicks: int = 0
    lost: int = 0
    duplicated: int = 0
    mistimed: int = 0
    refused: int = 0
    kills: int = 0
    #: client processes that failed on their own (a bug in the bench or the client)
    crashes: int = 0
    restarts: int = 0
    jumps: int = 0
    failing: list[int] = field(default_factory=list)
    #: the same counts for the episodes whose client clock jumped (reported apart: a
    #: replay sends the time the computer believed, so these measure the clock)
    jump_lost: int = 0
    jump_duplicated: int = 0
    jump_mistimed: int = 0


@dataclass
class Plan:
    seed: int
    clicks: list[dict[str, Any]]
    faults: list[tuple[float, str, float]]
    kill_at: float | None
    restart_at: float | None


def plan(seed: int, trackers: tuple[int, int]) -> Plan:
    rng = random.Random(seed)
    jumpy = rng.random() < 0.15
    clicks = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("start", "start", "stop", "stop", "switch"))
        tracker = rng.choice((None, *trackers)) if kind == "start" else rng.choice(trackers)
        args: dict[str, Any] = {}
        if kind in ("start", "switch"):
            args["tracker_id"] = tracker
        if kind in ("stop", "switch"):
            args["description"] = ""
        jump = 0.0
        if jumpy and rng.random() < 0.5:
            # forward up to 30 s, or back a little (NTP corrections are small)
            jump = rng.uniform(0, 30) if rng.random() < 0.7 else -rng.uniform(0, 1.5)
        clicks.append({"kind": kind, "args": args, "gap": rng.uniform(0, 0.15), "jump": jump})
    faults = sorted(
        (rng.uniform(0, EPISODE_S * 0.8), rng.choice(("pass", "down", "drop", "cut", "delay")),
         rng.uniform(0.05, 0.6))
        for _ in range(rng.randint(0, 3))
    )  # fmt: skip
    kill_at = rng.uniform(0, EPISODE_S) if rng.random() < 0.4 else None
    restart_at = rng.uniform(0, EPISODE_S * 0.5) if rng.random() < 0.03 else None
    return Plan(seed, clicks, faults, kill_at, restart_at)


class Bench:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.server = Server(home)
        self.server.start()
        self.proxy = FaultProxy(("127.0.0.1", self.server.port))
        self.zygote = Zygote()
        from tracktray.engine import Engine

        self.engine = Engine.open(self.server.db_url)
        self.trackers = (
            self.engine.ensure_tracker("Faults/One"),
            self.engine.ensure_tracker("Faults/Two"),
        )

    def close(self) -> None:
        self.zygote.close()
        self.proxy.close()
        self.server.stop()
        self.engine.close()

    def episode(self, seed: int, tally: Tally) -> dict[str, Any] | None:
        """Run one episode; the details when it failed, else None."""
        from tracktray.store.settings import AccountConfig, Settings, SettingsStore

        p = plan(seed, self.trackers)
        where = Path(tempfile.mkdtemp(prefix=f"ep-{seed}-", dir=self.home))
        password = secrets.token_urlsafe(10)
        username = f"u{seed}"
        profile = self.engine.create_user(username, password, timezone="UTC")
        for tracker in self.trackers:
            self.engine.grant_role(profile, tracker, can_track=True, can_see_reporting=True)
        self.engine.update_user(profile, default_tracker_id=self.trackers[0])
        account = AccountConfig(
            id="srv", kind="trackmypeople", label="Server", url=f"{self.proxy.origin}/api/",
            username=username, ca_file=str(self.server.tls / "ca.pem"),
        )  # fmt: skip
        SettingsStore(where / "config").save(Settings(accounts=(account,), active_account_id="srv"))
        spec = {
            "password": password, "config": str(where / "config"), "data": str(where / "data"),
            "progress": str(where / "progress"), "clicks": p.clicks,
        }  # fmt: skip
        killed = self._run(spec, p)
        tally.kills += killed
        tally.jumps += any(c["jump"] for c in p.clicks)
        # the network and the server come back; what waits is sent
        self.proxy.set("pass")
        if self.server.proc is None or self.server.proc.poll() is not None:
            self.server.restart()
            self.proxy.retarget(("127.0.0.1", self.server.port))
        pid = self.zygote.fork({**spec, "recover": True})
        if not wait_gone(pid, 60):
            os.kill(pid, signal.SIGKILL)
        return self._compare(p, where, profile, tally)

    def _run(self, spec: dict[str, Any], p: Plan) -> int:
        start = time.monotonic()
        pid = self.zygote.fork(spec)
        faults = list(p.faults)
        restart_at = p.restart_at
        while alive(pid):
            now = time.monotonic() - start
            while faults and faults[0][0] <= now:
                _, mode, delay = faults.pop(0)
                self.proxy.set(mode, delay)
            if restart_at is not None and restart_at <= now:
                restart_at = None
                self.server.restart()
                self.proxy.retarget(("127.0.0.1", self.server.port))
            if (p.kill_at is not None and now >= p.kill_at) or now > EPISODE_S * 3:
                os.kill(pid, signal.SIGKILL)
                wait_gone(pid, 10)
                return 1
            time.sleep(0.003)
        return 0

    def _compare(self, p: Plan, where: Path, profile: int, tally: Tally) -> dict[str, Any] | None:
        from tracktray.domain import ReportQuery
        from tracktray.store.journal import Journal

        journal = Journal(where / "data")
        entries = journal.entries("srv") if journal.path.exists() else []
        crash = where / "client-crash.txt"
        if crash.exists():
            tally.crashes += 1
            sys.stderr.write(f"episode {p.seed}: the client crashed:\n{crash.read_text()}\n")
        times = [float(x) for x in (where / "progress").read_text().split()] if (
            where / "progress").exists() else []  # fmt: skip
        clicks = [
            (e, dt.datetime.fromtimestamp(times[i], dt.UTC) if i < len(times) else e.clicked_at)
            for i, e in enumerate(entries)
        ]
        expected = expected_blocks(clicks, self.trackers[0])
        blocks = self.engine.report(profile, ReportQuery(include_open=True))
        actual = [
            (b.tracker_id, b.time_in.replace(tzinfo=dt.UTC),
             b.time_out.replace(tzinfo=dt.UTC) if b.time_out else None)
            for b in blocks
        ]  # fmt: skip
        lost, duplicated, mistimed = judge(expected, actual)
        lost += sum(1 for e in entries if not e.finished)  # never sent: lost too
        refused = sum(1 for e in entries if e.state == "refused")
        tally.episodes += 1
        tally.clicks += len(entries)
        tally.refused += refused
        if any(c["jump"] for c in p.clicks):
            tally.jump_lost += lost
            tally.jump_duplicated += duplicated
            tally.jump_mistimed += mistimed
        else:
            tally.lost += lost
            tally.duplicated += duplicated
            tally.mistimed += mistimed
        if lost or duplicated or mistimed:
            tally.failing.append(p.seed)
            return {
                "seed": p.seed, "plan": asdict(p), "lost": lost, "duplicated": duplicated,
                "mistimed": mistimed,
                "journal": [[e.kind, dict(e.args), e.clicked_at.isoformat(), e.state, e.outcome]
                            for e in entries],
                "click_times": times,
                "expected": [[t, s.isoformat(), e.isoformat() if e else None]
                             for t, s, e in expected],
                "server": [[t, s.isoformat(), e.isoformat() if e else None]
                           for t, s, e in actual],
            }  # fmt: skip
        return None


Boundary = tuple[int | None, dt.datetime, dt.datetime | None]


def expected_blocks(clicks: list[tuple[Any, dt.datetime]], default: int) -> list[Boundary]:
    """The blocks the clicks describe, by the journal's rules (refused clicks do nothing)."""
    blocks: list[list[Any]] = []
    running: list[Any] | None = None
    for entry, when in clicks:
        if entry.state == "refused":
            continue
        kind = entry.kind
        tracker = entry.args.get("tracker_id") or default
        if kind == "stop":
            if running is not None:
                running[2], running = when, None
        elif kind == "start" and running is not None and running[0] == tracker:
            continue
        else:  # start, or switch (a switch with nothing running starts)
            if running is not None:
                running[2] = when
            running = [tracker, when, None]
            blocks.append(running)
    return [(b[0], b[1], b[2]) for b in blocks]


def _distance(block: Boundary, start: dt.datetime, stop: dt.datetime | None) -> float:
    """How far a server block is from an expected one (an open/closed mismatch is far)."""
    apart = abs((block[1] - start).total_seconds())
    if (block[2] is None) != (stop is None):
        return apart + 1000.0
    if block[2] is not None and stop is not None:
        apart += abs((block[2] - stop).total_seconds())
    return apart


def joins(blocks: Sequence[Boundary]) -> list[dt.datetime]:
    """Instants where a block of a tracker ends and the next one of that tracker begins."""
    ordered = sorted(blocks, key=lambda b: b[1])
    return [
        b[1]
        for a, b in itertools.pairwise(ordered)
        if a[0] == b[0] and a[2] is not None and a[2] == b[1]
    ]


def merged(blocks: Sequence[Boundary], at: Sequence[dt.datetime]) -> list[Boundary]:
    """Blocks with back-to-back pieces of one tracker joined where the clicks switched to
    the tracker already running (near an instant of ``at``): such a switch splits a block
    without changing any time, and a replay in the same second cannot tell it from one
    already done. A stop and a start in one second elsewhere stay two blocks."""
    out: list[Boundary] = []
    left = list(at)  # each such switch joins one pair of pieces, no more
    for block in sorted(blocks, key=lambda b: b[1]):
        # the close and the open of one switch share their instant
        joined = out and out[-1][0] == block[0] and block[1] == out[-1][2]
        near = [t for t in left if abs((block[1] - t).total_seconds()) <= TOLERANCE_S]
        if joined and near:
            left.remove(min(near, key=lambda t: abs((block[1] - t).total_seconds())))
            out[-1] = (block[0], out[-1][1], block[2])
            continue
        out.append(block)
    return out


def judge(expected: Sequence[Boundary], actual: Sequence[Boundary]) -> tuple[int, int, int]:
    """(lost, duplicated, mistimed) of the server's blocks against the expected ones."""
    at = joins(expected)
    expected, actual = merged(expected, at), merged(actual, at)
    lost = duplicated = mistimed = 0
    unmatched = list(actual)
    for tracker, start, stop in expected:
        match = min(
            (b for b in unmatched if b[0] == tracker),
            key=lambda b: _distance(b, start, stop),
            default=None,
        )
        if match is None or abs((match[1] - start).total_seconds()) > 120:
            lost += 1
            continue
        unmatched.remove(match)
        if abs((match[1] - start).total_seconds()) > TOLERANCE_S:
            mistimed += 1
        if stop is None and match[2] is not None:
            duplicated += 1  # a stop nobody clicked
        elif stop is not None and match[2] is None:
            lost += 1  # the stop never arrived
        elif (
            stop is not None
            and match[2] is not None
            and abs((match[2] - stop).total_seconds()) > TOLERANCE_S
        ):
            mistimed += 1
    duplicated += len(unmatched)
    return lost, duplicated, mistimed


# -- the run -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--minutes", type=float, default=30.0, help="stop after this long")
    parser.add_argument("--keep", type=Path, default=ROOT / "test-artifacts" / "faults")
    parser.add_argument("--replay", type=int, help="run the episode with this seed only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--home",
        type=Path,
        help="where the server's database and the episodes' homes go (default: a fresh "
        "temporary folder; give one outside a /tmp that gets cleaned during long runs)",
    )
    parser.add_argument("--zygote", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.zygote:
        zygote()
        return 0
    seeds = (
        [args.replay]
        if args.replay is not None
        else [args.seed * 100_000 + n for n in range(args.episodes)]
    )
    tally = Tally()
    deadline = time.monotonic() + args.minutes * 60
    if args.home is not None:
        args.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tracktray-faults-", dir=args.home) as home:
        bench = Bench(Path(home))
        try:
            for seed in seeds:
                if time.monotonic() > deadline:
                    break
                failed = bench.episode(seed, tally)
                if failed is not None:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"episode-{seed}.json").write_text(json.dumps(failed, indent=1))
            tally.restarts = bench.server.restarts
        finally:
            bench.close()
    figures = asdict(tally)
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"episodes {tally.episodes}, clicks made {tally.clicks}: lost {tally.lost}, "
            f"duplicated {tally.duplicated}, mistimed {tally.mistimed} (beyond {TOLERANCE_S:g} s), "
            f"refused with a reason {tally.refused}; SIGKILLs {tally.kills}, server restarts "
            f"{tally.restarts}, episodes with clock jumps {tally.jumps}, client crashes "
            f"{tally.crashes}"
        )
        print(
            f"in the {tally.jumps} episodes whose clock jumped (not counted above): lost "
            f"{tally.jump_lost}, duplicated {tally.jump_duplicated}, mistimed "
            f"{tally.jump_mistimed} against the real time of the clicks"
        )
        if tally.failing:
            print(f"failing episodes (replay with --replay SEED; kept in {args.keep}):")
            print(" ".join(map(str, tally.failing)))
    return 1 if tally.lost or tally.duplicated or tally.crashes or not tally.clicks else 0


if __name__ == "__main__":
    sys.exit(main())
