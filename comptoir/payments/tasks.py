"""Background tasks of the payments area (Django tasks API, django-tasks backport).

`daily_overdue_invoices` marks the invoices past their due date overdue for the store's
today and enqueues its own next run for 06:00 (store time) the next day, as the tax area's
daily task does (`manage.py schedule_daily_tasks` starts both; `manage.py db_worker` runs
them). Whether a company with an overdue invoice keeps invoice terms is the store's
`block_overdue_invoice_terms`, read at checkout (payments/selectors.py `credit_of`).
"""

import logging

from django.conf import settings
from django_tasks import task

from comptoir.core.models import Store
from comptoir.core.selectors import get_store, store_today
from comptoir.payments.invoicing import invoices_mark_overdue
from comptoir.tax.tasks import schedule_next_run

logger = logging.getLogger(__name__)


@task()
def daily_overdue_invoices() -> dict:
    """Mark overdue for the store's today; then enqueue tomorrow's run, even when this one
    failed or the store is not set up yet, so that one bad day does not stop the chain."""
    try:
        store = get_store()
    except Store.DoesNotExist:
        logger.warning("No store yet: the overdue invoices wait for tomorrow")
        schedule_next_run(daily_overdue_invoices, settings.TIME_ZONE)
        return {}
    try:
        day = store_today(store)
        marked = invoices_mark_overdue(day=day)
    finally:
        schedule_next_run(daily_overdue_invoices, store.time_zone)
    logger.info("Invoices overdue on %s: %d newly marked", day, marked)
    return {"day": day.isoformat(), "marked_overdue": marked}


# What `manage.py schedule_daily_tasks` starts; the task re-enqueues itself.
DAILY_TASKS = (daily_overdue_invoices,)
