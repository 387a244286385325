"""Approval rules with literal cases: each condition, levels, and self-approval."""

from decimal import Decimal

import pytest

from comptoir.approvals.rules import (
    BUDGET_EXCEEDED,
    CONTAINS_CATEGORY,
    CONTAINS_PRODUCT,
    LOCATION,
    NOT_AN_APPROVER,
    NOT_YOUR_LEVEL,
    PAYMENT_METHOD,
    REQUESTER,
    REQUESTER_ROLE,
    SELF_APPROVAL,
    SHIPPING_METHOD,
    TOTAL_ABOVE,
    Condition,
    OrderFacts,
    Progress,
    Rule,
    approval_levels,
    approve,
    decision_refusal,
    is_complete,
)

ORDER = OrderFacts(
    total=Decimal("1240.00"),
    skus=frozenset({"SCR-100", "GLV-12"}),
    categories=frozenset({"wood-screws", "fasteners", "ppe"}),
    payment_method="INVOICE30",
    shipping_method="STD",
    requester_id=7,
    requester_role="requester",
    location="LYON",
)


@pytest.mark.parametrize(
    ("condition", "matches"),
    [
        (Condition(TOTAL_ABOVE, amount=Decimal("1000.00")), True),
        (Condition(TOTAL_ABOVE, amount=Decimal("1240.00")), False),  # strictly above
        (Condition(CONTAINS_CATEGORY, frozenset({"FASTENERS"})), True),  # an ancestor, any case
        (Condition(CONTAINS_CATEGORY, frozenset({"cleaning"})), False),
        (Condition(CONTAINS_PRODUCT, frozenset({"glv-12", "X"})), True),
        (Condition(CONTAINS_PRODUCT, frozenset({"DRL-1"})), False),
        (Condition(PAYMENT_METHOD, frozenset({"INVOICE30"})), True),
        (Condition(PAYMENT_METHOD, frozenset({"TRANSFER"})), False),
        (Condition(SHIPPING_METHOD, frozenset({"EXPRESS"})), False),
        (Condition(SHIPPING_METHOD, frozenset({"std"})), True),
        (Condition(REQUESTER_ROLE, frozenset({"requester"})), True),
        (Condition(REQUESTER_ROLE, frozenset({"buyer"})), False),
        (Condition(REQUESTER, frozenset({"7"})), True),
        (Condition(REQUESTER, frozenset({"8"})), False),
        (Condition(LOCATION, frozenset({"LYON"})), True),
        (Condition(LOCATION, frozenset({"NANTES"})), False),
        (Condition(BUDGET_EXCEEDED), False),
    ],
)
def test_each_condition(condition, matches):
    assert condition.holds(ORDER) is matches


def test_the_budget_condition_holds_when_the_budget_is_exceeded():
    over = OrderFacts(**{**ORDER.__dict__, "budget_exceeded": True})
    assert Condition(BUDGET_EXCEEDED).holds(over)


def test_an_order_without_a_location_matches_no_location_rule():
    anywhere = OrderFacts(**{**ORDER.__dict__, "location": None})
    assert not Condition(LOCATION, frozenset({"LYON"})).holds(anywhere)


def test_an_unknown_condition_is_refused():
    with pytest.raises(ValueError, match="colour"):
        Condition("colour")


def test_all_conditions_of_a_rule_must_hold():
    rule = Rule(
        1,
        "Big orders on invoice",
        1,
        (
            Condition(TOTAL_ABOVE, amount=Decimal("1000.00")),
            Condition(PAYMENT_METHOD, frozenset({"TRANSFER"})),
        ),
        approver_roles=frozenset({"approver"}),
    )
    assert not rule.matches(ORDER)
    assert Rule(2, "Everything", 1, ()).matches(ORDER)


ABOVE_1000 = Rule(
    1,
    "Above 1,000",
    1,
    (Condition(TOTAL_ABOVE, amount=Decimal("1000.00")),),
    approver_roles=frozenset({"approver"}),
)
PPE = Rule(
    2,
    "Safety gear",
    1,
    (Condition(CONTAINS_CATEGORY, frozenset({"ppe"})),),
    approver_ids=frozenset({11}),
)
FINANCE = Rule(
    3,
    "Invoice terms",
    2,
    (Condition(PAYMENT_METHOD, frozenset({"INVOICE30"})),),
    approver_ids=frozenset({12}),
)
NANTES = Rule(
    4, "Nantes", 1, (Condition(LOCATION, frozenset({"NANTES"})),), approver_ids=frozenset({13})
)


def test_every_matching_rule_applies_level_by_level():
    levels = approval_levels([FINANCE, NANTES, PPE, ABOVE_1000], ORDER)
    assert [(level.number, [rule.id for rule in level.rules]) for level in levels] == [
        (1, [1, 2]),
        (2, [3]),
    ]
    assert approval_levels([NANTES], ORDER) == []


def test_level_two_waits_for_every_rule_of_level_one():
    levels = approval_levels([ABOVE_1000, PPE, FINANCE], ORDER)
    progress = Progress()
    assert decision_refusal(levels, progress, user_id=12, role="buyer", requester_id=7) == (
        NOT_YOUR_LEVEL
    )
    assert decision_refusal(levels, progress, user_id=5, role="approver", requester_id=7) is None
    progress = approve(levels, progress, user_id=5, role="approver")
    assert progress.approved == {1}
    assert progress.current(levels).number == 1  # the safety-gear rule still waits
    progress = approve(levels, progress, user_id=11, role="buyer")
    assert progress.current(levels).number == 2
    assert decision_refusal(levels, progress, user_id=12, role="buyer", requester_id=7) is None
    progress = approve(levels, progress, user_id=12, role="buyer")
    assert is_complete(levels, progress)


def test_one_approver_named_by_two_rules_of_a_level_approves_both():
    both = Rule(5, "Also approvers", 1, (), approver_roles=frozenset({"approver"}))
    levels = approval_levels([ABOVE_1000, both], ORDER)
    progress = approve(levels, Progress(), user_id=5, role="approver")
    assert is_complete(levels, progress)


def test_the_requester_never_approves_their_own_request():
    levels = approval_levels([ABOVE_1000], ORDER)
    assert (
        decision_refusal(levels, Progress(), user_id=7, role="approver", requester_id=7)
        == SELF_APPROVAL
    )
    own_name = Rule(6, "Named", 1, (), approver_ids=frozenset({7}))
    assert (
        decision_refusal(
            approval_levels([own_name], ORDER), Progress(), user_id=7, role="x", requester_id=7
        )
        == SELF_APPROVAL
    )


def test_someone_no_rule_names_is_not_an_approver():
    levels = approval_levels([ABOVE_1000], ORDER)
    assert (
        decision_refusal(levels, Progress(), user_id=9, role="buyer", requester_id=7)
        == NOT_AN_APPROVER
    )
