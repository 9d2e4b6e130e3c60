"""The engine over real HTTPS on loopback: ``status``, ``start``+``stop`` and ``report``.

One keep-alive client sends requests one after another, as a widget does, with the load
loop of ``bench/engine_load.py``: requests/s is the inverse of the mean latency, not a
saturation figure. For ``status`` and the pairs the client is
:class:`bench.leanclient.LeanClient`: the bytes the widget's client sends, over
one TLS connection, at a fraction of httpx's own cost per request (httpx alone stays
near 1,200–1,500 requests a second on this kind of machine, which would measure the
client). The same client asks a bare Starlette endpoint under the same uvicorn set-up
(``bench/bare_server.py``) in the same run: the ceiling of the HTTP stack, TLS and the
client, reported beside ``status`` (its "× baseline" is the share of that ceiling). Each
figure is the median over batches of ``engine_batch_s`` seconds (min/max = batch
spread); p50 and p99 are per request within a batch. The requests come from a user of
their own, on a database that also holds the report user's history. Each start+stop pair
adds a block to the same day and ``status`` (which ``start`` answers with) sums the
day's blocks, so the plain pair figure measures a day growing to thousands of blocks;
the "short day" figure deletes the finished blocks every :data:`SHORT_DAY` pairs,
outside the timing, and measures what a pair costs a person with a day of at most that
many blocks. ``report`` runs for a user with ``report_blocks`` blocks spread over two
years (about 10-minute blocks back to back), bulk-inserted through the engine's tables,
and asks for the last 30 days and the last 365 days (the client reads and parses each
answer whole, as a widget does). The widget's own client then also turns each block
into a :class:`~tracktray.domain.Block`: the year once more through
:class:`~tracktray.api.trackmypeople.TrackMyPeopleClient` is the "read by the widget's
client" figure, what a person opening a year's report in the widget waits for. The
server's peak resident memory (``VmHWM``) is read before the reports and after them: the
year's answer is the largest thing the server builds.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import ssl
import time
from collections.abc import Callable

import httpx

from bench import engine_load
from bench.bare_server import BareServer
from bench.leanclient import LeanClient
from bench.plan import Plan
from bench.procprobe import memory_mb
from bench.server import BenchServer
from bench.stats import Figure, Results, Summary, percentile

ENGINE_USER = "bench-engine"
REPORT_USER = "bench-report"
HISTORY_DAYS = 730
#: the short-day pair figure deletes finished blocks after this many pairs
SHORT_DAY = 100


def measure(results: Results, plan: Plan, server: BenchServer) -> None:
    figures = {
        "engine_bare_status_rps": Figure(
            "engine_bare_status_rps", "engine: baseline, bare Starlette status", "req/s"
        ),
        "engine_bare_status_p99_ms": Figure(
            "engine_bare_status_p99_ms", "engine: baseline, bare Starlette status p99", "ms"
        ),
        "engine_status_rps": Figure(
            "engine_status_rps",
            "engine: status",
            "req/s",
            baseline_key="engine_bare_status_rps",
            ratio_key="engine_status_bare_ratio",
        ),
        "engine_status_p50_ms": Figure("engine_status_p50_ms", "engine: status p50", "ms"),
        "engine_status_p99_ms": Figure("engine_status_p99_ms", "engine: status p99", "ms"),
        "engine_startstop_rps": Figure(
            "engine_startstop_rps", "engine: start+stop pairs", "pairs/s"
        ),
        "engine_startstop_p50_ms": Figure(
            "engine_startstop_p50_ms", "engine: start+stop pair p50", "ms"
        ),
        "engine_startstop_p99_ms": Figure(
            "engine_startstop_p99_ms", "engine: start+stop pair p99", "ms"
        ),
        "engine_shortday_rps": Figure(
            "engine_shortday_rps", "engine: start+stop pairs, short day", "pairs/s"
        ),
        "engine_shortday_p50_ms": Figure(
            "engine_shortday_p50_ms", "engine: start+stop pair p50, short day", "ms"
        ),
        "engine_shortday_p99_ms": Figure(
            "engine_shortday_p99_ms", "engine: start+stop pair p99, short day", "ms"
        ),
        "report_month_ms": Figure("report_month_ms", "engine: report, 30 days", "ms"),
        "report_year_ms": Figure("report_year_ms", "engine: report, 365 days", "ms"),
        "report_year_client_ms": Figure(
            "report_year_client_ms", "engine: report, 365 days, read by the widget's client", "ms"
        ),
        "report_peak_before_mb": Figure(
            "report_peak_before_mb", "engine: server peak memory before the reports", "MiB"
        ),
        "report_peak_after_mb": Figure(
            "report_peak_after_mb", "engine: server peak memory after the reports", "MiB"
        ),
    }
    for figure in figures.values():
        results.add(figure)
        figure.reason = server.reason
    if not server.ready:
        return
    report_password = _load_history(server, plan.report_blocks)
    engine_password = _new_user(server, ENGINE_USER)
    _bare_baseline(figures, plan, server)
    assert server.ca_file is not None
    with LeanClient(server.api_url, server.ca_file, (ENGINE_USER, engine_password)) as client:

        def status() -> None:
            client.post("status.json")

        _batches(figures, "engine_status", plan, status)

        def pair() -> None:
            client.post("start.json")
            client.post("stop.json")

        _batches(figures, "engine_startstop", plan, pair)
        profile = _profile_id(server, ENGINE_USER)
        server.prune_finished_blocks(profile)
        _batches(
            figures, "engine_shortday", plan, pair, lambda: server.prune_finished_blocks(profile)
        )
        for key in ("engine_shortday_rps", "engine_shortday_p50_ms", "engine_shortday_p99_ms"):
            figures[key].note = f"finished blocks deleted every {SHORT_DAY} pairs, untimed"
    peak = _server_peak_mb(server)
    if peak is not None:
        figures["report_peak_before_mb"].summary = Summary.of([peak])
    with _client(server, (REPORT_USER, report_password)) as reports:
        today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        for key, days in (("report_month_ms", 30), ("report_year_ms", 365)):
            form = {
                "start": (today - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M"),
                "stop": today.strftime("%Y-%m-%d %H:%M"),
            }
            rows = len(_call(reports, "report.json", form))  # warm the caches once
            samples = [
                _timed(functools.partial(_call, reports, "report.json", form))
                for _ in range(plan.report_runs)
            ]
            figures[key].summary = Summary.of(s * 1000 for s in samples)
            figures[key].note = f"{rows:,} of {plan.report_blocks:,} blocks"
    _client_year(figures["report_year_client_ms"], server, report_password, plan)
    peak = _server_peak_mb(server)
    if peak is not None:  # the year's answer is the largest the server built
        figures["report_peak_after_mb"].summary = Summary.of([peak])


def _client_year(figure: Figure, server: BenchServer, password: str, plan: Plan) -> None:
    """The year's report through the widget's client: the answer read, parsed and
    decoded into blocks."""
    from tracktray.api._http import make_http_client
    from tracktray.api.trackmypeople import TrackMyPeopleClient
    from tracktray.domain import ReportQuery

    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    query = ReportQuery(  # naive: wall times of the user's zone (UTC), as the form's
        start=(today - dt.timedelta(days=365)).replace(tzinfo=None),
        stop=today.replace(tzinfo=None),
    )
    with TrackMyPeopleClient(
        server.api_url,
        REPORT_USER,
        password,
        http=make_http_client(str(server.ca_file)),
        owns_http=True,
    ) as client:
        blocks = len(client.report(query))  # warm the caches once
        samples = [_timed(functools.partial(client.report, query)) for _ in range(plan.report_runs)]
    figure.summary = Summary.of(s * 1000 for s in samples)
    figure.note = f"{blocks:,} blocks decoded"


def _bare_baseline(figures: dict[str, Figure], plan: Plan, server: BenchServer) -> None:
    """``status`` of a bare Starlette endpoint, with the same client, in this run."""
    bare = BareServer(server.sandbox)
    try:
        with LeanClient(bare.api_url, bare.ca_file, ("bench", "bench")) as client:

            def status() -> None:
                client.post("status.json")

            _batches(figures, "engine_bare_status", plan, status)
    finally:
        bare.close()


def _server_peak_mb(server: BenchServer) -> float | None:
    """The server's peak resident memory so far (VmHWM), or None without a process."""
    return None if server.pid is None else memory_mb(server.pid)[1]


