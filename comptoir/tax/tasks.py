"""Background tasks of the tax area (Django tasks API): the daily certificate reminders,
at 06:00 store time (comptoir/core/daily_tasks.py runs and reschedules them)."""

import datetime
from dataclasses import asdict

from django_tasks import task

from comptoir.core.daily_tasks import run_daily
from comptoir.tax.services import certificate_reminders

RUN_AT = datetime.time(6, 0)


@task()
def daily_certificate_reminders() -> dict:
    """Expire and remind for the store's today."""
    return run_daily(
        daily_certificate_reminders, RUN_AT, lambda day: asdict(certificate_reminders(day=day))
    )
