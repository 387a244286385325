"""What a company may save as approval rules and budgets: the one check of every channel."""

from decimal import Decimal

import pytest

from comptoir.accounts.models import Role
from comptoir.approvals import configuration
from comptoir.approvals.models import ApprovalRule, Budget
from comptoir.approvals.validation import (
    BudgetInput,
    ConditionInput,
    Problem,
    RuleInput,
    clean_budget,
    clean_rule,
    company_references,
)
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Location
from tests.factories import CategoryFactory, CompanyFactory, UserFactory
from tests.shops import build_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(store):
    shop = build_shop(store)
    Location.objects.create(company=shop.company, code="LYON-2", name="Lyon Gerland", position=2)
    return shop


def rule(*conditions, **fields) -> RuleInput:
    values = {"name": "Big orders", "level": 1, "approver_roles": ("approver",)} | fields
    return RuleInput(conditions=tuple(conditions), **values)


def check(shop, data, **kwargs):
    refs = company_references(shop.company, skus=["scr-100", "NOPE-1"])
    return clean_rule(data, refs, **kwargs)


def test_a_rule_with_every_kind_of_condition_is_cleaned_to_the_stores_spelling(shop):
    CategoryFactory(code="Screws", name="Screws")
    colleague = UserFactory(company=shop.company, email="Marie.Dupont@acme.example")
    data = rule(
        ConditionInput("total_above", amount=Decimal("2000.00")),
        ConditionInput("contains_category", values=("fasteners", "SCREWS")),
        ConditionInput("contains_product", values=("scr-100", "SCR-100")),
        ConditionInput("payment_method", values=("transfer",)),
        ConditionInput("shipping_method", values=("express",)),
        ConditionInput("requester_role", values=("REQUESTER",)),
        ConditionInput("requester", values=("marie.dupont@acme.example", str(shop.buyer.pk))),
        ConditionInput("location", values=("lyon-2",)),
        ConditionInput("budget_exceeded"),
        approvers=(str(colleague.pk),),
    )

    cleaned, problems = check(shop, data)

    assert problems == []
    assert [(c.kind, c.values) for c in cleaned.conditions] == [
        ("total_above", ()),
        ("contains_category", ("FASTENERS", "Screws")),
        ("contains_product", ("SCR-100",)),
        ("payment_method", ("TRANSFER",)),
        ("shipping_method", ("EXPRESS",)),
        ("requester_role", ("requester",)),
        ("requester", (str(colleague.pk), str(shop.buyer.pk))),
        ("location", ("LYON-2",)),
        ("budget_exceeded", ()),
    ]
    assert cleaned.approvers == (str(colleague.pk),)


def test_store_roles_may_approve_and_request(shop):
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["place_orders"])
    data = rule(
        ConditionInput("requester_role", values=("storekeeper",)), approver_roles=("admin",)
    )

    cleaned, problems = check(shop, data)

    assert problems == []
    assert cleaned.conditions[0].values == ("STOREKEEPER",)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            ConditionInput("total_above"),
            Problem("conditions[0].amount", "Give the amount the total must exceed."),
        ),
        (
            ConditionInput("total_above", amount=Decimal("-1")),
            Problem("conditions[0].amount", "The amount cannot be negative."),
        ),
        (
            ConditionInput("total_above", amount=Decimal("10.005")),
            Problem("conditions[0].amount", "Give the amount in cents at most (2 decimal places)."),
        ),
        (
            ConditionInput("total_above", values=("100",), amount=Decimal("100")),
            Problem("conditions[0].values", "An order total takes no values."),
        ),
        (
            ConditionInput("contains_category", values=("PAINT",)),
            Problem("conditions[0].values", "There is no category with the code “PAINT”."),
        ),
        (
            ConditionInput("contains_product", values=("NOPE-2",)),
            Problem("conditions[0].values", "There is no product with the SKU “NOPE-2”."),
        ),
        (
            ConditionInput("payment_method", values=("CARD",)),
            Problem("conditions[0].values", "There is no payment method with the code “CARD”."),
        ),
        (
            ConditionInput("shipping_method", values=("DRONE",)),
            Problem("conditions[0].values", "There is no shipping method with the code “DRONE”."),
        ),
        (
            ConditionInput("requester_role", values=("boss",)),
            Problem("conditions[0].values", "There is no role with the code “boss”."),
        ),
        (
            ConditionInput("requester", values=("someone@elsewhere.example",)),
            Problem(
                "conditions[0].values", "“someone@elsewhere.example” is not a user of this company."
            ),
        ),
        (
            ConditionInput("location", values=("PARIS",)),
            Problem("conditions[0].values", "“PARIS” is not a location of this company."),
        ),
        (
            ConditionInput("location"),
            Problem("conditions[0].values", "Give at least one value."),
        ),
        (
            ConditionInput("budget_exceeded", values=("yes",)),
            Problem("conditions[0].values", "“Budget exceeded” takes no values."),
        ),
        (
            ConditionInput("location", values=("MAIN",), amount=Decimal("5")),
            Problem("conditions[0].amount", "Only an order total takes an amount."),
        ),
        (
            ConditionInput("weather", values=("rain",)),
            Problem("conditions[0].kind", "“weather” is not a kind of condition."),
        ),
    ],
    ids=lambda value: getattr(value, "kind", "") or getattr(value, "field", ""),
)
def test_each_bad_condition_is_named(shop, condition, expected):
    _cleaned, problems = check(shop, rule(condition))

    assert problems == [expected]


