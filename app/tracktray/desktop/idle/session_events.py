"""Locked, asleep, shutting down: signals from logind and from the screen saver.

Sources (each optional; whatever exists is used):

- logind on the system bus: ``PrepareForSleep(b)`` and ``PrepareForShutdown(b)`` on
  ``org.freedesktop.login1.Manager``; ``Lock`` / ``Unlock`` on *our* session's object
  (found with ``GetSessionByPID``, so another user's lock screen is not ours).
- the screen saver on the session bus: ``ActiveChanged(b)`` of
  ``org.freedesktop.ScreenSaver`` (KDE, Xfce, Cinnamon) and ``org.gnome.ScreenSaver``.

One jeepney connection per bus, read by a thread blocked in ``receive`` — it wakes only
when a signal arrives, so a quiet computer costs nothing. Events are reported through a
plain callback on that thread; :class:`tracktray.desktop.idle.watch.IdleWatch` hands them
to the Qt thread. No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Final, Literal

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

__all__ = ["EventKind", "SessionEventListener"]

log = logging.getLogger(__name__)

EventKind = Literal["lock", "sleep", "shutdown"]
#: (kind, starting): ("lock", True) = the screen locked, ("sleep", False) = woke up
EventCallback = Callable[[EventKind, bool], None]

_LOGIND_MANAGER: Final = DBusAddress(
    "/org/freedesktop/login1",
    bus_name="org.freedesktop.login1",
    interface="org.freedesktop.login1.Manager",
)
_SESSION_INTERFACE: Final = "org.freedesktop.login1.Session"
_SCREENSAVERS: Final = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
_TIMEOUT_S: Final = 2.0


class SessionEventListener:
    """Listens on the system bus (logind) and the session bus (screen savers).

    ``system_bus`` / ``session_bus`` are addresses ("SYSTEM"/"SESSION" by default; tests
    pass private buses). :meth:`start` returns what it could subscribe to, for Settings.
    """

    def __init__(
        self,
        on_event: EventCallback,
        *,
        system_bus: str = "SYSTEM",
        session_bus: str = "SESSION",
        pid: int | None = None,
    ) -> None:
        self._on_event = on_event
        self._system_bus = system_bus
        self._session_bus = session_bus
        self._pid = os.getpid() if pid is None else pid
        self._connections: list[DBusConnection] = []
        self._threads: list[threading.Thread] = []
        #: what is being listened to, e.g. ("logind sleep", "logind lock")
        self.sources: list[str] = []

    def start(self) -> list[str]:
        """Connect and subscribe (blocking: call on a worker); returns :attr:`sources`."""
        self._listen(self._system_bus, self._logind_rules)
        self._listen(self._session_bus, self._screensaver_rules)
        return list(self.sources)

    def close(self) -> None:
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked receive
        for thread in self._threads:
            thread.join(5)
        for connection in self._connections:
            connection.close()
        self._connections.clear()
        self._threads.clear()

    # -- subscribing ---------------------------------------------------------------------

    def _listen(
        self, address: str, rules: Callable[[DBusConnection], list[tuple[str, MatchRule]]]
    ) -> None:
        try:
            connection = open_dbus_connection(address)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            log.info("no %s bus for session events: %s", address, exc)
            return
        try:
            subscribed = rules(connection)
            for _label, rule in subscribed:
                connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=_TIMEOUT_S)
        except (OSError, TimeoutError, DBusErrorResponse) as exc:
            log.info("cannot subscribe on the %s bus: %s", address, exc)
            connection.close()
            return
        if not subscribed:
            connection.close()
            return
        for label, _rule in subscribed:
            if label not in self.sources:
                self.sources.append(label)
        matchers = [rule for _, rule in subscribed]
        thread = threading.Thread(
            target=self._receive,
            args=(connection, matchers),
            name=f"tracktray-session-events-{address.lower()}",
            daemon=True,
        )
        self._connections.append(connection)
        self._threads.append(thread)
        thread.start()

    def _logind_rules(self, connection: DBusConnection) -> list[tuple[str, MatchRule]]:
        if not _has_owner(connection, _LOGIND_MANAGER.bus_name):
            return []
        rules: list[tuple[str, MatchRule]] = [
            (f"logind {what}", _signal_rule(_LOGIND_MANAGER.interface, member))
            for what, member in (("sleep", "PrepareForSleep"), ("shutdown", "PrepareForShutdown"))
        ]
        session_path = _own_session(connection, self._pid)
        if session_path is not None:
            for member in ("Lock", "Unlock"):
                rules.append(
                    # not translated: the name of a system service
                    ("logind lock", _signal_rule(_SESSION_INTERFACE, member, session_path))
                )
        return rules

    def _screensaver_rules(self, connection: DBusConnection) -> list[tuple[str, MatchRule]]:
        return [
            (f"{name} lock", _signal_rule(name, "ActiveChanged"))
            for name in _SCREENSAVERS
            if _has_owner(connection, name)
        ]

    # -- receiving (listener thread) -----------------------------------------------------

    def _receive(self, connection: DBusConnection, rules: list[MatchRule]) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError):
            while True:
                message = connection.receive()
                if any(rule.matches(message) for rule in rules):
                    event = _event_of(message)
                    if event is not None:
                        self._on_event(*event)


def _event_of(message: Message) -> tuple[EventKind, bool] | None:
    if message.header.message_type is not MessageType.signal:
        return None
    member = message.header.fields.get(HeaderFields.member)
    body = message.body
    if member == "PrepareForSleep":
        return "sleep", bool(body[0])
    if member == "PrepareForShutdown":
        return "shutdown", bool(body[0])
    if member in ("Lock", "Unlock"):
        return "lock", member == "Lock"
    if member == "ActiveChanged":
        return "lock", bool(body[0])
    return None


def _signal_rule(interface: str, member: str, path: str | None = None) -> MatchRule:
    return MatchRule(type="signal", interface=interface, member=member, path=path)


def _has_owner(connection: DBusConnection, name: str) -> bool:
    reply = connection.send_and_get_reply(message_bus.NameHasOwner(name), timeout=_TIMEOUT_S)
    return bool(reply.body[0])


def _own_session(connection: DBusConnection, pid: int) -> str | None:
    """The object path of the login session this process belongs to, if any."""
    for method, signature, args in (
        ("GetSessionByPID", "u", (pid,)),
        ("GetSession", "s", ("auto",)),
    ):
        message = new_method_call(_LOGIND_MANAGER, method, signature, args)
        try:
            (path,) = unwrap_msg(connection.send_and_get_reply(message, timeout=_TIMEOUT_S))
        except (DBusErrorResponse, TimeoutError, OSError) as exc:
            log.info("logind %s: %s", method, exc)
            continue
        return str(path)
    return None
