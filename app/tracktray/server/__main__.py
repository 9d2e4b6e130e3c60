"""``python -m tracktray.server`` is ``tracktray-server``."""

from tracktray.server.cli import main

raise SystemExit(main())