def test_another_companys_users_and_locations_are_unknown(shop):
    other = CompanyFactory(code="BETA")
    stranger = UserFactory(company=other, email="achats@beta.example")
    data = rule(
        ConditionInput("requester", values=(str(stranger.pk),)),
        ConditionInput("location", values=("MAIN",)),
        approver_roles=(),
        approvers=("achats@beta.example",),
    )
    Location.objects.filter(company=shop.company, code="MAIN").update(code="SIEGE")

    _cleaned, problems = check(shop, data)

    assert problems == [
        Problem("approvers", "“achats@beta.example” is not a user of this company."),
        Problem("conditions[0].values", f"“{stranger.pk}” is not a user of this company."),
        Problem("conditions[1].values", "“MAIN” is not a location of this company."),
    ]


def test_a_rule_needs_a_name_a_level_from_1_to_9_and_an_approver(shop):
    _cleaned, problems = check(shop, rule(name="  ", level=10, approver_roles=()))

    assert problems == [
        Problem("name", "Give the rule a name."),
        Problem("level", "The level is a whole number from 1 to 9."),
        Problem("approvers", "Name who approves: at least one role or one user."),
    ]
    _cleaned, problems = check(shop, rule(level=0, approver_roles=("chief",)))
    assert problems == [
        Problem("level", "The level is a whole number from 1 to 9."),
        Problem("approver_roles", "There is no role with the code “chief”."),
    ]


def test_names_are_unique_per_company_whatever_their_case(shop):
    _cleaned, problems = check(shop, rule(name="big ORDERS"), other_names=["Big orders"])

    assert problems == [Problem("name", "The company already has a rule named “big ORDERS”.")]


def test_a_rule_has_one_condition_of_each_kind(shop):
    data = rule(
        ConditionInput("location", values=("MAIN",)),
        ConditionInput("location", values=("LYON-2",)),
    )

    _cleaned, problems = check(shop, data)

    assert problems == [
        Problem(
            "conditions[1].kind",
            "The rule already has a condition “location”: give all its values in that one.",
        )
    ]


def budget(**fields) -> BudgetInput:
    return BudgetInput(**({"period": "month", "amount": Decimal("5000.00")} | fields))


def test_budgets_name_the_companys_location_or_user(shop):
    refs = company_references(shop.company)

    cleaned, problems = clean_budget(budget(location="lyon-2"), refs)
    assert (cleaned.location, problems) == ("LYON-2", [])
    cleaned, problems = clean_budget(budget(user="ACHATS@acme.example"), refs)
    assert (cleaned.user, problems) == (str(shop.buyer.pk), [])

    _cleaned, problems = clean_budget(
        budget(location="MAIN", user="achats@acme.example", amount=Decimal("-5")), refs
    )
    assert problems == [
        Problem("user", "A budget is for the whole company, one location or one user: not both."),
        Problem("amount", "The amount cannot be negative."),
    ]
    _cleaned, problems = clean_budget(
        budget(location="NOWHERE", user="nobody@acme.example", period="week", over_budget="x"),
        refs,
    )
    assert problems == [
        Problem("user", "A budget is for the whole company, one location or one user: not both."),
        Problem("location", "“NOWHERE” is not a location of this company."),
        Problem("user", "“nobody@acme.example” is not a user of this company."),
        Problem("period", "“week” is not a period."),
        Problem("over_budget", "“x” is not something a budget can do."),
    ]


