"""``tracktray``: parse the command line, run one command, turn every error into an exit code.

Without a command the tray widget starts (imported lazily: commands never load Qt).
Every :class:`TrackTrayError` is printed as its one sentence on stderr and mapped to
its exit code; anything unexpected too, with the traceback only under ``--debug``.

``tracktray status`` (the command run most, by people and by scripts in a loop) is
recognised before argparse is even imported (:func:`_quick_status`): a plain command
line of global options, ``status`` and ``--json`` is read here; anything else — help,
an abbreviation, a mistake — goes through the full parser, so help and errors read
exactly as they always did.
"""

from __future__ import annotations

import sys

from tracktray.cli.context import Context
from tracktray.cli.errors import ExitCode, exit_code_for
from tracktray.cli.launch import run_tray
from tracktray.contracts.errors import TrackTrayError
from tracktray.i18n import N_, _, speak_for_the_standard_library, use_language

TYPE_CHECKING = False  # typing and argparse are not imported at run time for status
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from pathlib import Path

__all__ = ["build_parser", "main"]

EPILOG = N_(
    "Without a command, the tray widget starts. Exit codes: 0 ok, 1 refused, 2 usage, "
    "3 authentication, 4 server unreachable. Environment: TRACKTRAY_URL, TRACKTRAY_USER, "
    "TRACKTRAY_PASSWORD, TRACKTRAY_CA define an account for one run."
)


#: each command word and the module that registers and runs it, in the order ``--help``
#: lists them: a command imports only its own module (dispatch first, import late)
COMMAND_MODULES: dict[str, str] = {
    "status": "cmd_tracking",
    "start": "cmd_tracking",
    "stop": "cmd_tracking",
    "switch": "cmd_tracking",
    "pause": "cmd_timetrack",
    "resume": "cmd_timetrack",
    "clock": "cmd_timetrack",
    "attendances": "cmd_timetrack",
    "trackers": "cmd_trackers",
    "add": "cmd_add",
    "addfree": "cmd_add",
    "today": "cmd_report",
    "report": "cmd_report",
    "reportees": "cmd_reportees",
    "accounts": "cmd_accounts",
    "check-update": "cmd_update",
}


def command_word(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (its first word after the global options), or None."""
    from tracktray.cli.launch import first_word

    return first_word(argv)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; for a known ``command``, with only that command's module registered
    (the others are not even imported), else with every command (``--help``, errors)."""
    import argparse
    import importlib
    from pathlib import Path

    from tracktray import __version__

    parser = argparse.ArgumentParser(
        prog="tracktray",
        description=_("Track your time from the tray or the shell."),
        epilog=_(EPILOG),
    )
    parser.add_argument("--version", action="version", version=f"tracktray {__version__}")
    parser.add_argument("--config-dir", type=Path, help=_("where accounts and settings live"))
    parser.add_argument("--data-dir", type=Path, help=_("where local mode keeps its database"))
    parser.add_argument(
        "--account", "-a", help=_("act on this account id instead of the active one")
    )
    parser.add_argument("--debug", action="store_true", help=_("show details of unexpected errors"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = COMMAND_MODULES.get(command or "")
    names = [wanted] if wanted else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in names:
        importlib.import_module(f"tracktray.cli.{name}").register(commands, common)
    return parser


#: the global options that take a value, and their names in the parsed arguments
_GLOBAL_VALUES = {
    "--config-dir": "config_dir",
    "--data-dir": "data_dir",
    "--account": "account",
    "-a": "account",
}


def _quick_status(argv: Sequence[str]) -> argparse.Namespace | None:
    """What argparse would make of a plain ``[global options] status [--json]``, or None
    for anything else (the full parser then answers, with its help and its errors).

    Only spellings argparse reads one way are taken: exact option names, values not
    starting with ``-``; an abbreviation, ``-aX``, ``--`` or any other word falls back."""
    from types import SimpleNamespace

    values: dict[str, str | None] = {"config_dir": None, "data_dir": None, "account": None}
    debug = as_json = False
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if token == "--debug":
            debug = True
        elif name in _GLOBAL_VALUES and name != "-a" and equals:
            values[_GLOBAL_VALUES[name]] = value
        elif token in _GLOBAL_VALUES:
            value = next(tokens, "-")
            if value.startswith("-"):
                return None
            values[_GLOBAL_VALUES[token]] = value
        elif token == "status":
            break
        else:
            return None
    else:
        return None  # no command word
    for token in tokens:
        if token != "--json":
            return None
        as_json = True
    paths = {key: _path(values[key]) for key in ("config_dir", "data_dir")}
    namespace = SimpleNamespace(
        **paths,
        account=values["account"],
        debug=debug,
        command="status",
        json=as_json,
        handler=_status,
    )
    return namespace  # type: ignore[return-value]  # the attributes argparse would set


def _path(value: str | None) -> Path | None:
    if value is None:
        return None  # pathlib is not imported for nothing (status without options)
    from pathlib import Path

    return Path(value)


def _status(args: argparse.Namespace, ctx: Context) -> int:
    from tracktray.cli import cmd_status

    return cmd_status.status(args, ctx)


def main(argv: Sequence[str] | None = None, *, owns_the_process: bool = False) -> int:
    """Run one command; ``owns_the_process``: this process is the command's alone (the
    ``tracktray`` program, not a caller in a process of its own), so it may fork."""
    use_language()  # LANGUAGE, LC_ALL, LC_MESSAGES, LANG (the widget reads its Settings)
    args_list = list(sys.argv[1:] if argv is None else argv)
    quick = _quick_status(args_list)
    if quick is not None:
        args = quick
    else:
        speak_for_the_standard_library()  # argparse's "usage:" and its errors too
        parser = build_parser(command_word(args_list))
        try:
            # Known args only: without a command, Qt's own options go on to the tray.
            args, unknown = parser.parse_known_args(args_list)
            if args.command is None:
                return run_tray(args_list)
            if unknown:
                parser.error(
                    _("unrecognized arguments: {unknown}").format(unknown=" ".join(unknown))
                )
        except SystemExit as exc:  # argparse has printed its usage message (or --help)
            return int(exc.code or 0) if isinstance(exc.code, int) else ExitCode.USAGE
    ctx = Context(
        config_dir=args.config_dir,
        data_dir=args.data_dir,
        account_id=args.account,
        owns_the_process=owns_the_process,
    )
    try:
        return int(args.handler(args, ctx))
    except TrackTrayError as exc:
        _say(str(exc))
        return exit_code_for(exc)
    except KeyboardInterrupt:
        _say(_("Interrupted."))
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # `tracktray report | head`: the reader had enough
        _silence_stdout()
        return ExitCode.OK
    except Exception as exc:
        if args.debug:
            import traceback

            traceback.print_exc()
        _say(
            _(
                "tracktray failed unexpectedly ({error_type}); run the command again with "
                "--debug for details."
            ).format(error_type=type(exc).__name__)
        )
        return ExitCode.INTERNAL
    finally:
        _close_quietly(ctx)


def _close_quietly(ctx: Context) -> None:
    try:  # noqa: SIM105  (not contextlib: every command ends here)
        ctx.close()
    except Exception:  # closing a connection must never hide the command's outcome
        pass


def _say(sentence: str) -> None:
    try:
        sys.stderr.write(sentence + "\n")
        sys.stderr.flush()
    except OSError:
        pass


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main(owns_the_process=True))
