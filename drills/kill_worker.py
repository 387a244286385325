"""Drill: gunicorn workers killed (SIGKILL) in the middle of checkouts (issue 9, point 4).

Two gunicorn instances of 2 workers and an RQ worker on PostgreSQL; then:
1. Certain kill inside a placement: the drill locks the scarce product's row itself, sends
   two checkouts to instance A (one per worker), waits until both placements wait on that
   lock, inside their transactions, SIGKILLs one of A's workers, and lets the lock go. The
   killed request's client sees its connection drop and sends the same Idempotency-Key
   again to instance B.
2. Kills at random: buyers check out without pause on both instances while a worker of a
   random instance is SIGKILLed every 0.7 s; a client whose connection drops sends the same
   key again until it gets an answer.
Then the books must hold: no order without lines, totals that add up, an invoice per order,
consecutive numbers and counters that match, stock + sold = initial stock, every key one
order, and each client's answer is that order.

    .venv/bin/python -m drills.kill_worker
"""

import os
import random
import signal
import sys
import threading
import time
from collections import Counter

from drills.traffic import Traffic
from tests.scaleout.stack import (
    PLENTY,
    SCARCE,
    Stack,
    book_problems,
    checkout,
    fill_cart,
    get_token,
    log,
    read_books,
    rq_failures,
    store_bundle,
    wait_until,
)

CONFIRMATION_WAIT = 15  # seconds; the worker sends one in well under a second
BUYERS = 10
SCARCE_STOCK = 500
KILL_EVERY = 0.7
KILLING_SECONDS = 12


def run(redis_db: int = 8) -> tuple[list[str], list[str]]:
    """(problems, lost confirmations)."""
    stack = Stack(database="comptoir_drill_kill", redis_url=f"redis://127.0.0.1:6379/{redis_db}")
    import redis

    redis.Redis.from_url(stack.redis_url).flushdb()
    problems: list[str] = []
    try:
        stack.prepare(store_bundle(BUYERS + 2, SCARCE_STOCK))
        with stack:
            stack.start_instances(2)
            stack.start_worker()
            problems += _kill_inside_a_placement(stack)
            problems += _kill_at_random(stack)
            books = read_books(stack.postgres, stack.database)
            problems += book_problems(books, {SCARCE: SCARCE_STOCK, PLENTY: 1_000_000})
            log(
                f"observed: {len(books.orders)} orders, {len(books.invoices)} invoices, "
                f"counters {books.order_counter} / {books.invoice_counter}; "
                f"{SCARCE} stock {books.stock[SCARCE]} + sold {books.sold.get(SCARCE, 0)} "
                f"= {books.stock[SCARCE] + books.sold.get(SCARCE, 0)} (initial {SCARCE_STOCK}); "
                f"{PLENTY} stock {books.stock[PLENTY]} + sold {books.sold.get(PLENTY, 0)}"
            )
            lost = _confirmations(stack)
            if problems:
                print(stack.logs(30))
    finally:
        stack.close()
    return problems, lost


