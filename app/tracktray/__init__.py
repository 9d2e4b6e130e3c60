"""tracktray: a system-tray time tracker with an embedded engine.

Layers, bottom to top (each imports only from the ones above it in this list):

- ``tracktray.domain``   pure values and rules: blocks, trackers, durations, time zones
- ``tracktray.engine``   the rules over SQLAlchemy (the one place time is stored)
- ``tracktray.server``   HTTP faces of the engine (TrackMyPeople, TimeTrack)
- ``tracktray.api``      httpx clients for both server families, one error tree
- ``tracktray.accounts`` what an account can do (capabilities) over a client or the
                         in-process engine (local mode)
- ``tracktray.store``    settings (platformdirs) and credentials (keyring)
- ``tracktray.cli``      the command line
- ``tracktray.desktop``  the only package that imports Qt
"""

__version__ = "0.1.0"
