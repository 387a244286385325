"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 in a thread that keeps
every request, answers the status it is told, and processes each event id once."""

import datetime
import http.server
import json
import threading
from dataclasses import dataclass, field

from standardwebhooks.webhooks import Webhook


@dataclass
class Received:
    headers: dict
    body: str

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    status: int = 200
    location: str = ""
    requests: list[Received] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)
    # Cleared: each request is held (unanswered) until it is set again.
    gate: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self.gate.set()

    def answer(self, received: Received) -> int:
        self.requests.append(received)
        if 200 <= self.status < 300 and received.headers["webhook-id"] not in self.processed:
            self.processed.append(received.headers["webhook-id"])
        return self.status

    def signature_holds(self, received: Received, secret: str) -> bool:
        """The HMAC of the specification for the request's own timestamp (the tests move the
        clock, so the library's 5-minute window against the real time is left out)."""
        at = datetime.datetime.fromtimestamp(
            int(received.headers["webhook-timestamp"]), tz=datetime.UTC
        )
        expected = Webhook(secret).sign(received.headers["webhook-id"], at, received.body)
        return expected in received.headers["webhook-signature"].split(" ")


def serve(receiver: Receiver) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            received = Received(
                headers={key.lower(): value for key, value in self.headers.items()},
                body=self.rfile.read(length).decode(),
            )
            status = receiver.answer(received)
            receiver.gate.wait(timeout=60)
            try:
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(f"answered {status} ".encode() + b"x" * 600)
            except OSError:
                return  # the sender was killed while it waited: nobody reads the answer

        def log_message(self, format, *args):
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/hooks"