def test_one_budget_per_scope_and_period(shop):
    refs = company_references(shop.company)
    taken = {("lyon-2", None, "month"), (None, None, "year")}

    _cleaned, problems = clean_budget(budget(location="LYON-2"), refs, other_scopes=taken)
    assert problems == [Problem("period", "This location already has a budget for this period.")]
    _cleaned, problems = clean_budget(budget(period="year"), refs, other_scopes=taken)
    assert problems == [Problem("period", "The company already has a budget for this period.")]
    _cleaned, problems = clean_budget(budget(period="quarter"), refs, other_scopes=taken)
    assert problems == []


# The service: all or nothing


def test_rule_save_writes_the_rule_its_approvers_and_conditions(shop):
    approver = UserFactory(company=shop.company, email="chef@acme.example", role="approver")
    data = rule(
        ConditionInput("total_above", amount=Decimal("2000.00")),
        ConditionInput("requester_role", values=("requester",)),
        approvers=("CHEF@acme.example",),
    )

    saved = configuration.rule_save(company=shop.company, rule_id=None, data=data)

    saved.refresh_from_db()
    assert (saved.name, saved.level, saved.approver_roles) == ("Big orders", 1, ["approver"])
    assert list(saved.approvers.all()) == [approver]
    assert [(c.kind, c.values, c.amount) for c in saved.conditions.order_by("id")] == [
        ("total_above", [], Decimal("2000.00")),
        ("requester_role", ["requester"], None),
    ]

    configuration.rule_save(
        company=shop.company,
        rule_id=saved.pk,
        data=rule(ConditionInput("location", values=("main",)), name="Big orders", level=2),
    )
    saved.refresh_from_db()
    assert saved.level == 2
    assert list(saved.approvers.all()) == []
    assert [(c.kind, c.values) for c in saved.conditions.all()] == [("location", ["MAIN"])]


def test_a_refused_rule_writes_nothing(shop):
    existing = configuration.rule_save(
        company=shop.company,
        rule_id=None,
        data=rule(ConditionInput("total_above", amount=Decimal("500"))),
    )
    bad = rule(ConditionInput("contains_product", values=("NOPE-1",)), name="Renamed", level=3)

    with pytest.raises(BusinessRuleError) as refused:
        configuration.rule_save(company=shop.company, rule_id=existing.pk, data=bad)

    assert refused.value.code == "invalid_approval_rule"
    assert refused.value.errors == [
        {
            "field": "conditions[0].values",
            "code": "invalid_approval_rule",
            "message": "There is no product with the SKU “NOPE-1”.",
        }
    ]
    existing.refresh_from_db()
    assert (existing.name, existing.level) == ("Big orders", 1)
    assert [c.kind for c in existing.conditions.all()] == ["total_above"]


def test_another_companys_rule_and_budget_are_not_found(shop):
    other = CompanyFactory(code="BETA")
    foreign = ApprovalRule.objects.create(company=other, name="Theirs", approver_roles=["admin"])
    foreign_budget = Budget.objects.create(company=other, period="month", amount=Decimal("10"))

    for call in (
        lambda: configuration.rule_save(company=shop.company, rule_id=foreign.pk, data=rule()),
        lambda: configuration.rule_delete(company=shop.company, rule_id=foreign.pk),
        lambda: configuration.budget_save(
            company=shop.company, budget_id=foreign_budget.pk, data=budget()
        ),
        lambda: configuration.budget_delete(company=shop.company, budget_id=foreign_budget.pk),
    ):
        with pytest.raises(BusinessRuleError) as refused:
            call()
        assert refused.value.code == "not_found"
    assert ApprovalRule.objects.get(pk=foreign.pk).name == "Theirs"
    assert Budget.objects.filter(pk=foreign_budget.pk).exists()


def test_budget_save_refuses_a_second_budget_for_the_same_scope_and_period(shop):
    first = configuration.budget_save(
        company=shop.company, budget_id=None, data=budget(location="MAIN")
    )
    assert (first.location.code, first.period, first.amount) == ("MAIN", "month", Decimal("5000"))

    with pytest.raises(BusinessRuleError) as refused:
        configuration.budget_save(
            company=shop.company, budget_id=None, data=budget(location="main", amount=Decimal("1"))
        )

    assert refused.value.message == "This location already has a budget for this period."
    assert Budget.objects.count() == 1
    # Changing the budget itself is not a duplicate of itself.
    configuration.budget_save(
        company=shop.company,
        budget_id=first.pk,
        data=budget(location="MAIN", amount=Decimal("6000.00"), over_budget="refuse"),
    )
    first.refresh_from_db()
    assert (first.amount, first.over_budget) == (Decimal("6000.00"), "refuse")
