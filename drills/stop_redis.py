"""Drill: Redis stopped under load, then started again (issue 9, point 4).

A redis-server of the drill's own on a free port (the shared one on 6379 is never
touched) holds the cache and the RQ queue of two gunicorn instances and one RQ worker on
PostgreSQL. Buyers browse pages, call the API and check out; Redis is stopped for a while
(`redis-server` killed with SIGTERM), then started again on the same port. The drill
records what the clients saw in each phase, what /healthz said, whether the worker
survived, and whether every order placed before, during and after the outage got its
confirmation e-mail once Redis was back.

    .venv/bin/python -m drills.stop_redis
"""

import sys
import time

from drills.traffic import Traffic
from tests.scaleout.stack import (
    PLENTY,
    SCARCE,
    OwnRedis,
    Stack,
    book_problems,
    log,
    read_books,
    rq_failures,
    store_bundle,
    wait_until,
)

CONFIRMATION_WAIT = 15  # seconds; the worker sends one in well under a second
BUYERS = 8
STEADY_SECONDS = 5
OUTAGE_SECONDS = 8
OPS = ("page", "api", "checkout", "health", "login")


def run() -> tuple[list[str], list[str]]:
    """(problems, lost confirmations): what the store must never do, and the orders whose
    confirmation never left."""
    redis = OwnRedis()
    redis.start()
    log(f"did: started a redis-server of our own on 127.0.0.1:{redis.port}")
    stack = Stack(database="comptoir_drill_redis", redis_url=redis.url(0))
    try:
        stack.prepare(store_bundle(BUYERS, 1_000))
        with stack:
            stack.start_instances(2)
            stack.start_worker()
            log(f"did: {BUYERS} buyers browse, log in to the API, call it and check out")
            traffic = Traffic(stack, BUYERS, ops=OPS).start()
            time.sleep(STEADY_SECONDS)

            traffic.set_phase("outage")
            redis.stop()
            outage_started = time.monotonic() - traffic.started
            log(f"did: stopped redis-server (SIGTERM); it stays down {OUTAGE_SECONDS} s")
            time.sleep(OUTAGE_SECONDS)
            worker_alive = stack.worker.poll() is None
            log(
                "observed: the RQ worker "
                + ("is still running" if worker_alive else f"exited ({stack.worker.returncode})")
            )
            redis.start()
            outage_ended = time.monotonic() - traffic.started
            log("did: started redis-server again on the same port")
            traffic.set_phase("after")
            time.sleep(STEADY_SECONDS)
            traffic.stop()

            log("observed, answers per phase:\n" + traffic.table())
            problems = traffic.problems()
            health = [e for e in traffic.events if e.op == "health" and e.phase == "outage"]
            log(
                f"observed: /healthz during the outage: {sorted({e.status for e in health})} "
                "(200 = degraded, still serving)"
            )
            outage_orders = {
                e.number
                for e in traffic.keys.values()
                if e.status == 201 and outage_started <= e.t <= outage_ended
            }
            log(f"observed: {len(outage_orders)} orders placed while Redis was down")
            if not outage_orders:
                problems.append("no order was placed while Redis was down")
            books = read_books(stack.postgres, stack.database)
            problems += book_problems(books, {SCARCE: 1_000, PLENTY: 1_000_000})

            def confirmed():
                orders = read_books(stack.postgres, stack.database).orders
                return all(o["confirmation_sent_at"] for o in orders)

            lost = []
            try:
                wait_until(confirmed, CONFIRMATION_WAIT, 0.5, "confirmations")
                log("observed: every order's confirmation was sent")
            except TimeoutError:
                orders = read_books(stack.postgres, stack.database).orders
                lost = [o["number"] for o in orders if not o["confirmation_sent_at"]]
                placed_during = sorted(set(lost) & outage_orders)
                log(
                    f"observed: {len(lost)} of {len(orders)} orders never got their "
                    f"confirmation, {len(placed_during)} of them placed during the outage: "
                    f"{lost}"
                )
                for failure in rq_failures(stack.redis_url):
                    log(f"observed: failed task {failure}")
            if problems:
                print(stack.logs(30))
    finally:
        stack.close()
        redis.stop()
    return problems, lost


def main() -> int:
    problems, lost = run()
    if lost:
        problems = [*problems, f"{len(lost)} confirmations lost"]
    print("\nRESULT: " + ("PASS" if not problems else "FAIL\n  " + "\n  ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
