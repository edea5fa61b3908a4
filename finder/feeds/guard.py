"""The network side of fetching a feed: one deadline for the whole exchange, public hosts only.

A socket timeout alone restarts with every byte, so a server dripping its status line or
headers could hold an import for minutes: a timer shuts the socket when the deadline passes,
whatever stage the exchange is in. Every address connected to (the first URL's and each
redirect's, checked after DNS) must be public unless FEED_ALLOW_PRIVATE is set, so a feed
URL cannot make finder read its own network.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from functools import partial
from typing import Any
from urllib.request import HTTPSHandler, Request

PRIVATE_HINT = "set FEED_ALLOW_PRIVATE=1 to allow it"


class AddressRefused(Exception):
    """The host is on a loopback, private or otherwise non-public address."""


class Deadline:
    """Seconds for a whole exchange; when they pass, every watched socket is shut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for TLS sockets: a blocked read returns at once.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def check_address(host: str, address: str, allow_private: bool) -> None:
    """AddressRefused naming the address when it is not a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if allow_private or (ip.is_global and (mapped is None or mapped.is_global)):
        return
    kind = "a loopback" if ip.is_loopback else "a private or reserved"
    shown = host if host == str(ip) else f"{host} ({ip})"
    raise AddressRefused(f"refused {shown}: {ip} is {kind} address; {PRIVATE_HINT}")


def resolve(host: str, port: int, allow_private: bool) -> list[Any]:
    """The host's addresses, each checked; AddressRefused for the first non-public one."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for info in infos:
        check_address(host, str(info[4][0]), allow_private)
    return infos


class Guard:
    """Connections for one fetch: to checked addresses only, within the deadline."""

    def __init__(self, deadline: Deadline, allow_private: bool) -> None:
        self.deadline = deadline
        self.allow_private = allow_private

    def create_connection(
        self, address: tuple[str, int], _timeout: Any = None, source: Any = None
    ) -> socket.socket:
        host, port = address
        error: OSError | None = None
        for family, kind, proto, _name, sockaddr in resolve(host, port, self.allow_private):
            sock = socket.socket(family, kind, proto)
            self.deadline.watch(sock)
            try:
                sock.settimeout(self.deadline.remaining())
                if source:
                    sock.bind(source)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"no address for {host}")


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, guard: Guard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard
        self._create_connection = guard.create_connection

    def connect(self) -> None:
        super().connect()
        self.guard.deadline.watch(self.sock)  # the TLS socket, once the handshake is done


class GuardedHTTPSHandler(HTTPSHandler):
    def __init__(self, guard: Guard, context: ssl.SSLContext | None = None) -> None:
        super().__init__(context=context)
        self.guard = guard
        self.tls_context = context

    def https_open(self, req: Request) -> http.client.HTTPResponse:
        connection = partial(GuardedHTTPSConnection, guard=self.guard)
        return self.do_open(connection, req, context=self.tls_context)