def _batches(
    figures: dict[str, Figure],
    prefix: str,
    plan: Plan,
    call: Callable[[], None],
    prune: Callable[[], None] | None = None,
) -> None:
    rates: list[float] = []
    p50s: list[float] = []
    p99s: list[float] = []
    for _ in range(plan.runs):
        if prune is None:
            latencies = engine_load._run(plan.engine_batch_s, call)  # warms up, then times
        else:
            latencies = _short_day(plan.engine_batch_s, call, prune)
        rates.append(len(latencies) / sum(latencies))
        p50s.append(percentile(latencies, 50) * 1000)
        p99s.append(percentile(latencies, 99) * 1000)
    figures[f"{prefix}_rps"].summary = Summary.of(rates)
    if f"{prefix}_p50_ms" in figures:
        figures[f"{prefix}_p50_ms"].summary = Summary.of(p50s)
    figures[f"{prefix}_p99_ms"].summary = Summary.of(p99s)


def _short_day(seconds: float, call: Callable[[], None], prune: Callable[[], None]) -> list[float]:
    """Latencies of ``call`` for ``seconds`` of calls, pruning every SHORT_DAY calls."""
    for _ in range(20):  # warm-up, as engine_load._run
        call()
    prune()
    latencies: list[float] = []
    while sum(latencies) < seconds:
        for _ in range(SHORT_DAY):
            latencies.append(_timed(call))
        prune()
    return latencies


