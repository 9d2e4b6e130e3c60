"""Reading one password from the Secret Service directly, where keyring would read it there.

On a Linux desktop keyring's choice is the Secret Service (GNOME Keyring, KWallet's
Secret Service, KeePassXC). keyring's package and its Secret Service backend import
~100 ms of modules (jaraco.context with urllib.request and tarfile, secretstorage with
cryptography) before they send four D-Bus messages — most of what ``tracktray status``
costs. This module sends the same messages with jeepney (a dependency already): the
default collection (``/org/freedesktop/secrets/aliases/default``), its items whose
attributes are keyring's (``service``, ``username``), the first one's secret.

Only the plain case is answered here: the collection exists and is unlocked, and the
item is unlocked. Anything else — a locked collection (keyring asks to unlock it), no
Secret Service on the bus, any D-Bus error — raises :class:`CannotTell`, and the caller
asks keyring, which does what it always did. The secret travels in a "plain" session:
over the user's own bus socket, as the Secret Service specification allows.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jeepney.io.blocking import DBusConnection

__all__ = ["CannotTell", "read_password"]

_BUS_NAME = "org.freedesktop.secrets"
_DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
#: a D-Bus call that takes longer than this is not the plain case (keyring waits)
_TIMEOUT_S = 5.0


class CannotTell(Exception):
    """Not the plain case: ask keyring."""


def read_password(service: str, username: str) -> str | None:
    """The password keyring's Secret Service backend keeps for ``service`` and
    ``username`` (None when there is none), read without keyring; :class:`CannotTell`
    where keyring must answer."""
    from jeepney.io.blocking import open_dbus_connection

    try:
        connection = open_dbus_connection(bus="SESSION")
    except Exception as exc:  # no bus, no address, refused: keyring's own checks decide
        raise CannotTell(str(exc)) from None
    try:
        return _read(connection, {"service": service, "username": username})
    except CannotTell:
        raise
    except Exception as exc:  # a D-Bus error answer, a timeout, an unexpected reply
        raise CannotTell(str(exc)) from None
    finally:
        connection.close()


def _read(connection: DBusConnection, attributes: dict[str, str]) -> str | None:
    from jeepney import DBusAddress, Properties

    collection = DBusAddress(
        _DEFAULT_COLLECTION, bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Collection"
    )
    (locked,) = _call(connection, Properties(collection).get("Locked"))
    if locked != ("b", False):
        # not translated: never shown (keyring answers instead, and asks to unlock it)
        raise CannotTell("the collection is locked")
    (items,) = _call(connection, _method(collection, "SearchItems", "a{ss}", (attributes,)))
    if not items:
        return None
    service = DBusAddress(
        "/org/freedesktop/secrets", bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Service"
    )
    _, session = _call(connection, _method(service, "OpenSession", "sv", ("plain", ("s", ""))))
    item = DBusAddress(items[0], bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Item")
    # a locked item answers with an error: CannotTell, and keyring asks to unlock it
    ((_, _, value, _),) = _call(connection, _method(item, "GetSecret", "o", (session,)))
    return bytes(value).decode("utf-8")


def _method(address: object, name: str, signature: str, body: tuple[object, ...]) -> object:
    from jeepney import new_method_call

    return new_method_call(address, name, signature, body)


def _call(connection: DBusConnection, message: object) -> tuple[Any, ...]:
    from jeepney.wrappers import unwrap_msg

    reply = connection.send_and_get_reply(message, timeout=_TIMEOUT_S)
    return tuple(unwrap_msg(reply))
