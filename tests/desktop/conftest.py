"""Fixtures of the desktop tests (the harness starts the real tray app)."""

from tests.desktop.harness import make_app, update_dialogs

__all__ = ["make_app", "update_dialogs"]
