"""Background tasks of approvals (Django tasks API): e-mails after each step, and the daily
expiry of requests past their `valid_until` (comptoir/core/daily_tasks.py runs and
reschedules it)."""

import datetime
import logging

from django_tasks import task

from comptoir.approvals import notifications
from comptoir.core.daily_tasks import run_daily

logger = logging.getLogger(__name__)
EXPIRY_AT = datetime.time(0, 30)


@task()
def notify_approvers(approval_id: int) -> None:
    """E-mail the approvers of the level a request now waits for."""
    notifications.approval_submitted(approval_id)


@task()
def notify_decision(event_id: int) -> None:
    """E-mail whom a step of the trail concerns: rejected, ordered, not ordered, expired."""
    notifications.approval_decided(event_id)


def _expire(day: datetime.date) -> dict:
    from comptoir.approvals.services import approvals_expire  # services enqueue these tasks

    expired = approvals_expire(day=day)
    logger.info("Approval requests expired on %s: %d", day, len(expired))
    return {"day": day.isoformat(), "expired": len(expired)}


@task()
def daily_approval_expiry() -> dict:
    return run_daily(daily_approval_expiry, EXPIRY_AT, _expire)
