"""The pure rules of webhook delivery: back-off, the 3-day cut-off, order per resource, URLs."""

import datetime

import pytest

from comptoir.webhooks import rules
from comptoir.webhooks.rules import Queued

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_the_wait_doubles_from_30_seconds_and_stops_growing_at_6_hours():
    waits = [rules.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 10, 11, 12, 40)]
    assert waits == [30, 60, 120, 240, 480, 15360, 21600, 21600, 21600]


def test_attempts_count_from_one():
    with pytest.raises(ValueError):
        rules.retry_delay(0)


def schedule() -> list[datetime.datetime]:
    """Every attempt of a delivery that always fails, the first at T0."""
    attempts, now = [T0], T0
    while following := rules.next_attempt_at(attempts=len(attempts), started_at=T0, now=now):
        attempts.append(following)
        now = following
    return attempts


def test_a_delivery_that_always_fails_is_tried_22_times_over_3_days():
    attempts = schedule()
    offsets = [str(at - T0) for at in attempts]
    assert offsets == [
        "0:00:00",
        "0:00:30",
        "0:01:30",
        "0:03:30",
        "0:07:30",
        "0:15:30",
        "0:31:30",
        "1:03:30",
        "2:07:30",
        "4:15:30",
        "8:31:30",
        "14:31:30",
        "20:31:30",
        "1 day, 2:31:30",
        "1 day, 8:31:30",
        "1 day, 14:31:30",
        "1 day, 20:31:30",
        "2 days, 2:31:30",
        "2 days, 8:31:30",
        "2 days, 14:31:30",
        "2 days, 20:31:30",
        "3 days, 0:00:00",
    ]


def test_the_last_try_is_at_the_3_day_mark_and_a_failure_then_gives_up():
    deadline = T0 + datetime.timedelta(days=3)
    late = deadline - datetime.timedelta(hours=1)
    assert rules.next_attempt_at(attempts=15, started_at=T0, now=late) == deadline
    assert rules.next_attempt_at(attempts=16, started_at=T0, now=deadline) is None


def test_a_receiver_back_after_an_hour_is_retried_at_63_minutes_30():
    attempts = schedule()
    back = T0 + datetime.timedelta(hours=1)
    assert min(at for at in attempts if at >= back) - T0 == datetime.timedelta(
        minutes=63, seconds=30
    )


def queued(pk, endpoint, resource, sequence, due=True):
    return Queued(id=pk, endpoint_id=endpoint, resource=resource, sequence=sequence, due=due)


ORDER_1 = ("order", "CMD-2026-000001")
ORDER_2 = ("order", "CMD-2026-000002")


def test_only_the_earliest_event_of_a_resource_leaves_per_endpoint():
    pending = [
        queued(11, 1, ORDER_1, 2),
        queued(10, 1, ORDER_1, 1),
        queued(12, 1, ORDER_2, 1),
        queued(13, 2, ORDER_1, 2),
    ]
    assert rules.sendable(pending) == [10, 12, 13]


def test_a_later_event_waits_behind_an_earlier_one_not_due_or_given_up():
    pending = [
        queued(10, 1, ORDER_1, 1, due=False),
        queued(11, 1, ORDER_1, 2),
        queued(12, 1, ORDER_2, 3, due=False),
        queued(13, 1, ORDER_2, 4),
    ]
    assert rules.sendable(pending) == []


def test_an_endpoint_is_sent_only_the_types_it_ticked():
    assert rules.wants(["order.placed", "invoice.issued"], "order.placed")
    assert not rules.wants(["order.placed"], "order.cancelled")
    assert not rules.wants([], "order.placed")


@pytest.mark.parametrize(
    ("url", "allow_http", "problem"),
    [
        ("https://erp.example.com/hooks", False, None),
        ("http://erp.example.com/hooks", True, None),
        ("http://erp.example.com/hooks", False, "url_not_https"),
        ("ftp://erp.example.com/hooks", True, "url_invalid"),
        ("https:///hooks", True, "url_invalid"),
        ("https://erp.example.com:99999/", True, "url_invalid"),
        ("https://erp.example.com:port/", True, "url_invalid"),
        ("https://user:pw@erp.example.com/", True, "url_credentials"),
        ("erp.example.com/hooks", True, "url_invalid"),
        ("", True, "url_invalid"),
    ],
)
def test_endpoint_urls(url, allow_http, problem):
    assert rules.url_problem(url, allow_http=allow_http) == problem


@pytest.mark.parametrize(("code", "delivered"), [(200, True), (204, True), (299, True)])
def test_any_2xx_delivers(code, delivered):
    assert rules.delivered(code) is delivered


@pytest.mark.parametrize("code", [None, 199, 301, 302, 400, 410, 500, 503])
def test_redirects_errors_and_silence_do_not_deliver(code):
    assert not rules.delivered(code)
