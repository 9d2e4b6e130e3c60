"""The ``tracktray`` command line: headless commands, or the tray when none is given.

Modules by concept: ``main`` (parsing and exit codes), ``context`` (which account and
backend), ``when`` (times people type), ``render`` (human and JSON output), and one
``cmd_*`` module per group of commands. Nothing here imports Qt; heavy libraries
(httpx, SQLAlchemy) load only once a command knows it needs them.
"""
