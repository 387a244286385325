"""Scale-out (issue 9, point 2): two gunicorn instances, one task worker, one PostgreSQL and
one Redis, and buyers checking out at once on both instances.

Each buyer logs in on one instance and orders in rounds: the rounds that want the scarce
product race for its stock, the others buy a product that never runs out. Every checkout is
sent with an `Idempotency-Key` to one instance and sent again with the same key to the
other one, at the same moment or right after. Then the books must hold: nothing oversold,
refusals only for stock, order and invoice numbers consecutive, each key one order, and,
once the worker has drained its queue, one confirmation e-mail per order.

Slow (a database of its own, processes): skipped unless COMPTOIR_SCALEOUT=1. `.ci/run` runs
it after the PostgreSQL suite; see docs/reliability.md, "Scale-out test".
"""

import os
import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.scaleout.stack import (
    PLENTY,
    SCARCE,
    Postgres,
    Stack,
    Tally,
    book_problems,
    checkout,
    fill_cart,
    get_token,
    log,
    read_books,
    sent_confirmations,
    store_bundle,
    wait_until,
)

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(
        os.environ.get("COMPTOIR_SCALEOUT") != "1",
        reason="processes on PostgreSQL and Redis: set COMPTOIR_SCALEOUT=1",
    ),
]

BUYERS = 40
ROUNDS = 4
SCARCE_STOCK = 50
PLENTY_STOCK = 1_000_000
CLIENT_THREADS = 16
DRAIN_TIMEOUT = 90  # seconds for the worker to send every confirmation
POSTGRES = Postgres(os.environ.get("COMPTOIR_SCALEOUT_PG_HOST", "127.0.0.1"), 5432)
# A Redis database of this test's own on the shared server (bench/load.py uses 13).
REDIS_DBS = {"rq": 11, "database": 12}


def basket(buyer: int, round_: int) -> dict[str, int]:
    """Even rounds race for the scarce product; odd rounds always succeed."""
    rng = random.Random(buyer * 1000 + round_)
    if round_ % 2 == 0:
        return {SCARCE: rng.randint(1, 3), PLENTY: rng.randint(1, 5)}
    return {PLENTY: rng.randint(1, 10)}


def shop(stack: Stack, tally: Tally, buyer: int) -> None:
    """One buyer's rounds: fill the cart, check out on one instance, retry on the other."""
    instances = stack.instances
    token = get_token(instances[buyer % 2].base, buyer)
    for round_ in range(ROUNDS):
        first, other = instances[(buyer + round_) % 2], instances[(buyer + round_ + 1) % 2]
        lines = basket(buyer, round_)
        fill_cart(first.base, token, lines)
        key = f"b{buyer}-r{round_}-{uuid.uuid4().hex[:8]}"
        at_once = (buyer + round_) % 3 == 0
        answers = {}

        def send(instance, role, barrier=None, key=key, answers=answers):
            if barrier:
                barrier.wait(10)
            answers[role] = (instance, checkout(instance.base, token, key))

        if at_once:  # the retry races the first request on the other instance
            barrier = threading.Barrier(2)
            retry = threading.Thread(target=send, args=(other, "retry", barrier))
            retry.start()
            send(first, "first", barrier)
            retry.join()
        else:
            send(first, "first")
            send(other, "retry")
        for role, (instance, answer) in answers.items():
            tally.add(
                buyer=buyer,
                round=round_,
                key=key,
                role=role,
                at_once=at_once,
                instance=instance.name,
                lines=lines,
                status=answer.status,
                code=answer.code,
                number=answer.json().get("number") if answer.status == 201 else None,
            )


def run_scale_out(tasks_backend: str, tmp_path) -> None:
    stack = Stack(
        database=f"comptoir_scaleout_{tasks_backend}",
        postgres=POSTGRES,
        redis_url=f"redis://127.0.0.1:6379/{REDIS_DBS[tasks_backend]}",
        tasks_backend=tasks_backend,
        workdir=tmp_path,
    )
    _flush_redis(stack.redis_url)
    stack.prepare(store_bundle(BUYERS, SCARCE_STOCK, PLENTY_STOCK))
    with stack:
        stack.start_instances(2)
        stack.start_worker()
        tally = Tally()
        started = time.monotonic()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            for future in [pool.submit(shop, stack, tally, n) for n in range(BUYERS)]:
                future.result()
        elapsed = time.monotonic() - started
        events = tally.events
        placed_keys = {e["key"] for e in events if e["status"] == 201}
        log(
            f"{len(events)} checkout requests in {elapsed:.1f} s: "
            f"{dict(Counter((e['status'], e['code']) for e in events))}; "
            f"{len(placed_keys)} orders"
        )
        try:
            _check(stack, events, tasks_backend)
        except BaseException:
            print(stack.logs())
            raise


