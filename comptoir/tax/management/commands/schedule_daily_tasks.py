"""Start the daily background tasks: each is enqueued to run now unless a run is already
waiting or running, and then re-enqueues itself for 06:00 (store time) every day.
A worker runs them: `manage.py db_worker` with the default database backend."""

from django.core.management.base import BaseCommand
from django_tasks import TaskResultStatus

from comptoir.payments import tasks as payment_tasks
from comptoir.tax import tasks as tax_tasks
from comptoir.tax.tasks import has_run

# Every area's self-rescheduling daily tasks.
DAILY_TASKS = (*tax_tasks.DAILY_TASKS, *payment_tasks.DAILY_TASKS)


class Command(BaseCommand):
    help = (
        "Enqueue the first run of each daily task (tax-certificate reminders, overdue "
        "invoices) unless one is "
        "already waiting or running; each run enqueues the next, at 06:00 store time."
    )

    def handle(self, *args, **options):
        for daily_task in DAILY_TASKS:
            pending = has_run(
                daily_task, statuses={TaskResultStatus.READY, TaskResultStatus.RUNNING}
            )
            if pending:
                self.stdout.write(f"{daily_task.name}: already scheduled")
                continue
            if pending is None:
                self.stderr.write(
                    f"{daily_task.name}: this task backend cannot tell what is scheduled; "
                    "enqueued anyway"
                )
            result = daily_task.enqueue()
            self.stdout.write(self.style.SUCCESS(f"{daily_task.name}: enqueued ({result.id})"))
