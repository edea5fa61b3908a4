"""A local https feed server on 127.0.0.1 for fetch tests: serves, redirects, or drips.

The certificate is made on the fly with Debian's openssl; the client trusts it through an
SSL context the app takes from app.extensions["finder.feed_tls_context"].
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Handler = Callable[[ssl.SSLSocket], None]


class FeedServer:
    """Answers every connection with `handler` (set per test); stops at the end."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.handler: Handler = lambda conn: None
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/feed.json") -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while self.running:
            try:
                raw, _addr = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(raw,), daemon=True).start()

    def _answer(self, raw: socket.socket) -> None:
        try:
            with self.context.wrap_socket(raw, server_side=True) as conn:
                conn.settimeout(15)
                _read_request(conn)
                self.handler(conn)
        except (OSError, ssl.SSLError):
            pass  # the client hung up (as it should, at its deadline)

    def stop(self) -> None:
        self.running = False
        self.listener.close()
        self.thread.join(2)


def _read_request(conn: ssl.SSLSocket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def serve(body: bytes) -> Handler:
    def handler(conn: ssl.SSLSocket) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        conn.sendall(head.encode() + body)

    return handler


def redirect(location: str) -> Handler:
    def handler(conn: ssl.SSLSocket) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n".encode())  # fmt: skip

    return handler


def drip_headers(body: bytes, seconds: float = 8.0) -> Handler:
    """A status line, then one header byte every 0.1 s for `seconds`, then a good answer."""

    def handler(conn: ssl.SSLSocket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            conn.sendall(b"X-Slow: a\r\n")
            time.sleep(0.1)
        conn.sendall(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)

    return handler


@pytest.fixture(scope="session", name="certificate")
def certificate_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(name="feed_server")
def feed_server_fixture(certificate: tuple[Path, Path]) -> Iterator[FeedServer]:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = FeedServer(context)
    yield server
    server.stop()


@pytest.fixture(name="client_tls")
def client_tls_fixture(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts the test certificate (and verifies it)."""
    return ssl.create_default_context(cafile=str(certificate[0]))