def _check(stack: Stack, events: list[dict], tasks_backend: str) -> None:
    # Clients: only orders and stock refusals, and each key one answer on both instances.
    assert {(e["status"], e["code"]) for e in events} <= {
        (201, None),
        (422, "insufficient_stock"),
    }, Counter((e["status"], e["code"]) for e in events)
    by_key: dict[str, list[dict]] = {}
    for event in events:
        by_key.setdefault(event["key"], []).append(event)
    for pair in by_key.values():
        assert len(pair) == 2, pair
        assert pair[0]["status"] == pair[1]["status"], pair
        assert pair[0]["number"] == pair[1]["number"], pair
        if pair[0]["status"] == 422:
            assert SCARCE in pair[0]["lines"], pair
    placed = {key: pair[0] for key, pair in by_key.items() if pair[0]["status"] == 201}
    refused = [pair[0] for pair in by_key.values() if pair[0]["status"] == 422]
    assert refused, "the scarce product never ran out: the race was not run"
    assert {e["instance"] for e in placed.values()} == {"A", "B"}
    assert sum(e["at_once"] for e in placed.values()) > 0

    # The books: stock, orders, lines, totals, invoices, numbering, keys.
    books = read_books(stack.postgres, stack.database)
    initial = {SCARCE: SCARCE_STOCK, PLENTY: PLENTY_STOCK}
    assert book_problems(books, initial) == []
    assert sorted(o["number"] for o in books.orders) == sorted(e["number"] for e in placed.values())
    for sku in (SCARCE, PLENTY):
        ordered = sum(e["lines"].get(sku, 0) for e in placed.values())
        assert books.sold.get(sku, 0) == ordered == initial[sku] - books.stock[sku]
    # A refusal means the stock left was below what was asked: none was refused wrongly.
    assert books.stock[SCARCE] < min(e["lines"][SCARCE] for e in refused)
    assert len(books.keys) == len(placed)
    log(
        f"orders {len(books.orders)} ({books.orders[0]['number']} .. "
        f"{books.orders[-1]['number']}), invoices {len(books.invoices)}, "
        f"{SCARCE} sold {books.sold.get(SCARCE)} of {SCARCE_STOCK} (left {books.stock[SCARCE]}), "
        f"{len(refused)} refused for stock"
    )

    # The worker: every confirmation sent once, then nothing left in the queue.
    def drained():
        books = read_books(stack.postgres, stack.database)
        return all(o["confirmation_sent_at"] is not None for o in books.orders)

    started = time.monotonic()
    wait_until(drained, DRAIN_TIMEOUT, interval=0.5, what="the worker to send every confirmation")
    time.sleep(1)  # a task delivered twice would have sent its second e-mail by now
    log(f"queue drained {time.monotonic() - started:.1f} s after the last checkout")
    sent = sent_confirmations(stack.mail_dir)
    with stack.postgres.connect(stack.database) as conn:
        recipients = conn.execute(
            "SELECT o.number, u.email FROM ordering_order o JOIN accounts_user u"
            " ON u.id = o.buyer_id"
        ).fetchall()
    assert Counter(sent) == Counter(recipients)
    executions = _task_executions(stack, tasks_backend)
    assert Counter(executions) == Counter(o["id"] for o in books.orders)
    log(
        f"{len(sent)} confirmation e-mails for {len(books.orders)} orders, "
        f"{len(executions)} task executions"
    )


def _task_executions(stack: Stack, tasks_backend: str) -> list[int]:
    """The order id of every confirmation task the worker ran; nothing queued or failed."""
    if tasks_backend == "rq":
        import redis
        from rq import Queue
        from rq.job import Job

        connection = redis.Redis.from_url(stack.redis_url)
        queue = Queue("default", connection=connection)
        assert queue.count == 0
        assert queue.failed_job_registry.count == 0
        assert queue.started_job_registry.count == 0
        jobs = Job.fetch_many(queue.finished_job_registry.get_job_ids(), connection=connection)
        return [
            job.args[0]
            for job in jobs
            if job is not None and job.func_name.endswith("send_order_confirmation")
        ]
    with stack.postgres.connect(stack.database) as conn:
        rows = conn.execute(
            "SELECT status, args_kwargs FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE '%%send_order_confirmation'"
        ).fetchall()
    assert {status for status, _args in rows} <= {"SUCCESSFUL"}, rows
    return [args["args"][0] for _status, args in rows]


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@pytest.mark.parametrize("tasks_backend", ["rq", "database"])
def test_checkouts_spread_over_two_instances(tasks_backend, tmp_path):
    run_scale_out(tasks_backend, tmp_path)
