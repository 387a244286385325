"""Background tasks of the customers area (Django tasks API): the segmentation rules are
applied every night at 02:30 store time (comptoir/core/daily_tasks.py runs and reschedules
it; `manage.py segment_companies --schedule` or `schedule_daily_tasks` starts it)."""

import datetime
import logging

from django_tasks import task

from comptoir.core.daily_tasks import run_daily
from comptoir.customers.segmentation_services import segmentation_apply

logger = logging.getLogger(__name__)
RUN_AT = datetime.time(2, 30)


def _segment(day: datetime.date) -> dict:
    result = segmentation_apply(today=day)
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


@task()
def nightly_segmentation() -> dict:
    """Move the companies as the rules say for the store's today."""
    return run_daily(nightly_segmentation, RUN_AT, _segment)
