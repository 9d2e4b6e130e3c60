"""tracktray: a system-tray time tracker with an embedded engine.

Layers, bottom to top; each imports only from the layers below it, and packages on one
line never import each other. ``pyproject.toml`` declares this for import-linter, and
``scripts/test`` fails when it is broken.

- ``tracktray.i18n``       the words people read: gettext over one catalog (bottom layer)
- ``tracktray.domain``     pure values and rules: blocks, trackers, durations, time zones
- ``tracktray.contracts``  the one error tree and what an account can do (``Backend``,
                           ``Capability``), shared by every layer above
- ``tracktray.engine``     the rules over SQLAlchemy (the one place time is stored)
  ``tracktray.api``        clients for both server families (HTTP/1.1 parsed by httptools)
  ``tracktray.store``      settings (platformdirs) and credentials (keyring)
- ``tracktray.accounts``   an account: a remote client or the in-process engine (local mode)
- ``tracktray.desktop``    the tray widget, the only package that imports Qt
- ``tracktray.cli``        the command line (starts the widget by a lazy import)
  ``tracktray.server``     HTTP faces of the engine (TrackMyPeople, TimeTrack)
"""

__version__ = "0.1.0"
