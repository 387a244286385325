"""A group's order-rule override is refused on save when the rules in effect are not orderable.

Empty values keep the product's, so an override is judged with them (ordering/rules.py,
the same function the bundle loader calls).
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comptoir.catalog.models import Product
from comptoir.ordering.models import GroupOrderRule
from comptoir.ordering.rules import overridden_rules, rule_problems
from comptoir.pricing.engine import QuantityRules
from tests.factories import CustomerGroupFactory, ProductFactory
from tests.test_admin import form_data

CASE = QuantityRules(min_qty=12, max_qty=240, qty_step=12)


def problems(rules):
    return [(problem.field, problem.code) for problem in rule_problems(rules)]


def test_empty_override_values_keep_the_products():
    assert overridden_rules(CASE, min_qty=None, max_qty=None, qty_step=24) == QuantityRules(
        min_qty=12, max_qty=240, qty_step=24
    )
    assert overridden_rules(CASE, min_qty=48, max_qty=96, qty_step=None) == QuantityRules(
        min_qty=48, max_qty=96, qty_step=12
    )


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (QuantityRules(min_qty=12, max_qty=240, qty_step=12), []),
        (QuantityRules(min_qty=12, max_qty=None, qty_step=24), [("min_qty", "min_not_multiple")]),
        (QuantityRules(min_qty=24, max_qty=12, qty_step=12), [("max_qty", "max_below_min")]),
        (QuantityRules(min_qty=24, max_qty=50, qty_step=24), [("max_qty", "max_not_multiple")]),
        (
            QuantityRules(min_qty=10, max_qty=5, qty_step=4),
            [("min_qty", "min_not_multiple"), ("max_qty", "max_below_min")],
        ),
    ],
)
def test_rule_problems(rules, expected):
    assert problems(rules) == expected


@pytest.fixture
def case_product(db):
    return ProductFactory(sku="GLV-12", min_qty=12, max_qty=240, qty_step=12)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "errors"),
    [
        (
            {"qty_step": 24},
            {"min_qty": ["The minimum quantity 12 is not a multiple of the step 24."]},
        ),
        (
            {"min_qty": 300},
            {"max_qty": ["The maximum quantity 240 is below the minimum quantity 300."]},
        ),
        (
            {"min_qty": 24, "max_qty": 100},
            {"max_qty": ["The maximum quantity 100 is not a multiple of the step 12."]},
        ),
    ],
)
def test_an_override_the_buyer_could_never_order_is_refused(case_product, override, errors):
    rule = GroupOrderRule(
        customer_group=CustomerGroupFactory(code="PRO"), product=case_product, **override
    )

    with pytest.raises(ValidationError) as refused:
        rule.full_clean()

    assert refused.value.message_dict == errors


@pytest.mark.django_db
def test_a_consistent_override_is_accepted(case_product):
    rule = GroupOrderRule(
        customer_group=CustomerGroupFactory(code="PRO"),
        product=case_product,
        min_qty=48,
        qty_step=24,
    )

    rule.full_clean()


@pytest.mark.django_db
def test_the_group_page_refuses_an_inconsistent_override_and_writes_nothing(
    admin_client, case_product
):
    group = CustomerGroupFactory(code="PRO", name="Professionals")

    response = admin_client.post(
        reverse("admin:customers_customergroup_change", args=[group.pk]),
        {
            "code": "PRO",
            "name": "Professionals",
            "volume_tiers-TOTAL_FORMS": "0",
            "volume_tiers-INITIAL_FORMS": "0",
            "order_rules-TOTAL_FORMS": "1",
            "order_rules-INITIAL_FORMS": "0",
            "order_rules-0-product": case_product.pk,
            "order_rules-0-min_qty": "",
            "order_rules-0-max_qty": "",
            "order_rules-0-qty_step": "24",
        },
    )

    assert response.status_code == 200
    (formset,) = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "order_rules"
    ]
    assert formset.formset.errors == [
        {"min_qty": ["The minimum quantity 12 is not a multiple of the step 24."]}
    ]
    assert not GroupOrderRule.objects.exists()


def test_a_product_change_that_would_break_a_groups_override_is_refused(admin_client, store):
    product = ProductFactory(sku="GLV-12", min_qty=1, max_qty=None, qty_step=1)
    GroupOrderRule.objects.create(
        customer_group=CustomerGroupFactory(code="PRO"), product=product, max_qty=10
    )
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = form_data(admin_client.get(url), Product)
    data["min_qty"] = "20"
    data["max_qty"] = ""

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Group PRO:" in response.content.decode()
    product.refresh_from_db()
    assert product.min_qty == 1
    data["min_qty"] = "5"
    assert admin_client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.min_qty == 5
