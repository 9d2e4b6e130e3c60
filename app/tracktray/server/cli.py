"""``tracktray-server``: set up, fill and serve an engine database.

::

    tracktray-server init  [--db URL]
    tracktray-server load  [--db URL] FILE.toml
    tracktray-server serve [--db URL] [--host H] [--port P]
                           (--cert F --key F | --self-signed DIR | --insecure-http)
                           [limits: --max-connections N --head-timeout S ... see --help]
                           [--trust-proxy IPS]
    tracktray-server demo  DIR [--host H] [--port P]
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.exc import SQLAlchemyError

from tracktray import __version__
from tracktray.engine import Engine
from tracktray.engine.passwords import set_hash_workers
from tracktray.i18n import use_language
from tracktray.server import releases
from tracktray.server.app import API_PREFIX, create_app
from tracktray.server.demo import DEMO_USERS, seed_demo
from tracktray.server.limits import Limits
from tracktray.server.loader import LoadError, load_file
from tracktray.server.running import Tls, serve_forever
from tracktray.server.tls import self_signed

__all__ = ["main"]

_PLATFORMS = ("Linux_Qt", "Windows_Qt", "Mac_Qt")


def default_db() -> str:
    return f"sqlite:///{Path(user_data_dir('tracktray')) / 'server.sqlite'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracktray-server",
        description="The tracktray engine: a TrackMyPeople-compatible server over HTTPS.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_db(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--db",
            default=default_db(),
            metavar="URL",
            help="sqlite:///path/file.sqlite or postgresql://user@host/db (default: %(default)s)",
        )

    init = commands.add_parser("init", help="create or upgrade the database schema")
    with_db(init)

    load = commands.add_parser("load", help="create or update users, trackers, roles, releases")
    with_db(load)
    load.add_argument("file", type=Path, metavar="FILE.toml")

    serve = commands.add_parser("serve", help="serve the TrackMyPeople API over HTTPS")
    with_db(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443, help="0 picks a free port")
    tls = serve.add_mutually_exclusive_group(required=True)
    tls.add_argument("--cert", type=Path, help="PEM certificate chain (with --key)")
    tls.add_argument(
        "--self-signed",
        type=Path,
        metavar="DIR",
        help="make (once) a local CA and a localhost certificate in DIR",
    )
    tls.add_argument(
        "--insecure-http", action="store_true", help="plain HTTP, only on a loopback address"
    )
    serve.add_argument("--key", type=Path, help="PEM private key of --cert")
    serve.add_argument(
        "--trust-proxy",
        metavar="IPS",
        help="comma-separated addresses of reverse proxies whose X-Forwarded-For is believed",
    )
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log one line per request (method, function, status, duration)",
    )
    _limit_flags(serve)

    demo = commands.add_parser("demo", help="a demo organisation served over HTTPS")
    demo.add_argument("dir", type=Path, metavar="DIR")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    releases.add_arguments(commands, serve)  # release keygen|add, serve --releases DIR
    return parser


_LIMIT_FLAGS: dict[str, tuple[str, type, str]] = {
    "max_connections": ("--max-connections", int, "open connections at most"),
    "head_timeout_s": ("--head-timeout", float, "seconds to send a complete request head"),
    "idle_timeout_s": ("--idle-timeout", float, "seconds an idle keep-alive connection lives"),
    "body_timeout_s": ("--body-timeout", float, "seconds to send a request body"),
    "hash_workers": ("--hash-workers", int, "password hashes at once (16 MiB each)"),
    "account_failures": ("--account-failures", int, "failed sign-ins per account per window"),
    "address_failures": ("--address-failures", int, "failed sign-ins per address per window"),
    "failure_window_s": ("--failure-window", float, "seconds of that window"),
}


def _limit_flags(sub: argparse.ArgumentParser) -> None:
    defaults = Limits()
    group = sub.add_argument_group("limits (per server process)")
    for field, (flag, kind, text) in _LIMIT_FLAGS.items():
        group.add_argument(
            flag,
            dest=field,
            type=kind,
            default=getattr(defaults, field),
            metavar="N" if kind is int else "S",
            help=f"{text} (default: %(default)s)",
        )


def _limits(args: argparse.Namespace) -> Limits:
    values = {field: getattr(args, field) for field in _LIMIT_FLAGS}
    for field, value in values.items():
        if value <= 0:
            raise SystemExit(f"tracktray-server: {_LIMIT_FLAGS[field][0]} must be more than 0.")
    return Limits(**values)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _say(text: str) -> None:
    print(text, flush=True)


def _report(text: str, *, error: bool = False) -> None:
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


def _open(url: str) -> Engine:
    return Engine.open(url)


def _serve(
    engine: Engine,
    args: argparse.Namespace,
    tls: Tls | None,
    ca: Path | None,
) -> None:
    limits = _limits(args)
    set_hash_workers(limits.hash_workers)
    if getattr(args, "access_log", False):
        logging.getLogger("tracktray.server").setLevel(logging.DEBUG)

    def ready(origin: str) -> None:
        _say(f"Listening on {origin}{API_PREFIX}")
        if ca is not None:
            _say(f"CA certificate (give it to clients): {ca}")

    app = create_app(engine, extra_routes=releases.routes(args.releases), limits=limits)
    serve_forever(app, args.host, args.port, tls, ready, limits, args.trust_proxy)


def _cmd_serve(args: argparse.Namespace) -> int:
    tls: Tls | None = None
    ca: Path | None = None
    if args.insecure_http:
        if not _is_loopback(args.host):
            raise SystemExit(
                f"tracktray-server: refusing plain HTTP on {args.host}: passwords would cross "
                "the network unencrypted. Use --self-signed DIR or --cert/--key, or bind "
                "127.0.0.1."
            )
    elif args.self_signed is not None:
        files = self_signed(args.self_signed)
        tls, ca = Tls(files.cert, files.key), files.ca
    else:
        if args.key is None:
            raise SystemExit("tracktray-server: --cert needs --key.")
        for path in (args.cert, args.key):
            if not path.is_file():
                raise SystemExit(f"tracktray-server: {path} does not exist.")
        tls = Tls(args.cert, args.key)
    if args.key is not None and args.cert is None:
        raise SystemExit("tracktray-server: --key goes with --cert.")
    _limits(args)  # a bad limit is refused before the database is opened
    _serve(_open(args.db), args, tls, ca)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    directory: Path = args.dir
    engine = _open(f"sqlite:///{directory / 'demo.sqlite'}")
    if seed_demo(engine):
        _say(f"Created a demo organisation in {directory / 'demo.sqlite'}")
    files = self_signed(directory / "tls")
    for person in DEMO_USERS:
        role = " (sees everyone's reports)" if person.manager else ""
        _say(f"Demo user: {person.username} / {person.password}  [{person.timezone}]{role}")

    def ready(origin: str) -> None:
        for platform in _PLATFORMS:  # widgets of this version are up to date
            engine.set_release(platform, __version__, f"{origin}/")
        _say(f"Listening on {origin}{API_PREFIX}")
        _say(f"CA certificate (give it to clients): {files.ca}")

    serve_forever(create_app(engine), args.host, args.port, Tls(files.cert, files.key), ready)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    # The server speaks the protocol: its answers (and any shared sentence it sends on)
    # stay in English whatever the host's LANG says (docs/translating.md).
    use_language("en")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration is noise
    args = _parser().parse_args(argv)
    try:
        if args.command == "init":
            engine = _open(args.db)
            engine.close()
            _say(f"Database ready: {args.db}")
        elif args.command == "load":
            engine = _open(args.db)
            summary = load_file(engine, args.file)
            engine.close()
            _say(f"Loaded {args.file}: {summary}.")
        elif args.command == "serve":
            return _cmd_serve(args)
        elif args.command == "release":
            return releases.command(args, lambda db: _open(db or default_db()), _report)
        else:
            return _cmd_demo(args)
    except LoadError as exc:
        print(f"tracktray-server: {exc}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError) as exc:
        print(f"tracktray-server: cannot use the database: {_first_line(exc)}", file=sys.stderr)
        return 1
    return 0


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


if __name__ == "__main__":
    raise SystemExit(main())
