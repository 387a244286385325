"""The daily run, with fixed dates: reminders 30 and 7 days before expiry, each once, and
approved certificates past their last day marked expired. And the task that runs it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend

from comptoir.tax.models import CertificateStatus
from comptoir.tax.rules import default_expiry, reminder_due
from comptoir.tax.services import ReminderRun, certificate_reminders
from comptoir.tax.tasks import daily_certificate_reminders
from tests.factories import TaxCertificateFactory

EXPIRES_ON = datetime.date(2027, 3, 31)
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def certificate(acme, buyers):
    return TaxCertificateFactory(
        company=acme,
        number="ST-120-31",
        issued_on=datetime.date(2026, 3, 31),
        expires_on=EXPIRES_ON,
    )


def run(day, mailoutbox):
    """The run for `day`, and the subjects it sent (then forgotten)."""
    summary = certificate_reminders(day=day)
    subjects = sorted({message.subject for message in mailoutbox})
    mailoutbox.clear()
    return summary, subjects


SUBJECT = "Quincaillerie Martin & Fils: tax-exemption certificate ST-120-31 expires on 2027-03-31"
# Bob reads French: each buyer gets the reminder in its own language.
SUBJECT_FR = (
    "Quincaillerie Martin & Fils\N{NO-BREAK SPACE}: le certificat d’exonération de TVA "
    "ST-120-31 expire le 2027-03-31"
)
SUBJECTS = sorted([SUBJECT, SUBJECT_FR])


def test_reminders_30_and_7_days_before_expiry_each_once(certificate, mailoutbox):
    assert run(EXPIRES_ON - days(31), mailoutbox) == (ReminderRun(), [])

    summary, subjects = certificate_reminders(day=EXPIRES_ON - days(30)), mailoutbox[:]
    assert summary == ReminderRun(reminded_30_days=1)
    assert sorted(m.to[0] for m in subjects) == ["bob@acme.example", "jane@acme.example"]
    jane = next(m for m in subjects if m.to == ["jane@acme.example"])
    assert jane.subject == SUBJECT
    assert "expires in 30 days, on 2027-03-31" in jane.body
    assert "http://127.0.0.1:8000/account/" in jane.body
    mailoutbox.clear()
    certificate.refresh_from_db()
    assert certificate.reminded_30_days_on == EXPIRES_ON - days(30)

    assert run(EXPIRES_ON - days(30), mailoutbox) == (ReminderRun(), [])  # twice a day
    for day_before in (29, 20, 8):
        assert run(EXPIRES_ON - days(day_before), mailoutbox) == (ReminderRun(), [])

    assert run(EXPIRES_ON - days(7), mailoutbox) == (ReminderRun(reminded_7_days=1), SUBJECTS)
    for day_before in (7, 6, 1, 0):
        assert run(EXPIRES_ON - days(day_before), mailoutbox) == (ReminderRun(), [])
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.APPROVED  # its last day is still valid

    assert run(EXPIRES_ON + days(1), mailoutbox) == (ReminderRun(expired=1), [])
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED
    assert run(EXPIRES_ON + days(2), mailoutbox) == (ReminderRun(), [])


def test_a_missed_day_is_caught_up_the_next_day(certificate, mailoutbox):
    assert run(EXPIRES_ON - days(29), mailoutbox) == (ReminderRun(reminded_30_days=1), SUBJECTS)
    assert run(EXPIRES_ON - days(5), mailoutbox) == (ReminderRun(reminded_7_days=1), SUBJECTS)


def test_within_7_days_only_the_7_day_reminder_goes_out(certificate, mailoutbox):
    assert run(EXPIRES_ON - days(7), mailoutbox) == (ReminderRun(reminded_7_days=1), SUBJECTS)
    assert len(run(EXPIRES_ON - days(6), mailoutbox)[1]) == 0
    certificate.refresh_from_db()
    assert certificate.reminded_30_days_on is None


def test_a_corrected_expiry_date_gets_its_own_reminders(certificate, mailoutbox):
    run(EXPIRES_ON - days(30), mailoutbox)
    certificate.expires_on = default_expiry(EXPIRES_ON)
    certificate.save()
    assert run(EXPIRES_ON - days(7), mailoutbox) == (ReminderRun(), [])
    assert run(certificate.expires_on - days(30), mailoutbox)[0] == ReminderRun(reminded_30_days=1)


def test_the_last_day_reminder_says_today(certificate, mailoutbox):
    certificate_reminders(day=EXPIRES_ON)
    jane, bob = sorted(mailoutbox, key=lambda message: message.to[0], reverse=True)
    assert "ST-120-31 of Acme Supply Inc. expires today." in jane.body
    assert "ST-120-31 de Acme Supply Inc. expire aujourd’hui." in bob.body


@pytest.mark.parametrize("status", ["pending", "rejected", "expired"])
def test_only_approved_certificates_are_reminded(acme, buyers, mailoutbox, status):
    TaxCertificateFactory(
        company=acme, issued_on=datetime.date(2026, 3, 31), expires_on=EXPIRES_ON, status=status
    )
    assert run(EXPIRES_ON - days(30), mailoutbox) == (ReminderRun(), [])


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_no_reminder_once_a_later_certificate_was_sent(certificate, mailoutbox, status):
    TaxCertificateFactory(
        company=certificate.company,
        number="ST-120-32",
        issued_on=EXPIRES_ON - days(20),
        expires_on=default_expiry(EXPIRES_ON - days(20)),
        status=status,
    )
    assert run(EXPIRES_ON - days(7), mailoutbox) == (ReminderRun(), [])


def test_a_later_certificate_for_another_state_does_not_count(certificate, mailoutbox):
    TaxCertificateFactory(
        company=certificate.company,
        number="NJ-1",
        region="NJ",
        issued_on=EXPIRES_ON - days(20),
        expires_on=default_expiry(EXPIRES_ON - days(20)),
    )
    assert run(EXPIRES_ON - days(7), mailoutbox)[0] == ReminderRun(reminded_7_days=1)


def test_a_reminder_that_could_not_be_sent_is_tried_again(certificate, mailoutbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    assert certificate_reminders(day=EXPIRES_ON - days(30)) == ReminderRun(failed=1)
    certificate.refresh_from_db()
    assert certificate.reminded_30_days_on is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(EXPIRES_ON - days(29), mailoutbox) == (ReminderRun(reminded_30_days=1), SUBJECTS)


def test_reminder_rule_with_literal_dates():
    due = {
        offset: reminder_due(
            day=EXPIRES_ON - days(offset),
            expires_on=EXPIRES_ON,
            reminded_30_days_on=None,
            reminded_7_days_on=None,
        )
        for offset in (-1, 0, 7, 8, 30, 31)
    }
    assert due == {-1: None, 0: 7, 7: 7, 8: 30, 30: 30, 31: None}
    assert default_expiry(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


# The task


def is_the_next_six_in_paris(run_after) -> bool:
    """The next 06:00 of the store's day (Europe/Paris) after now: later today when the run
    happens between midnight and six, tomorrow otherwise (core/daily_tasks.next_run_at)."""
    now = timezone.now()
    local = run_after.astimezone(ZoneInfo("Europe/Paris"))
    return local.time() == datetime.time(6, 0) and now < run_after <= now + days(1)


def test_the_task_runs_the_reminders_and_enqueues_itself_for_the_next_six(
    settings, store, today, acme, buyers, mailoutbox
):
    settings.TASKS = DUMMY
    TaxCertificateFactory(
        company=acme, issued_on=today - days(300), expires_on=today + days(30), number="DUE"
    )

    result = daily_certificate_reminders.call()

    assert result == {"reminded_30_days": 1, "reminded_7_days": 0, "expired": 0, "failed": 0}
    assert len(mailoutbox) == 2
    [queued] = default_task_backend.results
    assert queued.task.module_path == "comptoir.tax.tasks.daily_certificate_reminders"
    assert queued.status == TaskResultStatus.READY
    assert is_the_next_six_in_paris(queued.task.run_after)

    daily_certificate_reminders.call()  # tomorrow's run is already waiting: no second one
    assert len(default_task_backend.results) == 1
    assert len(mailoutbox) == 2


def test_the_chain_goes_on_while_the_store_is_not_set_up(settings, db):
    settings.TASKS = DUMMY
    assert daily_certificate_reminders.call() == {}
    [queued] = default_task_backend.results
    assert is_the_next_six_in_paris(queued.task.run_after)


def test_the_immediate_backend_runs_it_once(settings, store):
    settings.TASKS = IMMEDIATE
    result = daily_certificate_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["expired"] == 0


def test_schedule_daily_tasks_enqueues_the_first_run_once(settings, store, capsys):
    settings.TASKS = DUMMY
    call_command("schedule_daily_tasks")
    call_command("schedule_daily_tasks")
    [queued] = [
        result
        for result in default_task_backend.results
        if result.task.module_path == daily_certificate_reminders.module_path
    ]
    assert queued.task.run_after is None  # runs as soon as a worker is there
    assert "already scheduled" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_chain(store, today, acme, buyers, mailoutbox, settings):
    """The default backend end to end: the command enqueues a run, the worker runs it, and
    the run leaves tomorrow's waiting in the database."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    TaxCertificateFactory(
        company=acme, issued_on=today - days(360), expires_on=today + days(5), number="SOON"
    )
    TaxCertificateFactory(
        company=acme, issued_on=today - days(400), expires_on=today - days(1), number="OLD"
    )
    call_command("schedule_daily_tasks")
    call_command("schedule_daily_tasks")
    runs = DBTaskResult.objects.filter(task_path=daily_certificate_reminders.module_path)
    assert runs.count() == 1

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()

    done, waiting = runs.order_by("enqueued_at")
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {
        "reminded_30_days": 0,
        "reminded_7_days": 1,
        "expired": 1,
        "failed": 0,
    }
    assert len(mailoutbox) == 2
    assert waiting.status == TaskResultStatus.READY
    assert is_the_next_six_in_paris(waiting.run_after)
    call_command("schedule_daily_tasks")
    assert runs.count() == 2
