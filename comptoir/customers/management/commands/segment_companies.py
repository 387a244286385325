"""Apply the segmentation rules now (or show what they would do, with --dry-run)."""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.core.daily_tasks import WAITING_OR_RUNNING, has_run, schedule_next_run
from comptoir.core.selectors import get_store
from comptoir.customers.segmentation_services import (
    SegmentationPlan,
    segmentation_apply,
    segmentation_preview,
)
from comptoir.customers.tasks import RUN_AT, nightly_segmentation

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class Command(BaseCommand):
    help = _(
        "Move approved companies to the customer group their profile calls for, by the "
        "segmentation rules (pinned companies stay), and log each move. --dry-run only lists "
        "the moves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("list the moves, change nothing")
        )
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=_("the day the 12 months end on (default: the store's today)"),
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help=_(
                "enqueue the nightly background run for the coming 02:30 (store time; each "
                "run enqueues the next) unless one is already waiting, and do nothing else"
            ),
        )

    def handle(self, *args, dry_run=False, date=None, schedule=False, **options):
        if schedule:
            return self._schedule()
        today = self._date(date) if date else None
        if dry_run:
            plan = segmentation_preview(today=today)
            self._report(plan)
            self.stdout.write(
                ngettext(
                    "Dry run: %(count)d company would move.",
                    "Dry run: %(count)d companies would move.",
                    len(plan.moves),
                )
                % {"count": len(plan.moves)}
            )
            return None
        result = segmentation_apply(today=today)
        self._report(result.plan)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("%(count)d company moved.", "%(count)d companies moved.", result.moved)
                % {"count": result.moved}
            )
        )
        if result.skipped:
            self.stdout.write(
                _("%(count)d left alone: pinned or moved by hand during the run.")
                % {"count": result.skipped}
            )
        return None

    def _date(self, text: str) -> datetime.date:
        try:
            if not DATE_RE.fullmatch(text):
                raise ValueError(text)
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                _("--date: “%(value)s” is not a date; write it YYYY-MM-DD (e.g. 2026-03-31).")
                % {"value": text}
            ) from None

    def _report(self, plan: SegmentationPlan) -> None:
        self.stdout.write(
            _("Profiles to %(today)s: %(companies)d approved companies, %(pinned)d pinned held.")
            % {
                "today": plan.today.isoformat(),
                "companies": plan.companies,
                "pinned": plan.pinned_held,
            }
        )
        for outcome in plan.outcomes(listed=0):
            if outcome.rule is None:
                title = _("No rule matched (store's default group)")
            else:
                title = outcome.rule.describe()
            self.stdout.write(f"{title}: {outcome.moves}")
            for transition in outcome.transitions:
                self.stdout.write(
                    f"  {transition.from_group} → {transition.to_group}: {transition.count}"
                )

    def _schedule(self) -> None:
        pending = has_run(nightly_segmentation, statuses=WAITING_OR_RUNNING)
        if pending:
            self.stdout.write(_("The nightly segmentation is already scheduled."))
            return
        if pending is None:
            self.stderr.write(
                _("This task backend cannot tell what is scheduled; enqueued anyway.")
            )
        result = schedule_next_run(nightly_segmentation, get_store().time_zone, RUN_AT)
        if result is None:
            raise CommandError(
                _("The task backend cannot run tasks later: configure one that can (TASKS).")
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Nightly segmentation enqueued for %(when)s (%(id)s).")
                % {"when": result.task.run_after.isoformat(), "id": result.id}
            )
        )
