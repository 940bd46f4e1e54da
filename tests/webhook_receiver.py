"""A webhook receiver for tests: a local HTTP server that checks each delivery's Standard Webhooks
signature, records what it accepted, and can be told to fail or be stopped and started again."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(*, secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does: recompute the HMAC over ``id.timestamp.body`` and compare in constant time."""
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    return any(
        hmac.compare_digest(expected, signature.split(",", 1)[1].encode())
        for signature in headers["webhook-signature"].split()
        if signature.startswith("v1,")
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Receiver:
    secret: str = ""
    port: int = field(default_factory=free_port)
    answer: int = 204
    received: list[dict] = field(default_factory=list)  # verified deliveries, in arrival order
    rejected: list[dict] = field(default_factory=list)  # bad signatures
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                entry = {"id": headers.get("webhook-id"), "headers": headers, "body": json.loads(body or b"{}")}
                if receiver.secret and not verify(secret=receiver.secret, headers=headers, body=body):
                    receiver.rejected.append(entry)
                    self.send_response(401)
                elif receiver.answer >= 300:
                    self.send_response(receiver.answer)
                else:
                    receiver.received.append(entry)
                    self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