def _kill_inside_a_placement(stack: Stack) -> list[str]:
    a, b = stack.instances
    buyers = (BUYERS, BUYERS + 1)  # two buyers the random phase does not use
    tokens = {n: get_token(a.base, n) for n in buyers}
    for n in buyers:
        fill_cart(a.base, tokens[n], {SCARCE: 2})
    answers: dict[int, object] = {}

    def send(n):
        try:
            answers[n] = checkout(a.base, tokens[n], f"held-{n}")
        except OSError as error:
            answers[n] = error

    with stack.postgres.connect(stack.database) as holder:
        holder.execute("SELECT id FROM catalog_product WHERE sku = %s FOR UPDATE", [SCARCE])
        threads = [threading.Thread(target=send, args=(n,)) for n in buyers]
        for thread in threads:
            thread.start()

        watcher = stack.postgres.connect(stack.database, autocommit=True)

        def waiting():  # from another connection: a transaction sees one stats snapshot
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND wait_event_type = 'Lock'",
                [stack.database],
            ).fetchone()
            return row[0] == 2

        wait_until(waiting, 20, what="both placements to wait on the product lock")
        watcher.close()
        victim = random.choice(a.worker_pids())
        log(
            f"did: locked {SCARCE}; two checkouts on A wait for it inside their transactions; "
            f"SIGKILL to A's worker {victim}"
        )
        os.kill(victim, signal.SIGKILL)
        time.sleep(0.5)
        holder.rollback()  # the lock goes: the surviving placement proceeds
    for thread in threads:
        thread.join(30)
    log(
        "observed: "
        + "; ".join(
            f"buyer {n}: "
            + (
                f"{answer.status} {answer.json().get('number', answer.code)}"
                if hasattr(answer, "status")
                else f"connection dropped ({type(answer).__name__})"
            )
            for n, answer in sorted(answers.items())
        )
    )
    problems = []
    dropped = [n for n, answer in answers.items() if not hasattr(answer, "status")]
    if len(dropped) != 1:
        problems.append(f"expected one dropped checkout, got {answers}")
    for n in dropped:
        books = read_books(stack.postgres, stack.database)
        orders_of_key = [key for key in books.keys if key[1] == f"held-{n}"]
        log(
            f"observed: after the kill the database holds {len(orders_of_key)} key and no order "
            f"for the killed checkout (its transaction was rolled back)"
        )
        if orders_of_key:
            problems.append(f"the killed placement left {orders_of_key}")
        retry = checkout(b.base, tokens[n], f"held-{n}")
        log(
            f"did: the client sent key held-{n} again to B: {retry.status} {retry.json()['number']}"
        )
        if retry.status != 201:
            problems.append(f"the retry after the kill answered {retry.status}")
    wait_until(lambda: len(a.worker_pids()) == 2, 30, what="gunicorn to replace the worker")
    log(f"observed: gunicorn A replaced its worker: {a.worker_pids()}")
    return problems


def _kill_at_random(stack: Stack) -> list[str]:
    traffic = Traffic(stack, BUYERS, ops=("checkout",)).start()
    traffic.set_phase("killing")
    kills = Counter()
    deadline = time.monotonic() + KILLING_SECONDS
    rng = random.Random(9)
    while time.monotonic() < deadline:
        time.sleep(KILL_EVERY)
        instance = rng.choice(stack.instances)
        pids = instance.worker_pids()
        if pids:
            with_pid = rng.choice(pids)
            try:
                os.kill(with_pid, signal.SIGKILL)
                kills[instance.name] += 1
            except ProcessLookupError:
                pass
    traffic.set_phase("after")
    time.sleep(3)
    traffic.stop()
    log(
        f"did: {sum(kills.values())} SIGKILLs to gunicorn workers in {KILLING_SECONDS} s "
        f"({dict(kills)}) while {BUYERS} buyers checked out"
    )
    log("observed, answers:\n" + traffic.table())
    problems = [p for p in traffic.problems({"killing"}) if "connection error" not in p]
    dropped = sum(1 for e in traffic.events if e.status is None)
    placed = {e.number for e in traffic.keys.values() if e.status == 201}
    books = read_books(stack.postgres, stack.database)
    held = {o["number"] for o in books.orders} - placed  # the two of the first part
    log(
        f"observed: {dropped} requests lost their connection; every one of the "
        f"{len(traffic.keys)} keys got an answer in the end, the same order on every retry; "
        f"{len(placed)} orders"
    )
    if len(held) != 2:
        problems.append(f"orders no client of the random phase knows: {sorted(held)}")
    if traffic.pending:
        problems.append(f"keys never answered: {traffic.pending}")
    return problems


def _confirmations(stack: Stack) -> list[str]:
    def sent():
        return all(
            o["confirmation_sent_at"] for o in read_books(stack.postgres, stack.database).orders
        )

    try:
        wait_until(sent, CONFIRMATION_WAIT, 0.5, "confirmations")
        log("observed: every order's confirmation was sent")
        return []
    except TimeoutError:
        orders = read_books(stack.postgres, stack.database).orders
        lost = [o["number"] for o in orders if not o["confirmation_sent_at"]]
        log(f"observed: {len(lost)} orders never got their confirmation: {lost}")
        for failure in rq_failures(stack.redis_url):
            log(f"observed: failed task {failure}")
        return lost


def main() -> int:
    problems, lost = run()
    if lost:
        problems = [*problems, f"{len(lost)} confirmations lost"]
    print("\nRESULT: " + ("PASS" if not problems else "FAIL\n  " + "\n  ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
