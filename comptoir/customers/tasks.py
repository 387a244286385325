"""Background tasks of the customers area (Django tasks API, django-tasks backport).

`nightly_segmentation` applies the segmentation rules for the store's today and enqueues its
own next run for 02:30 (store time) the next night, so it runs every night once started
(`manage.py segment_companies --schedule` enqueues the first run for the coming 02:30; a
worker runs them: `manage.py db_worker`).
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.backends.dummy import DummyBackend
from django_tasks_db import DatabaseBackend

from comptoir.core.models import Store
from comptoir.core.selectors import get_store, store_today
from comptoir.customers.segmentation_services import segmentation_apply

logger = logging.getLogger(__name__)

NIGHTLY_RUN_TIME = datetime.time(2, 30)


@task()
def nightly_segmentation() -> dict:
    """Move the companies as the rules say for the store's today; then enqueue the next
    night's run, even when this one failed or the store is not set up yet, so that one bad
    night does not stop the chain."""
    try:
        store = get_store()
    except Store.DoesNotExist:
        logger.warning("No store yet: the segmentation waits for the next night")
        schedule_next_run(settings.TIME_ZONE)
        return {}
    try:
        result = segmentation_apply(today=store_today(store))
    finally:
        schedule_next_run(store.time_zone)
    logger.info(
        "Segmentation of %s: %d companies, %d moved",
        result.plan.today,
        result.plan.companies,
        result.moved,
    )
    return {
        "today": result.plan.today.isoformat(),
        "companies": result.plan.companies,
        "moved": result.moved,
        "skipped": result.skipped,
        "pinned_held": result.plan.pinned_held,
    }


# What a scheduler of daily tasks (`manage.py schedule_daily_tasks`) should start; the task
# re-enqueues itself.
DAILY_TASKS = (nightly_segmentation,)


def next_run_at(time_zone: str) -> datetime.datetime:
    """The next 02:30 in the store's time zone, strictly after now (an aware datetime)."""
    zone = ZoneInfo(time_zone)
    now = timezone.now().astimezone(zone)
    run_at = datetime.datetime.combine(now.date(), NIGHTLY_RUN_TIME, tzinfo=zone)
    if run_at <= now:
        run_at = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=1), NIGHTLY_RUN_TIME, tzinfo=zone
        )
    return run_at


def schedule_next_run(time_zone: str) -> TaskResult | None:
    """Enqueue the next night's run, unless one is already waiting; None when the backend
    cannot run tasks later (the immediate backend) or a run is waiting."""
    backend = nightly_segmentation.get_backend()
    if not backend.supports_defer:
        logger.warning("Task backend %s cannot defer %s", backend.alias, nightly_segmentation.name)
        return None
    if is_scheduled(statuses={TaskResultStatus.READY}):
        return None
    return nightly_segmentation.using(run_after=next_run_at(time_zone)).enqueue()


def is_scheduled(*, statuses: set[TaskResultStatus]) -> bool | None:
    """Whether the backend holds a run of the task in one of the statuses; None when the
    backend cannot be asked (a backend other than the database and dummy ones)."""
    backend = nightly_segmentation.get_backend()
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult  # a model: not importable at load

        return DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=nightly_segmentation.module_path,
            status__in=[status.value for status in statuses],
        ).exists()
    if isinstance(backend, DummyBackend):
        return any(
            result.task.module_path == nightly_segmentation.module_path
            and result.status in statuses
            for result in backend.results
        )
    return None
