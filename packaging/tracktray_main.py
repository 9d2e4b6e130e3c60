"""Entry point of the bundled executables (PyInstaller runs this file).

One Analysis, one set of files: the name the program was started under picks what runs.
``tracktray-server`` (a symlink to ``tracktray`` on Linux and macOS, its own executable
on Windows) → the server's CLI; anything else (``tracktray``, and on Windows the console
twin ``tracktray-cli.exe`` of the windowed ``tracktray.exe``) → ``tracktray``'s CLI,
which starts the widget when given no command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    if sys.argv[1:] == ["--keyring-helper"]:  # the widget's keyring calls (keyring_helper.py)
        from tracktray.store.keyring_helper import serve

        os._exit(serve())
    name = Path(sys.argv[0]).stem.casefold()
    if name.startswith("tracktray-server"):
        from tracktray.server.cli import main as server_main

        return server_main()
    # the widget starts without the CLI's command tree (tracktray.cli.launch)
    from tracktray.cli.launch import main as tracktray_main

    return tracktray_main()


if __name__ == "__main__":
    sys.exit(main())
