"""A proxy on 127.0.0.1 that records every request meant for another machine and refuses it (403).

A process given `Egress.env` (HTTP_PROXY and HTTPS_PROXY pointing here, NO_PROXY for 127.0.0.1 and localhost,
so the tests' own services stay direct) sends its internet traffic here instead: `requests` and urllib honour
those variables. `requests` then holds what would have left the machine ("CONNECT pypi.org:443").
"""

from __future__ import annotations

import socketserver
import threading

import pytest


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline().decode("latin-1").strip()
        if line:
            self.server.requests.append(line)
        self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class Egress(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[str] = []
        proxy = f"http://127.0.0.1:{self.server_address[1]}"
        self.env = {
            "HTTP_PROXY": proxy,
            "HTTPS_PROXY": proxy,
            "http_proxy": proxy,
            "https_proxy": proxy,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }


@pytest.fixture
def egress():
    server = Egress()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
