"""A loopback TCP proxy that breaks the way networks break, for the fault-injection bench.

TLS passes through untouched (the certificate stays the server's). Its ``mode`` says
what happens to the next connections and to those open:

- ``pass``: bytes flow both ways;
- ``down``: connections are refused and open ones cut (the server went away);
- ``drop``: the request reaches the server, then the connection is cut as soon as the
  server starts answering (the answer is lost after the server acted);
- ``cut``: the first part of each answer passes, then the connection is cut;
- ``delay``: each chunk of an answer is held ``delay_s`` before it is passed on.

The server's address can change (``retarget``) when the bench restarts the server.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

TLS_APPLICATION_DATA = 0x17
MODES = ("pass", "down", "drop", "cut", "delay")


class FaultProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.mode = "pass"
        self.delay_s = 0.0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True, name="fault-proxy").start()

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def retarget(self, target: tuple[str, int]) -> None:
        self.target = target

    def set(self, mode: str, delay_s: float = 0.0) -> None:
        self.mode, self.delay_s = mode, delay_s
        if mode == "down":
            self.cut_all()

    def cut_all(self) -> None:
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def close(self) -> None:
        self.cut_all()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "down":
                client.close()  # as close to "connection refused" as a listener gets
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open += [client, server]
            asked: list[bool] = []  # the client has sent a request on this connection
            for args in ((client, server, False, asked), (server, client, True, asked)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, answer: bool, asked: list[bool]
    ) -> None:
        try:
            while chunk := source.recv(65536):
                mode = self.mode
                if not answer and chunk[0] == TLS_APPLICATION_DATA:
                    asked.append(True)
                # TLS 1.3 session tickets are application data too: only what comes
                # back after a request counts as its answer
                if answer and asked and chunk[0] == TLS_APPLICATION_DATA:
                    if mode == "drop":
                        break
                    if mode == "cut":
                        sink.sendall(chunk[: max(1, len(chunk) // 3)])
                        break
                    if mode == "delay" and self.delay_s:
                        time.sleep(self.delay_s)
                if mode == "down":
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
