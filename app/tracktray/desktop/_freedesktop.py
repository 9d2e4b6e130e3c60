"""A client of the freedesktop notification service (``org.freedesktop.Notifications``).

Why jeepney and not QtDBus: PySide6's QtDBus marshals ``Notify``'s arguments with the
wrong types (the method wants ``susssasa{sv}i``), so the service rejects the call.

Why a thread of its own: connecting to the bus and waiting for ``Notify``'s reply are
blocking calls, and the UI thread must never block. One worker thread reads ONE queue
that receives both the notifications to send and the service's signals
(``ActionInvoked``, ``NotificationClosed``, routed there by jeepney's receiver thread),
so nothing polls and nothing wakes up while idle. Results are reported through plain
callbacks called on the worker thread; :mod:`tracktray.desktop.notify` turns them into
queued Qt signals. This module imports no Qt.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.threading import (
    DBusRouter,
    Proxy,
    ReceiveStopped,
    RouterClosed,
    open_dbus_connection,
)
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

__all__ = ["FreedesktopNotifications", "NotificationRequest"]

_log = logging.getLogger(__name__)

_SERVICE: Final = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
#: seconds to wait for the service before falling back (dunst answers in ~1 ms)
CALL_TIMEOUT_S: Final = 5.0
#: notifications whose actions are still answered (services may keep them for hours)
_REMEMBERED: Final = 64
#: the action key a service invokes when the body of the notification is clicked
DEFAULT_ACTION: Final = "default"

# Errors that mean "no usable notification service here": no bus address, a bus that
# refuses us, no service owning the name, a service that does not answer in time.
_UNAVAILABLE = (
    OSError,
    ValueError,
    KeyError,
    RuntimeError,
    TimeoutError,
    DBusErrorResponse,
    RouterClosed,
    ReceiveStopped,
)


@dataclass(frozen=True, slots=True)
class NotificationRequest:
    """One notification to show; ``token`` lets the caller match the callbacks."""

    token: int
    title: str
    body: str
    #: (key, label) pairs, in the order the buttons should appear
    actions: Sequence[tuple[str, str]] = ()


_STOP: Final = object()


class FreedesktopNotifications:
    """Sends notifications from a worker thread and reports what the person did.

    Callbacks (all called on the worker thread, never on the caller's):
    ``on_sent(token)`` once the service accepted the notification;
    ``on_action(token, key)`` when the person chose an action (``"default"`` is mapped to
    the first action); ``on_closed(token)`` when it went away;
    ``on_unavailable(token, reason)`` when no service could show it, so the caller can
    fall back to another road.
    """

    def __init__(
        self,
        *,
        on_sent: Callable[[int], None],
        on_action: Callable[[int, str], None],
        on_closed: Callable[[int], None],
        on_unavailable: Callable[[int, str], None],
        app_name: str = "tracktray",
        app_icon: str = "",
        bus_address: str | None = None,
        timeout_s: float = CALL_TIMEOUT_S,
    ) -> None:
        self._on_sent = on_sent
        self._timeout_s = timeout_s
        self._on_action = on_action
        self._on_closed = on_closed
        self._on_unavailable = on_unavailable
        self._app_name = app_name
        self._app_icon = app_icon
        self._bus = bus_address or "SESSION"
        self._inbox: queue.Queue[object] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # Worker-thread state only:
        self._router: DBusRouter | None = None
        self._filters: list[Any] = []
        self._supports_actions = False
        self._tokens_by_id: dict[int, tuple[int, str | None]] = {}

    def submit(self, request: NotificationRequest) -> None:
        """Queue ``request``; returns at once."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="tracktray-notify", daemon=True
                )
                self._thread.start()
        self._inbox.put(request)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker and drop the bus connection; safe to call twice."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._inbox.put(_STOP)
            thread.join(timeout)

    # -- worker thread -------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                item = self._inbox.get()
                if item is _STOP:
                    return
                if isinstance(item, NotificationRequest):
                    self._send(item)
                elif isinstance(item, Message):
                    self._dispatch_signal(item)
        finally:
            self._disconnect()

    def _send(self, request: NotificationRequest) -> None:
        try:
            router = self._connected_router()
            message = self._notify_message(request)
            (notification_id,) = _call(router, message, self._timeout_s)
        except _UNAVAILABLE as exc:
            _log.info("no freedesktop notification service: %s", exc)
            self._disconnect()
            self._on_unavailable(request.token, str(exc) or type(exc).__name__)
            return
        first_action = request.actions[0][0] if request.actions else None
        self._tokens_by_id[notification_id] = (request.token, first_action)
        while len(self._tokens_by_id) > _REMEMBERED:  # a service that never says "closed"
            del self._tokens_by_id[next(iter(self._tokens_by_id))]
        self._on_sent(request.token)

    def _notify_message(self, request: NotificationRequest) -> Message:
        actions: list[str] = []
        if self._supports_actions and request.actions:
            # "default" first: a click on the body means the first (main) action.
            actions += [DEFAULT_ACTION, request.actions[0][1]]
            for key, label in request.actions:
                actions += [key, label]
        hints = {"desktop-entry": ("s", self._app_name)}
        return new_method_call(
            _SERVICE,
            "Notify",
            "susssasa{sv}i",
            (self._app_name, 0, self._app_icon, request.title, request.body, actions, hints, -1),
        )

    def _connected_router(self) -> DBusRouter:
        if self._router is not None:
            return self._router
        connection = open_dbus_connection(self._bus)
        router = DBusRouter(connection)
        try:
            bus = Proxy(message_bus, router, timeout=self._timeout_s)
            for member in ("ActionInvoked", "NotificationClosed"):
                rule = MatchRule(
                    type="signal",
                    interface=_SERVICE.interface,
                    member=member,
                    path=_SERVICE.object_path,
                )
                bus.AddMatch(rule)
                self._filters.append(router.filter(rule, queue=self._inbox))
            (capabilities,) = _call(
                router, new_method_call(_SERVICE, "GetCapabilities"), self._timeout_s
            )
        except BaseException:
            self._router = router
            self._disconnect()
            raise
        self._supports_actions = "actions" in capabilities
        self._router = router
        return router

    def _dispatch_signal(self, message: Message) -> None:
        member = message.header.fields.get(HeaderFields.member)
        if member == "ActionInvoked":
            notification_id, key = message.body
            known = self._tokens_by_id.get(notification_id)
            if known is not None:
                token, first_action = known
                if key == DEFAULT_ACTION:
                    if first_action is None:
                        return
                    key = first_action
                self._on_action(token, key)
        elif member == "NotificationClosed":
            known = self._tokens_by_id.pop(message.body[0], None)
            if known is not None:
                self._on_closed(known[0])

    def _disconnect(self) -> None:
        for handle in self._filters:
            handle.close()
        self._filters.clear()
        router, self._router = self._router, None
        if router is not None:
            router.close()
            router.conn.close()


def _call(router: DBusRouter, message: Message, timeout_s: float) -> tuple[Any, ...]:
    """Send a method call and return its reply body; an error reply raises."""
    reply = router.send_and_get_reply(message, timeout=timeout_s)
    body: tuple[Any, ...] = unwrap_msg(reply)
    return body
