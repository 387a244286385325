"""Daily background jobs on the Django tasks API: each run does its day's work for the
store's today, then enqueues the next run for its hour tomorrow (store time), even when
this run failed or the store is not set up yet, so that one bad day never stops the chain.

The jobs are named in the `RECURRING_TASKS` setting (daily ones, and the few that run every
few minutes with `run_every`); `manage.py schedule_daily_tasks` starts them once, and a
worker (`make worker`) runs them.
"""

import datetime
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.dummy import DummyBackend
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from comptoir.core.models import Store
from comptoir.core.selectors import get_store, store_today

logger = logging.getLogger(__name__)

WAITING = {TaskResultStatus.READY}
WAITING_OR_RUNNING = {TaskResultStatus.READY, TaskResultStatus.RUNNING}


def run_daily(daily_task: Task, at: datetime.time, job: Callable[[datetime.date], dict]) -> dict:
    """Run `job` for the store's today, then schedule `daily_task` for `at` tomorrow."""
    try:
        store = get_store()
    except Store.DoesNotExist:
        logger.warning("No store yet: %s waits for its next run", daily_task.name)
        schedule_next_run(daily_task, settings.TIME_ZONE, at)
        return {}
    try:
        return job(store_today(store))
    finally:
        schedule_next_run(daily_task, store.time_zone, at)


def run_every(recurring_task: Task, interval: datetime.timedelta, job: Callable[[], dict]) -> dict:
    """Run `job`, then schedule `recurring_task` again `interval` later (even on failure)."""
    try:
        return job()
    finally:
        backend = recurring_task.get_backend()
        if backend.supports_defer and not has_run(recurring_task, statuses=WAITING):
            recurring_task.using(run_after=timezone.now() + interval).enqueue()


def next_run_at(time_zone: str, at: datetime.time) -> datetime.datetime:
    """The next `at` in the time zone strictly after now, as an aware datetime."""
    zone = ZoneInfo(time_zone)
    now = timezone.now().astimezone(zone)
    run_at = datetime.datetime.combine(now.date(), at, tzinfo=zone)
    if run_at <= now:
        run_at = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), at, tzinfo=zone)
    return run_at


def schedule_next_run(daily_task: Task, time_zone: str, at: datetime.time) -> TaskResult | None:
    """Enqueue the task's next run unless one is already waiting; None when the backend
    cannot run tasks later (the immediate backend) or a run is waiting."""
    backend = daily_task.get_backend()
    if not backend.supports_defer:
        logger.warning("Task backend %s cannot defer %s", backend.alias, daily_task.name)
        return None
    if has_run(daily_task, statuses=WAITING):
        return None
    return daily_task.using(run_after=next_run_at(time_zone, at)).enqueue()


def has_run(daily_task: Task, *, statuses: set[TaskResultStatus]) -> bool | None:
    """Whether the backend holds a run of the task in one of the statuses; None when the
    backend cannot be asked (the RQ backend keeps no queryable history)."""
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


def recurring_tasks() -> list[Task]:
    return [import_string(path) for path in settings.RECURRING_TASKS]