def _profile_id(server: BenchServer, username: str) -> int:
    engine = server.engine()
    try:
        found = engine.user_id(username)
    finally:
        engine.close()
    assert found is not None
    return int(found)


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _client(server: BenchServer, auth: tuple[str, str]) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    return httpx.Client(base_url=server.api_url, verify=context, auth=auth, timeout=60)


def _call(
    client: httpx.Client, function: str, form: dict[str, str] | None = None
) -> dict[str, object]:
    response = client.post(function, data=form)
    response.raise_for_status()
    body = response.json()
    if function != "report.json" and str(body.get("result")) != "1":
        raise RuntimeError(f"{function} refused: {body.get('error')}")
    return dict(body)


def _new_user(server: BenchServer, username: str) -> str:
    """A user of the bench tracker; returns its password."""
    password = secrets.token_urlsafe(12)
    engine = server.engine()
    try:
        profile = engine.create_user(username, password, timezone="UTC")
        engine.grant_role(profile, server.tracker_id, can_track=True, can_see_reporting=True)
        engine.update_user(profile, default_tracker_id=server.tracker_id)
    finally:
        engine.close()
    return password


def _load_history(server: BenchServer, count: int) -> str:
    """Create the report user and bulk-insert ``count`` past blocks; returns its password."""
    from sqlalchemy import insert

    from tracktray.engine.tables import blocks

    password = _new_user(server, REPORT_USER)
    engine = server.engine()
    try:
        profile = engine.user_id(REPORT_USER)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        first = now - dt.timedelta(days=HISTORY_DAYS)
        step = dt.timedelta(days=HISTORY_DAYS - 1) / count
        length = step * 0.9
        rows = [
            {
                "profile_id": profile,
                "tracker_id": server.tracker_id,
                "kind": "project",
                "start_utc": (first + i * step).replace(microsecond=0),
                "stop_utc": (first + i * step + length).replace(microsecond=0),
                "description": f"block {i}",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ]
        with engine.db.begin() as conn:
            conn.execute(insert(blocks), rows)
    finally:
        engine.close()
    return password
