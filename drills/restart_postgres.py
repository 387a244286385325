"""Drill: PostgreSQL restarted under load (issue 9, point 4).

A PostgreSQL cluster of the drill's own (initdb + pg_ctl in a temporary folder, on a free
port: the shared server is never restarted), two gunicorn instances and an RQ worker on it,
buyers browsing and checking out. Then, under load:
1. `pg_ctl restart -m fast` (what `pg_ctlcluster 15 main restart` does);
2. `pg_ctl stop -m immediate` (a crash), the server left down a few seconds, then started.
gunicorn is never restarted. Every answer is recorded; the drill fails on a 500, a
traceback in a body, a 503 that is not problem+json (API) with Retry-After, an error after
the server is back, or books that do not add up.

    .venv/bin/python -m drills.restart_postgres [--conn-max-age SECONDS]
"""

import argparse
import sys
import time

from drills.traffic import Traffic
from tests.scaleout.stack import (
    PLENTY,
    SCARCE,
    OwnPostgres,
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
DOWN_SECONDS = 4
STEADY_SECONDS = 5


def run(conn_max_age: int = 0, redis_db: int = 9) -> tuple[list[str], list[str]]:
    """(problems, lost confirmations)."""
    postgres = OwnPostgres()
    postgres.start()
    log(
        f"did: started a PostgreSQL cluster of our own on 127.0.0.1:{postgres.port} "
        f"({postgres.dir})"
    )
    stack = Stack(
        database="comptoir_drill_pg",
        postgres=postgres,
        redis_url=f"redis://127.0.0.1:6379/{redis_db}",
        extra_env={"CONN_MAX_AGE": str(conn_max_age)},
    )
    _flush(stack.redis_url)
    try:
        stack.prepare(store_bundle(BUYERS, 1_000))
        with stack:
            stack.start_instances(2)
            stack.start_worker()
            log(
                f"did: {BUYERS} buyers browse, call the API and check out "
                f"(CONN_MAX_AGE={conn_max_age})"
            )
            traffic = Traffic(stack, BUYERS).start()
            time.sleep(STEADY_SECONDS)

            traffic.set_phase("restart")
            started = time.monotonic()
            postgres.restart("fast")
            log(f"did: pg_ctl restart -m fast ({time.monotonic() - started:.1f} s)")
            traffic.set_phase("after-1")
            time.sleep(STEADY_SECONDS)

            traffic.set_phase("down")
            postgres.stop("immediate")
            log(f"did: pg_ctl stop -m immediate; the server stays down {DOWN_SECONDS} s")
            time.sleep(DOWN_SECONDS)
            postgres.start()
            back = time.monotonic() - traffic.started
            log("did: pg_ctl start")
            traffic.set_phase("recovering")
            time.sleep(2)
            traffic.set_phase("after-2")
            time.sleep(STEADY_SECONDS)
            traffic.stop()

            log("observed, answers per phase:\n" + traffic.table())
            problems = traffic.problems(allow_outage_in={"restart", "down", "recovering"})
            first_ok = min(
                (e.t for e in traffic.events if e.t > back and e.status and e.status < 400),
                default=None,
            )
            if first_ok is None:
                problems.append("nothing succeeded after the server came back")
            else:
                log(f"observed: first success {first_ok - back:.2f} s after pg_ctl start")
            failed_503 = [e for e in traffic.events if e.status == 503 and e.op != "health"]
            log(
                f"observed: {len(traffic.events)} requests, {len(failed_503)} answered 503 "
                f"(codes {sorted({e.code for e in failed_503 if e.code})}), "
                f"{sum(e.status is None for e in traffic.events)} connection errors, "
                f"{sum(1 for e in traffic.events if e.status == 500)} answered 500"
            )
            problems += _books(stack, traffic)
            lost = _lost_confirmations(stack)
            if problems:
                print(stack.logs(30))
    finally:
        stack.close()
        postgres.destroy()
    return problems, lost


def _books(stack: Stack, traffic: Traffic) -> list[str]:
    books = read_books(stack.postgres, stack.database)
    problems = book_problems(books, {SCARCE: 1_000, PLENTY: 1_000_000})
    placed = {e.number for e in traffic.keys.values() if e.status == 201}
    if placed != {o["number"] for o in books.orders}:
        problems.append(f"clients saw {len(placed)} orders, the database has {len(books.orders)}")
    log(
        f"observed: {len(books.orders)} orders ({len(traffic.keys)} keys, each answered once), "
        f"stock {PLENTY} {books.stock[PLENTY]} + sold {books.sold.get(PLENTY, 0)}"
    )

    return problems


def _lost_confirmations(stack: Stack) -> list[str]:
    def sent():
        orders = read_books(stack.postgres, stack.database).orders
        return all(o["confirmation_sent_at"] for o in orders)

    try:
        wait_until(sent, CONFIRMATION_WAIT, 0.5, "confirmations")
        log("observed: every order's confirmation was sent")
        return []
    except TimeoutError:
        orders = read_books(stack.postgres, stack.database).orders
        missing = [o["number"] for o in orders if not o["confirmation_sent_at"]]
        log(f"observed: {len(missing)} orders never got their confirmation: {missing}")
        for failure in rq_failures(stack.redis_url):
            log(f"observed: failed task {failure}")
        return missing


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conn-max-age", type=int, default=0)
    args = parser.parse_args()
    problems, lost = run(args.conn_max_age)
    if lost:
        problems = [*problems, f"{len(lost)} confirmations lost"]
    print("\nRESULT: " + ("PASS" if not problems else "FAIL\n  " + "\n  ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
