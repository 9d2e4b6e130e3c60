"""Fake desktop services exported on a private bus with jeepney, for the idle tests.

A :class:`FakeService` owns a bus name and answers method calls from a thread, like
gnome-shell or logind would; :func:`emit` sends a signal as the service does. The bus is
a real ``dbus-daemon`` (``tests/support/desktop_env.private_session_bus``).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jeepney import (
    DBusAddress,
    HeaderFields,
    Message,
    MessageType,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

from tests.support.desktop_env import missing_programs, private_session_bus

#: (interface, member) → answer(message) returning (signature, body); raise DBusFailure
Handler = Callable[[Message], tuple[str, tuple[Any, ...]]]


class DBusFailure(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class FakeService:
    def __init__(self, bus: str, name: str, handlers: dict[tuple[str, str], Handler]) -> None:
        self.calls: list[str] = []
        self._handlers = handlers
        self._connection = open_dbus_connection(bus)
        reply = self._connection.send_and_get_reply(message_bus.RequestName(name), timeout=5)
        assert reply.body[0] == 1, f"could not own {name}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError):
            while True:
                message = self._connection.receive()
                if message.header.message_type is not MessageType.method_call:
                    continue
                interface = str(message.header.fields.get(HeaderFields.interface, ""))
                member = str(message.header.fields.get(HeaderFields.member, ""))
                self.calls.append(member)
                handler = self._handlers.get((interface, member))
                if handler is None:
                    answer = new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")
                else:
                    try:
                        signature, body = handler(message)
                        answer = new_method_return(message, signature, body)
                    except DBusFailure as exc:
                        answer = new_error(message, exc.name)
                self._connection.send(answer)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._connection.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)
        self._connection.close()


def emit(bus: str, path: str, interface: str, member: str, signature: str = "", *body: Any) -> None:
    """Send a signal on ``bus`` as the service would."""
    with open_dbus_connection(bus) as connection:
        address = DBusAddress(path, interface=interface)
        connection.send(new_signal(address, member, signature or None, tuple(body)))
        # a round trip to the bus: the signal has been routed when it answers
        connection.send_and_get_reply(message_bus.GetId(), timeout=5)


@pytest.fixture
def private_bus(tmp_path: Path) -> Iterator[str]:
    """A real dbus-daemon of our own (the session bus, or logind's system bus in tests)."""
    missing = missing_programs("dbus-daemon")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: run scripts/install-system-packages")
    run = tmp_path / "bus"
    run.mkdir()
    with private_session_bus(run, tmp_path) as address:
        yield address
