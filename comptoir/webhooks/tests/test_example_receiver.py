"""examples/webhook_receiver.py, run as a merchant would run it, receives Comptoir's
deliveries: it verifies them, refuses forgeries and processes each event once."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import transaction

from comptoir.webhooks import services
from comptoir.webhooks.models import Delivery, Endpoint, EventType
from comptoir.webhooks.outbox import record_event

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "webhook_receiver.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def endpoint(db):
    return services.endpoint_save(
        endpoint=Endpoint(
            url=f"http://127.0.0.1:{free_port()}/",
            event_types=[EventType.ORDER_STATUS_CHANGED],
        )
    )


@pytest.fixture
def example(endpoint, tmp_path):
    port = endpoint.url.rsplit(":", 1)[1].strip("/")
    command = [sys.executable, str(EXAMPLE), "--secret", endpoint.secret, "--port", port]
    command += ["--log", str(tmp_path / "events.jsonl"), "--inbox", str(tmp_path / "inbox.db")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout.readline().startswith("listening on")
    yield tmp_path / "events.jsonl"
    process.terminate()
    process.wait(timeout=10)


def processed(log: Path) -> list[tuple[str, int, str]]:
    return [
        (event["resource"]["id"], event["resource"]["sequence"], event["data"]["status"])
        for event in map(json.loads, log.read_text().splitlines())
    ]


def test_the_example_receiver_verifies_and_processes_each_event_once(
    endpoint, example, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("confirmed", "shipped"):
            with transaction.atomic():
                record_event(
                    EventType.ORDER_STATUS_CHANGED,
                    resource_type="order",
                    resource_key="CMD-2026-000001",
                    payload={"status": status},
                )
    assert list(Delivery.objects.values_list("status", "response_code")) == [
        ("delivered", 204),
        ("delivered", 204),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.deliveries_replay(deliveries=Delivery.objects.all())
    assert set(Delivery.objects.values_list("status", "response_code")) == {("delivered", 204)}

    assert processed(example) == [
        ("CMD-2026-000001", 1, "confirmed"),
        ("CMD-2026-000001", 2, "shipped"),
    ]


def test_the_example_receiver_refuses_a_forged_request(endpoint, example):
    body = json.dumps({"id": "evt_1", "resource": {"type": "order", "id": "X", "sequence": 1}})
    request = urllib.request.Request(
        endpoint.url,
        data=body.encode(),
        method="POST",
        headers={
            "webhook-id": "evt_1",
            "webhook-timestamp": str(int(time.time())),
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
    assert not example.exists()


def test_the_example_verifies_the_specifications_test_vector():
    """The vector of the standard-webhooks libraries' tests (see test_signing.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("webhook_receiver", EXAMPLE)
    receiver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(receiver)
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    with pytest.raises(receiver.Refused, match="different events"):
        # Signed right, but the vector's body names no event id.
        receiver.verify(secret, headers, body, now=1614265330)
    with pytest.raises(receiver.Refused, match="no valid signature"):
        receiver.verify(secret, headers, b'{"test": 2432232315}', now=1614265330)
    with pytest.raises(receiver.Refused, match="5 minutes"):
        receiver.verify(secret, headers, body, now=1614265330 + 301)
