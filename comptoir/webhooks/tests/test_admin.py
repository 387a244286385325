"""The back office: endpoints created with their secret shown to who may see it, event types
as checkboxes, bad URLs refused; the delivery log read-only with replay; lists' queries."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from comptoir.webhooks import services
from comptoir.webhooks.models import Delivery, Endpoint, Event, EventType
from comptoir.webhooks.outbox import NewEvent, record_events
from tests.factories import StaffUserFactory


def test_an_endpoint_is_created_with_ticked_types_and_its_secret_shown(admin_client, db):
    page = admin_client.get(reverse("admin:webhooks_endpoint_add")).content.decode()
    assert 'type="checkbox" name="event_types" value="order.placed"' in page
    assert 'value="webhook.test"' not in page

    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "url": "https://erp.example.com/in",
            "description": "ERP",
            "event_types": ["order.placed", "invoice.issued"],
            "active": "on",
            "_continue": "1",
        },
        follow=True,
    )
    endpoint = Endpoint.objects.get()
    assert endpoint.event_types == ["invoice.issued", "order.placed"]
    assert endpoint.secret.startswith("whsec_")
    content = response.content.decode()
    assert f"<code>{endpoint.secret}</code>" in content
    assert "Give the signing secret shown below to the receiver" in content


@override_settings(WEBHOOK_ALLOW_HTTP=False)
def test_a_plain_http_url_is_refused_where_https_is_required(admin_client, db):
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "http://erp.example.com/in", "event_types": ["order.placed"], "active": "on"},
    )
    assert "Webhooks are sent over https only: give an https address." in response.content.decode()
    assert Endpoint.objects.count() == 0


@pytest.fixture
def endpoint(db):
    return services.endpoint_save(
        endpoint=Endpoint(url="https://erp.example.com/in", event_types=["order.placed"])
    )


def test_staff_without_the_permission_does_not_see_the_secret(client, endpoint):
    clerk = StaffUserFactory(email="clerk@comptoir.example")
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_endpoint", "change_endpoint"])
    )
    client.force_login(clerk)
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    content = page.content.decode()
    assert endpoint.secret not in content
    assert "Hidden: ask someone allowed to see webhook secrets." in content

    clerk.user_permissions.add(Permission.objects.get(codename="view_endpoint_secret"))
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert f"<code>{endpoint.secret}</code>" in page.content.decode()


def events(count: int) -> None:
    with transaction.atomic():
        record_events(
            [
                NewEvent(EventType.ORDER_PLACED, "order", f"CMD-2026-{n:06d}", {"number": n})
                for n in range(count)
            ]
        )


@pytest.mark.parametrize("count", [1, 50])
def test_the_delivery_log_and_the_events_list_in_constant_queries(
    admin_client, endpoint, count, django_assert_max_num_queries
):
    events(count)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:webhooks_delivery_changelist"))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:webhooks_event_changelist"))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:webhooks_endpoint_changelist"))
    assert response.status_code == 200


def test_the_log_filters_by_status_and_type(admin_client, endpoint):
    events(2)
    Delivery.objects.filter(event__resource_key="CMD-2026-000000").update(status="delivered")
    url = reverse("admin:webhooks_delivery_changelist")
    content = admin_client.get(url, {"status__exact": "delivered"}).content.decode()
    assert "1 webhook delivery" in content
    content = admin_client.get(url, {"event__type__exact": "order.placed"}).content.decode()
    assert "2 webhook deliveries" in content


def test_the_log_is_read_only_and_replays(
    admin_client, endpoint, django_capture_on_commit_callbacks
):
    events(1)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=22)
    assert admin_client.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    page = admin_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert 'name="_save"' not in page.content.decode()

    response = admin_client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "replay", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "1 delivery queued again." in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_the_test_event_action(admin_client, endpoint, django_capture_on_commit_callbacks):
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "send_test_event", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "A test event is on its way to 1 active endpoint." in response.content.decode()
    assert Event.objects.get().type == "webhook.test"
    assert Delivery.objects.get().endpoint == endpoint


def test_the_event_page_shows_its_payload(admin_client, endpoint):
    events(1)
    event = Event.objects.get()
    page = admin_client.get(reverse("admin:webhooks_event_change", args=[event.pk]))
    assert "&quot;number&quot;: 0" in page.content.decode()
