"""httpx, imported without its command-line client: every module here imports it from
this one (``from tracktray.api._httpx import httpx``).

``import httpx`` imports ``httpx._main`` (click, rich, pygments: ~90 modules, several
MiB) whenever those happen to be installed — uvicorn brings click, development tools
bring rich. tracktray never runs that client, so a stand-in is registered just before
httpx is first imported; its ``main`` says why it is missing.
"""

from __future__ import annotations

import sys
import types


def _stand_in_for_the_cli() -> None:
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main")

    def main() -> None:
        # not translated: only a developer calling httpx's own CLI entry ever sees it
        raise SystemExit("httpx's command-line client is not loaded inside tracktray.")

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


_stand_in_for_the_cli()

import httpx  # noqa: E402 - after the stand-in

__all__ = ["httpx"]
