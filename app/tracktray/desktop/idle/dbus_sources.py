"""Idle time over the session bus: GNOME's Mutter and the freedesktop screen saver.

- GNOME (X11 and Wayland): ``org.gnome.Mutter.IdleMonitor.GetIdletime`` on
  ``/org/gnome/Mutter/IdleMonitor/Core`` → milliseconds (``t``). On Wayland no client can
  see global input, so the compositor is the only one who knows.
- KDE Plasma and others: ``org.freedesktop.ScreenSaver.GetSessionIdleTime`` → seconds
  (``u``), on ``/org/freedesktop/ScreenSaver`` (KDE also answers on ``/ScreenSaver``).

jeepney's blocking connection, opened once and used only from the idle worker. Each
constructor asks once, so a service that owns the name but does not implement the
method (GNOME Shell's ``GetSessionIdleTime`` answers "not supported") is refused at
start and the next backend is tried.
"""

from __future__ import annotations

from typing import Any, Final

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from tracktray.desktop.idle._source import IdleUnavailable
from tracktray.i18n import N_, _

__all__ = ["FreedesktopScreenSaverIdle", "MutterIdle"]

#: a compositor answers in a millisecond; one that takes longer is not usable
CALL_TIMEOUT_S: Final = 2.0


class _SessionBusIdle:
    name = ""
    _address: DBusAddress
    _method = ""
    _unit_s = 1.0

    def __init__(self, bus_address: str | None = None) -> None:
        try:
            self._connection: DBusConnection | None = open_dbus_connection(bus_address or "SESSION")
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise IdleUnavailable(
                _("No session bus: {value}.").format(value=exc or type(exc).__name__)
            ) from None
        try:
            self.idle_seconds()
        except IdleUnavailable:
            self.close()
            raise

    def idle_seconds(self) -> float:
        connection = self._connection
        if connection is None:
            raise IdleUnavailable(_("The session bus connection was closed."))
        message = new_method_call(self._address, self._method)
        try:
            reply = connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
            body: tuple[Any, ...] = unwrap_msg(reply)
        except DBusErrorResponse as exc:
            raise IdleUnavailable(
                _("{name} cannot tell the idle time: {error}.").format(
                    name=_(self.name), error=exc.name
                )
            ) from None
        except (OSError, TimeoutError, ValueError) as exc:
            raise IdleUnavailable(
                _("{name} did not answer: {value}.").format(
                    name=_(self.name), value=exc or type(exc).__name__
                )
            ) from None
        value = body[0] if body else None
        if not isinstance(value, int):
            raise IdleUnavailable(
                _("{name} answered something that is not a time.").format(name=_(self.name))
            )
        return value * self._unit_s

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class MutterIdle(_SessionBusIdle):
    name = N_("GNOME (Mutter idle monitor)")
    _address = DBusAddress(
        "/org/gnome/Mutter/IdleMonitor/Core",
        bus_name="org.gnome.Mutter.IdleMonitor",
        interface="org.gnome.Mutter.IdleMonitor",
    )
    _method = "GetIdletime"
    _unit_s = 0.001


class FreedesktopScreenSaverIdle(_SessionBusIdle):
    name = N_("freedesktop screen saver (KDE and others)")
    _address = DBusAddress(
        "/org/freedesktop/ScreenSaver",
        bus_name="org.freedesktop.ScreenSaver",
        interface="org.freedesktop.ScreenSaver",
    )
    _method = "GetSessionIdleTime"
