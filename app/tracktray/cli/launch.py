"""``tracktray``'s entry point: the widget without the CLI, a command without Qt.

Most starts of ``tracktray`` are the tray widget (at login, from a menu); they should
cost what a bare tray costs. So the command line is looked at here with nothing
imported: no command word means the widget starts straight from
:mod:`tracktray.desktop.app` (which parses its own two options), never through the
CLI's argument tree and command modules; anything else goes to :mod:`tracktray.cli.main`.
The options understood are the CLI's global ones, so both roads agree on what a
command line means.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["first_word", "main", "run_tray", "wants_widget"]

#: the CLI's global options that take a value (``--config-dir DIR`` or ``--config-dir=DIR``)
_WITH_VALUE = ("--config-dir", "--data-dir", "--account")
_SHORT_WITH_VALUE = ("-a",)
#: options the CLI answers itself, without a command
_CLI_ONLY = ("-h", "--help", "--version")


def _long_option(token: str) -> str | None:
    """The long option ``token`` names (argparse accepts unique prefixes), or None."""
    name = token.split("=", 1)[0]
    known = (*_WITH_VALUE, "--debug", "--help", "--version")
    if name in known:
        return name
    matches = [option for option in known if option.startswith(name)]
    return matches[0] if len(matches) == 1 else None


def _scan(argv: Sequence[str]) -> tuple[bool, str | None]:
    """(whether the CLI must answer, the command word if one is given)."""
    tokens = iter(argv)
    cli = False
    for token in tokens:
        if token == "--":
            return True, next(tokens, None)  # what follows is positional
        if token in _CLI_ONLY:
            cli = True
            continue
        if token.startswith("--"):
            option = _long_option(token)
            cli = cli or option in _CLI_ONLY
            if option in _WITH_VALUE and "=" not in token:
                next(tokens, None)
            continue  # other options: Qt's own (-style …) or --debug, as before
        if token in _SHORT_WITH_VALUE:
            next(tokens, None)
            continue
        if token.startswith("-"):
            continue
        return True, token
    return cli, None


def wants_widget(argv: Sequence[str]) -> bool:
    """True when ``argv`` names no command (the tray starts), False for the CLI."""
    return not _scan(argv)[0]


def first_word(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first word after the global options), or None."""
    return _scan(argv)[1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the widget or one command; ``argv`` None means this process's command line,
    and then a command ends the process as soon as its output is out (:func:`_exit_now`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_widget(args):
        return run_tray(args)
    if argv is None:
        _without_the_cycle_collector()
    from tracktray.cli.main import main as cli_main

    code = cli_main(args, owns_the_process=argv is None)
    if argv is None:
        _exit_now(code)
    return code


def _without_the_cycle_collector() -> None:
    """A command lives for a fraction of a second and ends in :func:`_exit_now`. Its
    imports make tens of thousands of objects, and the cycle collector walked them again
    and again while they were made: ~8 ms of a 70 ms ``tracktray status``, freeing
    nothing. Reference counting still frees everything that is not a cycle; the few
    cycles a command leaves end with the process."""
    import gc

    gc.disable()


def _exit_now(code: int) -> None:
    """End a finished command without the interpreter's shutdown (~50 ms of freeing every
    module's objects one by one). The command has closed its backend and journal itself
    (``cli.main`` closes the context in ``finally``); only the streams are left to flush."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105  (not contextlib: every command ends here)
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (`| head`): nothing more to say
    os._exit(code)


def run_tray(argv: list[str]) -> int:
    """Start the widget; a clear sentence when this installation has none."""
    try:
        from tracktray.desktop.app import run
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name.startswith("tracktray.desktop") or exc.name == "PySide6"):
            from tracktray.cli.errors import ExitCode
            from tracktray.i18n import _

            sentence = _(
                "The tray widget is not part of this installation; run `tracktray --help`."
            )
            sys.stderr.write(sentence + "\n")
            return ExitCode.USAGE
        raise
    return int(run(argv))


if __name__ == "__main__":
    sys.exit(main())
