"""The fault drills of drills/ as tests (issue 9, point 4; docs/reliability.md).

Each drill starts its own processes (and, for PostgreSQL and Redis, servers of its own on
other ports), breaks something under load and returns what must never happen (problems)
and the orders whose confirmation e-mail never left. The confirmations of orders placed
while the queue was unreachable, or whose task ran while the database was down, are lost
until a sweep re-enqueues them (reported, not built here): the tests mark that as xfail
once every other check passed.
"""

import os

import pytest

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(
        os.environ.get("COMPTOIR_SCALEOUT") != "1",
        reason="processes on PostgreSQL and Redis: set COMPTOIR_SCALEOUT=1",
    ),
]

LOST = "confirmations lost ({}): no sweep re-enqueues them yet (docs/reliability.md)"


def test_workers_killed_in_the_middle_of_checkouts_leave_no_partial_order():
    from drills import kill_worker

    problems, lost = kill_worker.run()
    assert problems == []
    if lost:
        pytest.xfail(LOST.format(lost))


def test_a_postgresql_restart_answers_503_and_recovers_by_itself():
    from drills import restart_postgres

    problems, lost = restart_postgres.run()
    assert problems == []
    if lost:
        pytest.xfail(LOST.format(lost))


def test_the_store_keeps_selling_while_redis_is_down():
    from drills import stop_redis

    problems, lost = stop_redis.run()
    assert problems == []
    if lost:
        pytest.xfail(LOST.format(lost))
