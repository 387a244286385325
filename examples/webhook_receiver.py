"""A small receiver of Comptoir's webhooks, for merchants to start from (Python 3.11+,
standard library only).

    python examples/webhook_receiver.py --secret whsec_... --port 8080 --log events.jsonl

It checks each request as the Standard Webhooks specification says (docs/webhooks.md):
the HMAC-SHA256 signature of `<webhook-id>.<webhook-timestamp>.<body>` with the endpoint's
secret, in constant time, and a timestamp within 5 minutes of now. It processes each event
once: Comptoir delivers at least once, so the same `webhook-id` may come again (a retry
whose answer was lost, a replay); it is then answered 204 and not processed twice. Each
resource's events arrive in order; an event whose `resource.sequence` is not above the last
one processed for that resource is a duplicate too.

"Processing" here appends the event to a JSON-lines file; put your ERP's work there. Answer
quickly (Comptoir waits 10 seconds): queue long work and acknowledge at once.
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import sqlite3
import sys
import threading
import time

TOLERANCE_SECONDS = 5 * 60


class Refused(Exception):
    """The request is not a genuine Comptoir delivery: answered 400, not processed."""


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def verify(secret: str, headers: dict, body: bytes, now: float) -> dict:
    """The event if the request is signed with `secret` and fresh; raises Refused."""
    try:
        msg_id = headers["webhook-id"]
        timestamp = headers["webhook-timestamp"]
        signatures = headers["webhook-signature"]
    except KeyError as missing:
        raise Refused(f"missing header {missing}") from None
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise Refused("timestamp missing or more than 5 minutes away")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    for signature in signatures.split(" "):
        version, _, value = signature.partition(",")
        try:
            candidate = base64.b64decode(value, validate=True)
        except ValueError:
            continue
        if version == "v1" and hmac.compare_digest(candidate, expected):
            event = json.loads(body)
            if event.get("id") != msg_id:
                raise Refused("body and webhook-id name different events")
            return event
    raise Refused("no valid signature")


class Inbox:
    """Which events were processed, and the last sequence of each resource: kept in SQLite
    so that a restarted receiver still recognises duplicates."""

    def __init__(self, path: str, log_path: str):
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS resources (key TEXT PRIMARY KEY, sequence INTEGER)"
        )
        self.log_path = log_path
        self.lock = threading.Lock()

    def take(self, event: dict) -> bool:
        """Processes the event unless it was already; True when processed now."""
        resource = event["resource"]
        key = f"{resource['type']}/{resource['id']}"
        with self.lock, self.db:
            if self.db.execute("SELECT 1 FROM seen WHERE id = ?", (event["id"],)).fetchone():
                return False
            last = self.db.execute("SELECT sequence FROM resources WHERE key = ?", (key,))
            row = last.fetchone()
            if row is not None and resource["sequence"] <= row[0]:
                return False
            self.db.execute("INSERT INTO seen (id) VALUES (?)", (event["id"],))
            self.db.execute(
                "INSERT INTO resources (key, sequence) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET sequence = excluded.sequence",
                (key, resource["sequence"]),
            )
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(event, ensure_ascii=False) + "\n")
        return True


def handler(secret: str, inbox: Inbox):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {key.lower(): value for key, value in self.headers.items()}
            try:
                event = verify(secret, headers, body, time.time())
            except (Refused, ValueError) as refused:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(str(refused).encode())
                return
            inbox.take(event)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format, *args):
            sys.stderr.write("webhook " + format % args + "\n")

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secret", required=True, help="the endpoint's whsec_... secret")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--log", default="events.jsonl", help="where processed events go")
    parser.add_argument("--inbox", default="inbox.sqlite3", help="ids already processed")
    args = parser.parse_args(argv)
    inbox = Inbox(args.inbox, args.log)
    server = http.server.ThreadingHTTPServer((args.host, args.port), handler(args.secret, inbox))
    print(f"listening on http://{args.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
