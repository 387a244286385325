"""Background tasks of quotes: quotes past their last valid day expire every day at 00:30
store time (comptoir/core/daily_tasks.py runs and reschedules it)."""

import datetime
import logging

from django_tasks import task

from comptoir.core.daily_tasks import run_daily
from comptoir.quotes.services import quotes_expire

logger = logging.getLogger(__name__)
RUN_AT = datetime.time(0, 30)


def _expire(day: datetime.date) -> dict:
    expired = quotes_expire(day=day)
    logger.info("Quotes expired on %s: %d", day, expired)
    return {"day": day.isoformat(), "expired": expired}


@task()
def daily_quote_expiry() -> dict:
    return run_daily(daily_quote_expiry, RUN_AT, _expire)
