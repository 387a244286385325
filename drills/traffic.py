"""Traffic for the fault drills: buyers browsing pages and the API and checking out, in
threads, on every instance of a `Stack` in turn, while a drill breaks something.

Every request is recorded (`Event`): when, in which phase of the drill, what, on which
instance, the answer's status, content type, problem code, whether the body holds a
traceback, or the connection error. A checkout that got no definite answer (a broken
connection, a 503) is sent again with the same `Idempotency-Key` until it gets one, as a
careful client would: so every key ends with one order or one refusal.
"""

import itertools
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from tests.scaleout.stack import (
    CHECKOUT,
    PASSWORD,
    PLENTY,
    Stack,
    buyer_email,
    get_token,
    log,
    request,
)

PAGES = ("/", "/c/supplies/", f"/p/{PLENTY}/", "/search/?q=gloves")


@dataclass
class Event:
    t: float
    phase: str
    op: str
    instance: str
    status: int | None
    content_type: str = ""
    code: str | None = None
    traceback: bool = False
    error: str = ""
    key: str = ""
    number: str | None = None
    retry_after: str | None = None


class Traffic:
    """`threads` buyers (0..threads-1 of the bundle), each in a thread, until `stop()`."""

    def __init__(self, stack: Stack, threads: int, ops=("page", "api", "checkout", "health")):
        self.stack = stack
        self.threads = threads
        self.ops = ops
        self.phase = "before"
        self.events: list[Event] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.started = time.monotonic()
        self.tokens = [get_token(stack.instances[n % 2].base, n) for n in range(threads)]
        self.pending: dict[int, str] = {}  # buyer -> key waiting for a definite answer
        self.keys: dict[str, Event] = {}  # key -> its definite answer
        self.workers = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def start(self) -> "Traffic":
        self.started = time.monotonic()
        for worker in self.workers:
            worker.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for worker in self.workers:
            worker.join(60)

    def set_phase(self, phase: str) -> None:
        log(f"phase: {phase}")
        self.phase = phase

    def _record(self, event: Event) -> Event:
        with self.lock:
            self.events.append(event)
        return event

    def _call(self, op: str, instance, method: str, path: str, buyer: int, **kwargs) -> Event:
        try:
            answer = request(instance.base, method, path, token=self.tokens[buyer], **kwargs)
        except OSError as error:
            t, phase = time.monotonic() - self.started, self.phase
            return self._record(Event(t, phase, op, instance.name, None, error=repr(error)[:120]))
        # The phase the answer came in: a request sent just before a fault fails in it.
        t, phase = time.monotonic() - self.started, self.phase
        return self._record(
            Event(
                t,
                phase,
                op,
                instance.name,
                answer.status,
                answer.content_type,
                answer.code,
                b"Traceback" in answer.body,
                retry_after=answer.headers.get("retry-after"),
                number=answer.json().get("number") if answer.status == 201 else None,
            )
        )

    def _run(self, buyer: int) -> None:
        instances = itertools.cycle(self.stack.instances[buyer % 2 :] + self.stack.instances)
        ops = itertools.cycle(self.ops)
        while not self.stopping.is_set():
            op = next(ops)
            instance = next(instances)
            if op == "page":
                for path in PAGES:
                    self._call("page", instance, "GET", path, buyer)
            elif op == "api":
                self._call("api", instance, "GET", "/api/v1/products?search=gloves", buyer)
                self._call("api", instance, "GET", "/api/v1/cart", buyer)
            elif op == "login":
                credentials = {"email": buyer_email(buyer), "password": PASSWORD}
                self._call("login", instance, "POST", "/api/v1/auth/token", buyer, body=credentials)
            elif op == "health":
                self._call("health", instance, "GET", "/healthz", buyer)
            elif op == "checkout":
                self._checkout(buyer, instance)
            time.sleep(0.05)
        # A key still waiting gets its answer once the drill is over (the stack is whole).
        while buyer in self.pending:
            self._checkout(buyer, self.stack.instances[buyer % 2])
            time.sleep(0.5)

    def _checkout(self, buyer: int, instance) -> None:
        key = self.pending.get(buyer)
        if key is None:
            cart = self._call(
                "cart",
                instance,
                "POST",
                "/api/v1/cart/lines",
                buyer,
                body={"lines": [{"sku": PLENTY, "qty": 1 + buyer % 4}], "mode": "replace"},
            )
            if cart.status != 200:
                return
            key = f"drill-{buyer}-{uuid.uuid4().hex[:10]}"
        event = self._call(
            "checkout",
            instance,
            "POST",
            "/api/v1/checkout",
            buyer,
            body=CHECKOUT,
            headers={"Idempotency-Key": key},
        )
        event.key = key
        if event.status in (201, 422):
            self.pending.pop(buyer, None)
            if key in self.keys and self.keys[key].number != event.number:
                event.error = f"key {key} answered {self.keys[key].number}, now {event.number}"
            self.keys.setdefault(key, event)
        else:
            self.pending[buyer] = key

    # --- summaries ---------------------------------------------------------------------

    def table(self) -> str:
        """Answers per phase and kind of request: 'status[ code]' or the error, counted."""
        rows = Counter()
        for e in self.events:
            if e.status is None:
                what = "connection error"
            else:
                what = str(e.status) + (f" {e.code}" if e.code else "")
                if e.status >= 500 and not e.code:
                    what += f" ({e.content_type.split(';')[0]})"
            rows[(e.phase, e.op, what)] += 1
        return "\n".join(
            f"  {phase:<10} {op:<9} {what:<40} {count:>5}"
            for (phase, op, what), count in sorted(rows.items())
        )

    def problems(self, allow_outage_in: set[str] = frozenset()) -> list[str]:
        """What no client may ever see: a 500, a traceback, a 503 that is not clean, an
        answer other than 2xx outside the phases listed, a key answered two ways."""
        problems = []
        for e in self.events:
            where = f"{e.phase} {e.op} on {e.instance} at {e.t:.1f} s"
            if e.traceback:
                problems.append(f"traceback in the body: {where}")
            if e.error.startswith("key "):
                problems.append(e.error)
            if e.status is not None and e.status >= 500 and e.status != 503:
                problems.append(f"{e.status} ({e.content_type}): {where}")
            if e.status == 503 and e.op != "health":
                clean = e.retry_after and (
                    e.code == "service_unavailable"
                    if e.op in ("api", "checkout", "cart", "login")
                    else e.content_type.startswith(("text/html", "application/json"))
                )
                if not clean:
                    problems.append(f"503 without problem+json or Retry-After: {where}")
            if e.phase not in allow_outage_in:
                if e.status is None:
                    problems.append(f"connection error {e.error}: {where}")
                elif e.status >= 500 and e.op != "health":
                    problems.append(f"{e.status} outside the outage: {where}")
        return sorted(set(problems))
