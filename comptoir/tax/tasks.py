"""Background tasks of the tax area (Django tasks API, django-tasks backport).

`daily_certificate_reminders` runs the expiry reminders for the store's today and enqueues
its own next run for 06:00 (store time) the next day, so it runs every day once started
(`manage.py schedule_daily_tasks`, then a worker: `manage.py db_worker`).
"""

import datetime
import logging
from dataclasses import asdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.backends.dummy import DummyBackend
from django_tasks_db import DatabaseBackend

from comptoir.core.models import Store
from comptoir.core.selectors import get_store, store_today
from comptoir.tax.services import certificate_reminders

logger = logging.getLogger(__name__)

DAILY_RUN_TIME = datetime.time(6, 0)


@task()
def daily_certificate_reminders() -> dict:
    """Expire and remind for the store's today; then enqueue tomorrow's run, even when this
    one failed or the store is not set up yet, so that one bad day does not stop the chain."""
    try:
        store = get_store()
    except Store.DoesNotExist:
        logger.warning("No store yet: the certificate reminders wait for tomorrow")
        schedule_next_run(daily_certificate_reminders, settings.TIME_ZONE)
        return {}
    try:
        run = certificate_reminders(day=store_today(store))
    finally:
        schedule_next_run(daily_certificate_reminders, store.time_zone)
    return asdict(run)


# What `manage.py schedule_daily_tasks` starts; each task re-enqueues itself.
DAILY_TASKS = (daily_certificate_reminders,)


def next_run_at(time_zone: str) -> datetime.datetime:
    """06:00 tomorrow in the time zone (of the store), as an aware datetime."""
    zone = ZoneInfo(time_zone)
    tomorrow = timezone.now().astimezone(zone).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, DAILY_RUN_TIME, tzinfo=zone)


def schedule_next_run(daily_task, time_zone: str) -> TaskResult | None:
    """Enqueue the task for 06:00 tomorrow, unless a run is already waiting; None when the
    backend cannot run tasks later (the immediate backend)."""
    backend = daily_task.get_backend()
    if not backend.supports_defer:
        logger.warning("Task backend %s cannot defer %s", backend.alias, daily_task.name)
        return None
    if has_run(daily_task, statuses={TaskResultStatus.READY}):
        return None
    return daily_task.using(run_after=next_run_at(time_zone)).enqueue()


def has_run(daily_task, *, statuses: set[TaskResultStatus]) -> bool | None:
    """Whether the backend holds a run of the task in one of the statuses; None when the
    backend cannot be asked (a backend other than the database and dummy ones)."""
    backend = daily_task.get_backend()
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult  # a model: not importable at load

        return DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=daily_task.module_path,
            status__in=[status.value for status in statuses],
        ).exists()
    if isinstance(backend, DummyBackend):
        return any(
            result.task.module_path == daily_task.module_path and result.status in statuses
            for result in backend.results
        )
    return None
