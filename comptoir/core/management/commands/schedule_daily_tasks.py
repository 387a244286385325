"""Start the recurring background tasks of the RECURRING_TASKS setting: each is enqueued to run now
unless a run is already waiting or running, and then re-enqueues itself every day.
A worker runs them (`make worker`)."""

from django.core.management.base import BaseCommand

from comptoir.core.daily_tasks import WAITING_OR_RUNNING, has_run, recurring_tasks


class Command(BaseCommand):
    help = (
        "Enqueue the first run of each recurring task (certificate reminders, overdue "
        "invoices, segmentation, unsent order confirmations) unless one is already waiting "
        "or running; each run enqueues the next."
    )

    def handle(self, *args, **options):
        for daily_task in recurring_tasks():
            pending = has_run(daily_task, statuses=WAITING_OR_RUNNING)
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
