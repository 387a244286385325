"""Background tasks of the payments area (Django tasks API): invoices past their due date
are marked overdue every day at 06:00 store time (comptoir/core/daily_tasks.py runs and
reschedules it). Whether a company with an overdue invoice keeps invoice terms is the
store's `block_overdue_invoice_terms`, read at checkout (payments/selectors.py `credit_of`).
"""

import datetime
import logging

from django_tasks import task

from comptoir.core.daily_tasks import run_daily
from comptoir.payments.invoicing import invoices_mark_overdue

logger = logging.getLogger(__name__)
RUN_AT = datetime.time(6, 0)


def _mark_overdue(day: datetime.date) -> dict:
    marked = invoices_mark_overdue(day=day)
    logger.info("Invoices overdue on %s: %d newly marked", day, marked)
    return {"day": day.isoformat(), "marked_overdue": marked}


@task()
def daily_overdue_invoices() -> dict:
    return run_daily(daily_overdue_invoices, RUN_AT, _mark_overdue)
