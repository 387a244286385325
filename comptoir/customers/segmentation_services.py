"""Segmentation runs: the dry run (preview), the run that moves companies (apply), and the
audit trail of group changes (`GroupMove`), whether made by the rules or by hand.

The back office's preview page, `manage.py segment_companies` and the nightly task all call
`segmentation_preview` / `segmentation_apply`, so what the preview lists is what the apply
moves (given the same orders and rules).
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.customers.models import (
    Company,
    CompanyStatus,
    CustomerGroup,
    GroupMove,
    GroupMoveSource,
    SegmentationRule,
)
from comptoir.customers.profiles import company_profiles
from comptoir.customers.segmentation import (
    CompanyProfile,
    Condition,
    Decision,
    Rule,
    active_rules,
    decide,
)

WRITE_CHUNK = 1000


def load_rules() -> tuple[Rule, ...]:
    """Every rule, active or not, by position, with its conditions (two queries)."""
    queryset = (
        SegmentationRule.objects.select_related("group")
        .prefetch_related("conditions")
        .order_by("position")
    )
    return tuple(
        Rule(
            id=rule.pk,
            position=rule.position,
            group_id=rule.group_id,
            group_code=rule.group.code,
            active=rule.active,
            conditions=tuple(
                Condition.parse(condition.field, condition.op, condition.value)
                for condition in rule.conditions.all()
            ),
        )
        for rule in queryset
    )


@dataclass(frozen=True, slots=True)
class PlannedMove:
    company_id: int
    company_code: str
    company_name: str
    from_group_id: int
    to_group_id: int
    rule: Rule | None  # None: no rule matched, the store's default group


@dataclass
class Transition:
    """The companies one rule moves from one group to another."""

    from_group: str
    to_group: str
    count: int = 0
    companies: list[PlannedMove] = field(default_factory=list)

    @property
    def unlisted(self) -> int:
        return self.count - len(self.companies)


@dataclass
class RuleOutcome:
    rule: Rule | None
    moves: int
    transitions: list[Transition]


@dataclass
class SegmentationPlan:
    """What a run would do on `today`: `moves` by company id."""

    today: datetime.date
    rules: tuple[Rule, ...]
    default_group_id: int
    group_codes: dict[int, str]
    moves: list[PlannedMove]
    companies: int
    # Pinned companies that the rules would have put in another group.
    pinned_held: int

    @property
    def fingerprint(self) -> str:
        """Changes when any planned move does: the apply checks the preview it was shown."""
        digest = hashlib.sha256()
        for move in self.moves:
            rule = move.rule.id if move.rule else 0
            digest.update(
                f"{move.company_id}:{move.from_group_id}:{move.to_group_id}:{rule};".encode()
            )
        return digest.hexdigest()[:32]

    def outcomes(self, *, listed: int = 50) -> list[RuleOutcome]:
        """Per active rule (by position, then "no rule matched"), its moves from group to
        group, each with up to `listed` companies (by code)."""
        by_rule: dict[int | None, dict[tuple[int, int], Transition]] = {
            rule.id: {} for rule in active_rules(self.rules)
        }
        by_rule[None] = {}
        for move in self.moves:
            key = (move.from_group_id, move.to_group_id)
            transitions = by_rule[move.rule.id if move.rule else None]
            transition = transitions.get(key)
            if transition is None:
                transition = transitions[key] = Transition(
                    self.group_codes.get(move.from_group_id, "?"),
                    self.group_codes.get(move.to_group_id, "?"),
                )
            transition.count += 1
            transition.companies.append(move)
        rules = {rule.id: rule for rule in self.rules}
        outcomes = []
        for rule_id, transitions in by_rule.items():
            listed_transitions = sorted(
                transitions.values(), key=lambda t: (-t.count, t.from_group, t.to_group)
            )
            for transition in listed_transitions:
                transition.companies = sorted(
                    transition.companies, key=lambda move: move.company_code
                )[:listed]
            outcomes.append(
                RuleOutcome(
                    rule=rules.get(rule_id),
                    moves=sum(t.count for t in listed_transitions),
                    transitions=listed_transitions,
                )
            )
        return outcomes


@dataclass
class SegmentationResult:
    plan: SegmentationPlan
    moved: int
    # Planned moves not made: the company was pinned or moved in the meantime.
    skipped: int


def plan_moves(
    profiles: Iterable[CompanyProfile], rules: tuple[Rule, ...], *, default_group_id: int
) -> tuple[list[PlannedMove], int, int]:
    """(moves, companies seen, pinned companies held) for the profiles, streamed."""
    ordered = active_rules(rules)
    moves, seen, held = [], 0, 0
    for profile in profiles:
        seen += 1
        decision: Decision = decide(profile, ordered, default_group_id=default_group_id)
        if decision.group_id == profile.group_id:
            continue
        if profile.pinned:
            held += 1
            continue
        moves.append(
            PlannedMove(
                profile.company_id,
                profile.code,
                profile.name,
                profile.group_id,
                decision.group_id,
                decision.rule,
            )
        )
    return moves, seen, held


def segmentation_preview(
    *, today: datetime.date | None = None, companies: QuerySet | None = None
) -> SegmentationPlan:
    """The dry run: where the rules would move each approved company (of `companies`, all
    by default) on `today` (the store's today by default). Writes nothing.

    Pending, suspended and rejected companies are left where the merchant put them: they do
    not buy, and a group chosen while approving a request must not be undone overnight.
    """
    store = get_store()
    if today is None:
        today = store_today(store)
    rules = load_rules()
    companies = (Company.objects if companies is None else companies).filter(
        status=CompanyStatus.APPROVED
    )
    profiles = company_profiles(companies, today=today, time_zone=store.time_zone)
    moves, seen, held = plan_moves(profiles, rules, default_group_id=store.default_group_id)
    return SegmentationPlan(
        today=today,
        rules=rules,
        default_group_id=store.default_group_id,
        group_codes=dict(CustomerGroup.objects.values_list("pk", "code")),
        moves=moves,
        companies=seen,
        pinned_held=held,
    )


def segmentation_apply(
    *,
    today: datetime.date | None = None,
    moved_by=None,
    expected_fingerprint: str | None = None,
    companies: QuerySet | None = None,
) -> SegmentationResult:
    """Move the companies as `segmentation_preview` plans and log each move.

    With `expected_fingerprint` (the preview's), refuses with `segmentation_changed` when
    the plan is no longer the one previewed. Each company row is locked, in id order, and
    read again before it moves: one pinned or moved by hand since the plan is left alone
    (counted in `skipped`), and `from_group` is the group it really leaves.
    """
    plan = segmentation_preview(today=today, companies=companies)
    if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
        raise BusinessRuleError(
            "segmentation_changed",
            _("Orders, rules or groups changed since the preview: check the new preview."),
        )
    moved = 0
    now = timezone.now()
    moves = iter(plan.moves)
    with transaction.atomic():
        while chunk := list(islice(moves, WRITE_CHUNK)):
            moved += _apply_chunk(chunk, plan.group_codes, moved_by=moved_by, now=now)
    return SegmentationResult(plan=plan, moved=moved, skipped=len(plan.moves) - moved)


def _apply_chunk(chunk: list[PlannedMove], group_codes: dict, *, moved_by, now) -> int:
    current = {
        pk: (group_id, pinned)
        for pk, group_id, pinned in Company.objects.select_for_update()
        .filter(pk__in=[move.company_id for move in chunk])
        .order_by("pk")
        .values_list("pk", "group_id", "pinned_group")
    }
    by_target = defaultdict(list)
    trail = []
    for move in chunk:
        group_id, pinned = current.get(move.company_id, (move.to_group_id, True))
        if pinned or group_id == move.to_group_id:
            continue
        by_target[move.to_group_id].append(move.company_id)
        trail.append(
            GroupMove(
                company_id=move.company_id,
                from_group_id=group_id,
                from_group_code=group_codes.get(group_id, ""),
                to_group_id=move.to_group_id,
                to_group_code=group_codes.get(move.to_group_id, ""),
                source=GroupMoveSource.RULE,
                rule_id=move.rule.id if move.rule else None,
                rule_description=move.rule.describe() if move.rule else "",
                moved_at=now,
                moved_by=moved_by,
            )
        )
    for group_id, company_ids in by_target.items():
        Company.objects.filter(pk__in=company_ids).update(
            group_id=group_id, updated_at=timezone.now()
        )
    GroupMove.objects.bulk_create(trail)
    return len(trail)


def group_move_record(
    *,
    company: Company,
    from_group: CustomerGroup,
    source: str = GroupMoveSource.MANUAL,
    moved_by=None,
) -> GroupMove | None:
    """Log a change of group made outside the rules (by hand in the back office: the
    company already saved in its new group); None when the group did not change."""
    if from_group.pk == company.group_id:
        return None
    return GroupMove.objects.create(
        company=company,
        from_group=from_group,
        from_group_code=from_group.code,
        to_group=company.group,
        to_group_code=company.group.code,
        source=source,
        moved_by=moved_by,
    )
