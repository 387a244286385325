"""Requests not decided by their `valid_until` expire the next day (store time)."""

import datetime
from decimal import Decimal

from django.core import mail

from comptoir.approvals.models import ApprovalEvent, ApprovalRequest
from comptoir.approvals.services import approvals_expire
from comptoir.approvals.tasks import daily_approval_expiry
from comptoir.core.selectors import get_store, store_today
from tests.factories import approval_rule, create_approval


def request(team, valid_until, **kwargs):
    return create_approval(
        company=team.shop.company,
        requester=team.requester,
        items=[(team.shop.products["SCR-100"], 120, Decimal("3.50"))],
        rules=[approval_rule(team.rule.pk, roles=["approver"])],
        valid_until=valid_until,
        **kwargs,
    )


def test_requests_past_their_last_day_expire_and_their_requester_is_told(
    team, immediate_tasks, django_capture_on_commit_callbacks
):
    past = request(team, datetime.date(2026, 11, 20))
    last_day = request(team, datetime.date(2026, 11, 21))
    rejected = request(team, datetime.date(2026, 11, 1), status="rejected")

    with django_capture_on_commit_callbacks(execute=True):
        expired = approvals_expire(day=datetime.date(2026, 11, 21))

    assert expired == [past.pk]
    statuses = dict(ApprovalRequest.objects.values_list("pk", "status"))
    assert statuses == {past.pk: "expired", last_day.pk: "pending", rejected.pk: "rejected"}
    event = ApprovalEvent.objects.filter(request=past).latest("id")
    assert (event.action, event.actor) == ("expired", None)
    (message,) = mail.outbox
    assert message.to == ["remi@acme.example"]
    assert message.subject == f"Your request {past.number} expired"
    assert "was not decided by 20 Nov 2026" in message.body
    assert f"/account/approvals/{past.number}/" in message.body

    assert approvals_expire(day=datetime.date(2026, 11, 22)) == [last_day.pk]


def test_the_daily_task_expires_yesterdays_requests(team):
    today = store_today(get_store())
    yesterday = request(team, today - datetime.timedelta(days=1))
    request(team, today)

    assert daily_approval_expiry.call() == {"day": today.isoformat(), "expired": 1}
    yesterday.refresh_from_db()
    assert yesterday.status == "expired"
