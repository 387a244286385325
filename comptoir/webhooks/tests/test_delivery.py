"""Deliveries to a live receiver: signed, at least once, in order per resource, retried for
3 days, then the endpoint disabled and the merchant told; replays; nothing lost when the
worker dies between the commit and the delivery."""

import datetime
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from standardwebhooks.webhooks import Webhook

from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.webhooks import delivery, services, tasks
from comptoir.webhooks.models import Delivery, DeliveryStatus, Endpoint, EventType
from comptoir.webhooks.outbox import record_event
from tests.factories import StaffUserFactory

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def record(resource_key: str, type: str = EventType.ORDER_STATUS_CHANGED, **payload):
    with transaction.atomic():
        return record_event(type, resource_type="order", resource_key=resource_key, payload=payload)


def place(buyer, *rows):
    cart_add_lines(viewer=buyer, rows=[(n, sku, qty) for n, (sku, qty) in enumerate(rows, 1)])
    return order_place(viewer=buyer, request=CheckoutRequest(payment_method="TRANSFER")).order


def test_a_committed_order_reaches_the_receiver_signed(
    shop, buyer, receiver, erp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(buyer, ("SCR-100", 120))

    assert [r.event["type"] for r in receiver.requests] == ["order.placed", "invoice.issued"]
    first = receiver.requests[0]
    # The reference library's own check, with its 5-minute window against the real time.
    verified = Webhook(erp.secret).verify(first.body, first.headers)
    assert verified["data"]["number"] == order.number
    assert verified["resource"] == {"type": "order", "id": order.number, "sequence": 1}
    assert first.headers["webhook-id"] == verified["id"]
    assert first.headers["content-type"] == "application/json"
    sent = Delivery.objects.get(event__type="order.placed")
    assert (sent.status, sent.attempts, sent.response_code) == ("delivered", 1, 200)
    assert sent.response_body == "answered 200 " + "x" * 487
    assert len(sent.response_body) == 500


def test_the_worker_killed_between_commit_and_delivery_loses_nothing(
    shop, buyer, receiver, erp, clock, django_capture_on_commit_callbacks, settings
):
    """The order commits and its deliveries are enqueued, but no worker ever runs them (the
    dummy backend keeps the tasks, as a queue whose worker was killed). A restarted worker
    runs the sweep, which finds them due for a minute and sends them."""
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        order = place(buyer, ("SCR-100", 120))
    assert receiver.requests == []
    assert Delivery.objects.filter(status="pending").count() == 2

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert tasks.sweep() == {"enqueued": 0}  # just enqueued: left to the queue for a minute
    clock.advance(minutes=1)
    assert tasks.sweep() == {"enqueued": 2}

    assert [(r.event["type"], r.event["resource"]["sequence"]) for r in receiver.requests] == [
        ("order.placed", 1),
        ("invoice.issued", 1),
    ]
    assert receiver.requests[0].event["data"]["number"] == order.number
    assert Delivery.objects.filter(status="delivered").count() == 2
    assert tasks.sweep() == {"enqueued": 0}
    assert len(receiver.requests) == 2


def test_a_worker_killed_mid_send_has_it_sent_again_once_its_lease_is_over(
    receiver, erp, clock, django_capture_on_commit_callbacks, settings
):
    """Sent, but the worker died before recording it: after the 2-minute lease the sweep
    sends it again with the same id, and the receiver processes it once."""
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        event = record("CMD-2026-000001", status="confirmed")
    pending = Delivery.objects.get()
    claim = delivery.claim(pending.pk)
    delivery.send(claim)  # ... and the worker dies here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    clock.advance(minutes=2)
    assert tasks.sweep() == {"enqueued": 0}  # the lease is over, but not a minute ago
    clock.advance(minutes=1)
    assert tasks.sweep() == {"enqueued": 1}

    assert [r.headers["webhook-id"] for r in receiver.requests] == [event.public_id] * 2
    assert receiver.processed == [event.public_id]
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == ("delivered", 2)


def test_a_receiver_down_for_an_hour_gets_every_event_once_in_order_per_resource(
    receiver, erp, clock, django_capture_on_commit_callbacks
):
    """Two orders move three times each while the receiver answers 503 for an hour; the
    sweep runs every minute, as `sweep_deliveries` does."""

    def minute():
        clock.advance(minutes=1)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.sweep()

    receiver.status = 503
    first_try = clock.now
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("confirmed", "shipped", "delivered"):
            record("CMD-2026-000001", status=status)
            record("CMD-2026-000002", status=status)
    for _minute in range(60):
        minute()
    assert Delivery.objects.filter(status="delivered").count() == 0
    receiver.status = 200
    while Delivery.objects.filter(status="pending").exists():
        minute()

    # Back at 60 minutes, every event delivered at 71, each order's three in a row.
    assert clock.now - first_try == datetime.timedelta(minutes=71)
    assert Delivery.objects.filter(status="delivered").count() == 6
    # While down, only the first event of each order was tried: 7 refusals each.
    assert sorted(Delivery.objects.values_list("event__sequence", "attempts")) == [
        (1, 8),
        (1, 8),
        (2, 1),
        (2, 1),
        (3, 1),
        (3, 1),
    ]
    assert len(receiver.requests) == 2 * 7 + 6
    assert len(receiver.processed) == 6 == len(set(receiver.processed))
    per_order = {}
    for received in receiver.requests[-6:]:
        assert receiver.signature_holds(received, erp.secret)
        body = received.event
        per_order.setdefault(body["resource"]["id"], []).append(
            (body["resource"]["sequence"], body["data"]["status"])
        )
    assert per_order == {
        "CMD-2026-000001": [(1, "confirmed"), (2, "shipped"), (3, "delivered")],
        "CMD-2026-000002": [(1, "confirmed"), (2, "shipped"), (3, "delivered")],
    }
    assert [r.headers["webhook-id"] for r in receiver.requests[-6:]] == receiver.processed


def test_three_days_of_failures_disable_the_endpoint_and_tell_the_merchant(
    store, receiver, erp, clock, django_capture_on_commit_callbacks
):
    StaffUserFactory(email="boss@comptoir.example", is_superuser=True, language="fr")
    StaffUserFactory(email="clerk@comptoir.example")  # may not change endpoints: not told
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        record("CMD-2026-000001", status="confirmed")
        record("CMD-2026-000001", status="shipped")
    head = Delivery.objects.get(event__sequence=1)
    with django_capture_on_commit_callbacks(execute=True):
        while head.status == DeliveryStatus.PENDING:
            clock.now = max(clock.now, head.next_attempt_at + tasks.SWEEP_GRACE)
            tasks.sweep()
            head.refresh_from_db()

    assert (head.status, head.attempts, head.response_code) == ("failed", 22, 500)
    # The last try at the 3-day mark, and the sweep's minute (tests have no deferring queue).
    assert head.last_attempt_at - head.started_at == datetime.timedelta(days=3, minutes=1)
    erp.refresh_from_db()
    assert (erp.active, erp.disabled_at) == (False, clock.now)
    assert Delivery.objects.get(event__sequence=2).attempts == 0
    assert len(receiver.requests) == 22
    [message] = mail.outbox
    assert message.to == ["boss@comptoir.example"]
    assert message.subject.endswith("un point de réception de webhooks a été désactivé")
    assert receiver.url in message.body
    assert f"/admin/webhooks/endpoint/{erp.pk}/change/" in message.body

    # Nothing leaves for a disabled endpoint...
    clock.advance(hours=1)
    assert tasks.sweep() == {"enqueued": 0}
    # ... until the merchant re-enables it: both events arrive, in order.
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoints_reactivate(endpoints=Endpoint.objects.all())
    for _round in range(2):
        clock.advance(minutes=1)
        tasks.sweep()
    assert [r.event["data"]["status"] for r in receiver.requests[22:]] == ["confirmed", "shipped"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_replay_sends_the_same_event_again(receiver, erp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = record("CMD-2026-000001", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_replay(deliveries=Delivery.objects.all()) == 1

    assert [r.headers["webhook-id"] for r in receiver.requests] == [event.public_id] * 2
    assert receiver.requests[0].body == receiver.requests[1].body
    replayed = Delivery.objects.get()
    assert (replayed.status, replayed.attempts) == ("delivered", 1)


def test_a_redirect_is_not_followed(receiver, erp, django_capture_on_commit_callbacks):
    receiver.status = 302
    receiver.location = "https://elsewhere.example/steal"
    with django_capture_on_commit_callbacks(execute=True):
        record("CMD-2026-000001", status="confirmed")
    attempt = Delivery.objects.get()
    assert (attempt.status, attempt.response_code, attempt.attempts) == ("pending", 302, 1)
    assert len(receiver.requests) == 1


def test_a_receiver_that_is_not_there_is_an_error_and_a_retry(
    db, clock, django_capture_on_commit_callbacks
):
    nobody = services.endpoint_save(
        endpoint=Endpoint(url="http://127.0.0.1:9/", event_types=["order.status_changed"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        record("CMD-2026-000001", status="confirmed")
    attempt = Delivery.objects.get(endpoint=nobody)
    assert (attempt.status, attempt.response_code) == ("pending", None)
    assert "refused" in attempt.error.lower()
    assert attempt.next_attempt_at == clock.now + datetime.timedelta(seconds=30)


def test_the_test_event_goes_to_one_endpoint_whatever_it_ticked(
    receiver, erp, endpoint, django_capture_on_commit_callbacks
):
    erp.event_types = []
    erp.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_send_test(endpoint=erp)
    [received] = receiver.requests
    assert received.event["type"] == "webhook.test"
    assert Delivery.objects.get().endpoint == erp


def test_the_secret_is_never_logged_nor_kept_in_the_log(
    receiver, erp, caplog, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        record("CMD-2026-000001", status="confirmed")
    secret_part = erp.secret.removeprefix("whsec_")
    assert secret_part not in caplog.text
    attempt = Delivery.objects.get()
    assert secret_part not in f"{attempt.response_body}{attempt.error}"


@override_settings(WEBHOOK_ALLOW_HTTP=False)
@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://erp.example.com/", "url_not_https"),
        ("https://me:pw@erp.example.com/", "url_credentials"),
        ("javascript:alert(1)", "url_invalid"),
    ],
)
def test_endpoints_refuse_bad_urls(db, url, code):
    with pytest.raises(Exception) as refused:
        services.endpoint_save(endpoint=Endpoint(url=url, event_types=[]))
    assert refused.value.code == code
    assert Endpoint.objects.count() == 0


def test_endpoints_refuse_unknown_event_types(db):
    with pytest.raises(Exception) as refused:
        services.endpoint_save(
            endpoint=Endpoint(url="https://erp.example.com/", event_types=["order.eaten"])
        )
    assert refused.value.code == "unknown_event_type"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_killed_holding_the_task_loses_nothing(
    store, receiver, settings, clock
):
    """The default backend, committed for real: the order's delivery task is taken by a
    `db_worker` that is then killed (its task stays "running" forever, as SIGKILL leaves it).
    A restarted worker runs the sweep, which sends the delivery anyway."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    erp = services.endpoint_save(
        endpoint=Endpoint(url=receiver.url, event_types=["order.status_changed"])
    )
    event = record("CMD-2026-000001", status="shipped")  # committed: enqueued on commit
    [queued] = DBTaskResult.objects.filter(task_path=tasks.deliver.module_path)
    queued.claim("killed-worker")  # taken, and the worker dies before sending
    assert receiver.requests == []

    tasks.sweep_deliveries.enqueue()  # what `schedule_daily_tasks` starts
    clock.advance(minutes=1)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="restarted-worker",
        excluded_queue_names=[],
    ).run()

    assert [r.headers["webhook-id"] for r in receiver.requests] == [event.public_id]
    assert receiver.signature_holds(receiver.requests[0], erp.secret)
    assert Delivery.objects.get().status == "delivered"
    queued.refresh_from_db()
    assert queued.status == "RUNNING"  # the dead worker's task: never run again


@pytest.mark.django_db(transaction=True)
def test_a_db_worker_process_killed_mid_send_loses_nothing(store, receiver, settings, clock):
    """A real `manage.py db_worker` takes the committed delivery and is killed (SIGKILL) while
    the receiver holds its request. After the lease, a restarted worker sends it again; the
    receiver has it twice under one id and processes it once. PostgreSQL only: the worker
    process must open the test database, which SQLite keeps in this process's memory."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can open: PostgreSQL")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    erp = services.endpoint_save(
        endpoint=Endpoint(url=receiver.url, event_types=["order.status_changed"])
    )
    receiver.gate.clear()
    event = record("CMD-2026-000001", status="shipped")  # committed: enqueued on commit

    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=Path(__file__).resolve().parents[3],
        env=environment | {"DATABASE_URL": url, "TASKS_BACKEND": "database"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(receiver.requests) == 1, "the worker never sent the delivery"
    finally:
        worker.kill()  # mid-send: the receiver has not answered yet
        worker.wait(timeout=10)
        receiver.gate.set()
    assert Delivery.objects.get().status == "pending"

    tasks.sweep_deliveries.enqueue()
    # The clock was read before the worker's claim: 2 minutes of lease, the sweep's minute, and
    # one for the time the worker took.
    clock.advance(minutes=4)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="restarted-worker",
        excluded_queue_names=[],
    ).run()

    assert [r.headers["webhook-id"] for r in receiver.requests] == [event.public_id] * 2
    assert receiver.processed == [event.public_id]
    assert receiver.signature_holds(receiver.requests[1], erp.secret)
    delivered = Delivery.objects.get()
    assert (delivered.status, delivered.attempts) == ("delivered", 2)
