"""Preview and apply of the segmentation rules, the audit trail, the command and the task."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comptoir.core.daily_tasks import next_run_at
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Company, CompanyStatus, GroupMove, GroupMoveSource
from comptoir.customers.segmentation_services import (
    group_move_record,
    segmentation_apply,
    segmentation_preview,
)
from comptoir.customers.tasks import RUN_AT, nightly_segmentation
from tests.factories import (
    CompanyFactory,
    CustomerGroupFactory,
    SegmentationConditionFactory,
    SegmentationRuleFactory,
    StaffUserFactory,
)

from .conftest import PARIS, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(history):
    """An inactive catch-all first, big buyers to WHOLESALE, then any buyer to PRO."""
    key_accounts = CustomerGroupFactory(code="KEY-ACCOUNTS", name="Key accounts")
    SegmentationRuleFactory(position=5, group=key_accounts, active=False)
    big = SegmentationRuleFactory(position=10, group=history.wholesale)
    SegmentationConditionFactory(rule=big, field="order_volume_12m", op=">=", value="1000")
    buyers = SegmentationRuleFactory(position=20, group=history.pro)
    SegmentationConditionFactory(rule=buyers, field="order_count_12m", op=">=", value="1")
    return big, buyers


def groups():
    return dict(Company.objects.values_list("code", "group__code"))


def test_preview_lists_the_moves_by_rule_and_writes_nothing(history, rules):
    before = groups()
    plan = segmentation_preview(today=TODAY)
    assert groups() == before
    assert not GroupMove.objects.exists()
    assert plan.companies == 5
    # PINNED (PRO) would go to WHOLESALE, but it is pinned.
    assert plan.pinned_held == 1
    assert [(m.company_code, m.rule.position if m.rule else None) for m in plan.moves] == [
        ("REGULAR", 10),  # RETAIL → WHOLESALE: 1,419.40 over 12 months
        ("NEWCOMER", None),  # PRO → RETAIL: no order, no rule
        ("DORMANT", None),  # WHOLESALE → RETAIL: its last order is 400 days old
    ]
    outcomes = plan.outcomes()
    summary = [
        (
            outcome.rule.position if outcome.rule else None,
            outcome.moves,
            [
                (t.from_group, t.to_group, t.count, [m.company_code for m in t.companies])
                for t in outcome.transitions
            ],
        )
        for outcome in outcomes
    ]
    assert summary == [
        (10, 1, [("RETAIL", "WHOLESALE", 1, ["REGULAR"])]),
        (20, 0, []),  # SINGLE is in PRO already
        (None, 2, [("PRO", "RETAIL", 1, ["NEWCOMER"]), ("WHOLESALE", "RETAIL", 1, ["DORMANT"])]),
    ]


def test_apply_moves_what_the_preview_listed_and_logs_each_move(history, rules):
    big, _ = rules
    plan = segmentation_preview(today=TODAY)
    staff = StaffUserFactory()
    result = segmentation_apply(today=TODAY, moved_by=staff, expected_fingerprint=plan.fingerprint)
    assert (result.moved, result.skipped) == (3, 0)
    assert [(m.company_id, m.to_group_id) for m in result.plan.moves] == [
        (m.company_id, m.to_group_id) for m in plan.moves
    ]
    assert groups() == {
        "REGULAR": "WHOLESALE",
        "SINGLE": "PRO",
        "NEWCOMER": "RETAIL",
        "DORMANT": "RETAIL",
        "PINNED": "PRO",
    }
    trail = {
        move.company.code: move
        for move in GroupMove.objects.select_related("company", "from_group", "to_group")
    }
    assert set(trail) == {"REGULAR", "NEWCOMER", "DORMANT"}
    regular = trail["REGULAR"]
    assert (regular.from_group.code, regular.to_group.code) == ("RETAIL", "WHOLESALE")
    assert (regular.from_group_code, regular.to_group_code) == ("RETAIL", "WHOLESALE")
    assert regular.source == GroupMoveSource.RULE
    assert regular.rule == big
    assert regular.rule_description == "#10 → WHOLESALE: order_volume_12m >= 1000"
    assert regular.moved_by == staff
    assert regular.moved_at is not None
    newcomer = trail["NEWCOMER"]
    assert (newcomer.from_group_code, newcomer.to_group_code) == ("PRO", "RETAIL")
    assert (newcomer.rule, newcomer.rule_description) == (None, "")


def test_applying_twice_moves_nobody_the_second_time(history, rules):
    assert segmentation_apply(today=TODAY).moved == 3
    again = segmentation_apply(today=TODAY)
    assert (again.moved, len(again.plan.moves)) == (0, 0)
    assert GroupMove.objects.count() == 3


def test_a_pinned_company_is_never_moved(history, rules):
    segmentation_apply(today=TODAY)
    history.pinned.refresh_from_db()
    assert history.pinned.group == history.pro
    assert not GroupMove.objects.filter(company=history.pinned).exists()
    # Unpinned, it follows the rules.
    Company.objects.filter(pk=history.pinned.pk).update(pinned_group=False)
    assert segmentation_apply(today=TODAY).moved == 1
    history.pinned.refresh_from_db()
    assert history.pinned.group == history.wholesale


def test_an_outdated_preview_is_refused_and_nothing_moves(history, rules):
    plan = segmentation_preview(today=TODAY)
    Company.objects.filter(code="NEWCOMER").update(pinned_group=True)
    with pytest.raises(BusinessRuleError) as refusal:
        segmentation_apply(today=TODAY, expected_fingerprint=plan.fingerprint)
    assert refusal.value.code == "segmentation_changed"
    assert not GroupMove.objects.exists()
    assert groups()["REGULAR"] == "RETAIL"


def test_companies_that_are_not_approved_are_left_alone(history, rules):
    Company.objects.filter(code="NEWCOMER").update(status=CompanyStatus.PENDING)
    Company.objects.filter(code="DORMANT").update(status=CompanyStatus.SUSPENDED)
    Company.objects.filter(code="SINGLE").update(status=CompanyStatus.REJECTED)
    plan = segmentation_preview(today=TODAY)
    assert plan.companies == 2
    assert [move.company_code for move in plan.moves] == ["REGULAR"]
    segmentation_apply(today=TODAY)
    assert groups() == {
        "REGULAR": "WHOLESALE",
        "SINGLE": "PRO",
        "NEWCOMER": "PRO",
        "DORMANT": "WHOLESALE",
        "PINNED": "PRO",
    }


def test_without_rules_every_company_goes_to_the_default_group(history):
    result = segmentation_apply(today=TODAY)
    assert result.moved == 3  # SINGLE, NEWCOMER, DORMANT; PINNED stays, REGULAR is there
    assert set(groups().values()) == {"RETAIL", "PRO"}
    assert groups()["PINNED"] == "PRO"


def test_rule_order_decides_between_two_matching_rules(history, rules):
    big, buyers = rules
    big.position, buyers.position = 30, 20
    big.save()
    buyers.save()
    segmentation_apply(today=TODAY)
    assert groups()["REGULAR"] == "PRO"  # rule 20 matches first now


def test_a_manual_change_is_logged(history):
    staff = StaffUserFactory()
    company = history.single
    company.group = history.wholesale
    company.save()
    move = group_move_record(company=company, from_group=history.pro, moved_by=staff)
    assert (move.from_group_code, move.to_group_code, move.source) == ("PRO", "WHOLESALE", "manual")
    assert move.moved_by == staff
    assert group_move_record(company=company, from_group=history.wholesale) is None


# The management command


def test_command_dry_run_changes_nothing(history, rules):
    out = StringIO()
    call_command("segment_companies", "--dry-run", "--date", "2026-06-30", stdout=out)
    text = out.getvalue()
    assert "Profiles to 2026-06-30: 5 approved companies, 1 pinned held." in text
    assert "#10 → WHOLESALE: order_volume_12m >= 1000: 1" in text
    assert "  RETAIL → WHOLESALE: 1" in text
    assert "Dry run: 3 companies would move." in text
    assert groups()["REGULAR"] == "RETAIL"
    assert not GroupMove.objects.exists()


def test_command_applies(history, rules):
    out = StringIO()
    call_command("segment_companies", "--date", "2026-06-30", stdout=out)
    assert "3 companies moved." in out.getvalue()
    assert groups()["REGULAR"] == "WHOLESALE"
    assert GroupMove.objects.filter(moved_by=None).count() == 3


@pytest.mark.parametrize("date", ["30/06/2026", "2026-02-30", "20260630"])
def test_command_refuses_a_bad_date(store, date):
    with pytest.raises(CommandError, match="is not a date"):
        call_command("segment_companies", "--dry-run", "--date", date)


# The nightly task, on the database backend of the settings (the tests run tasks at once)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_schedule_enqueues_one_nightly_run(store, database_tasks):
    out = StringIO()
    call_command("segment_companies", "--schedule", stdout=out)
    assert "Nightly segmentation enqueued for" in out.getvalue()
    waiting = DBTaskResult.objects.get(task_path="comptoir.customers.tasks.nightly_segmentation")
    assert waiting.status == TaskResultStatus.READY
    assert waiting.run_after == next_run_at(store.time_zone, RUN_AT)
    local = waiting.run_after.astimezone(PARIS)
    assert (local.hour, local.minute) == (2, 30)
    out = StringIO()
    call_command("segment_companies", "--schedule", stdout=out)
    assert "already scheduled" in out.getvalue()
    assert DBTaskResult.objects.count() == 1


def test_schedule_needs_a_backend_that_can_run_tasks_later(store):
    with pytest.raises(CommandError, match="cannot run tasks later"):
        call_command("segment_companies", "--schedule", stdout=StringIO())


def test_the_nightly_run_applies_the_rules_and_enqueues_the_next(store, database_tasks):
    stray = CompanyFactory(code="STRAY", group=CustomerGroupFactory(code="PRO"))
    report = nightly_segmentation.call()
    assert report["moved"] == 1
    assert report["companies"] == 1
    stray.refresh_from_db()
    assert stray.group == store.default_group
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.task_path == "comptoir.customers.tasks.nightly_segmentation"
    # A second run does not enqueue a second next run.
    nightly_segmentation.call()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_without_a_store_the_nightly_run_waits_for_the_next_night(db, database_tasks):
    assert nightly_segmentation.call() == {}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
