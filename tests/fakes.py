"""Fake network services on 127.0.0.1 (free ports, served from threads): a mail server and a
language model. Each can stall: hold every request until ``release()`` or ``stall`` seconds."""

from __future__ import annotations

import email
import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Stall:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.started = threading.Event()  # set when a request is being held
        self.released = threading.Event()

    def hold(self) -> None:
        if self.seconds > 0:
            self.started.set()
            self.released.wait(self.seconds)

    def release(self) -> None:
        self.released.set()


class FakeSMTPServer:
    """Enough SMTP for Django's SMTP backend; ``messages`` holds what it accepted.

    With ``stall`` seconds set, the answer to the end of each message's DATA is held: the
    client is in the middle of sending, exactly where a slow mail server keeps it.
    """

    def __init__(self, stall: float = 0.0):
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()
        self._stall = _Stall()
        self._stall.seconds = stall
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                self.reply("220 fake-smtp ready")
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    command = raw.decode(errors="replace").strip()
                    verb = command.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 fake-smtp")
                    elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        lines = []
                        while True:
                            line = self.rfile.readline()
                            if not line or line in (b".\r\n", b".\n"):
                                break
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        fake._stall.hold()
                        with fake.lock:
                            fake.messages.append(email.message_from_bytes(b"".join(lines)))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def stalled(self) -> threading.Event:
        return self._stall.started

    def release(self) -> None:
        self._stall.release()

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


class FakeLanguageModel:
    """An OpenAI-compatible ``/chat/completions`` endpoint that cites the first scorecard."""

    def __init__(self, stall: float = 0.0):
        self.requests = 0
        self._stall = _Stall()
        self._stall.seconds = stall
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests += 1
                fake._stall.hold()
                payload = json.loads(json.loads(raw)["messages"][1]["content"])
                cited = " ".join(f"[S{card['id']}]" for card in payload.get("scorecards", [])[:1])
                text = f"The panel agrees on the design work {cited}."
                answer = json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def stalled(self) -> threading.Event:
        return self._stall.started

    def set_stall(self, seconds: float) -> None:
        self._stall = _Stall()
        self._stall.seconds = seconds

    def release(self) -> None:
        self._stall.release()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
