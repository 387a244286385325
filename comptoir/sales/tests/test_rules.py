"""Who may act as whom, without a database."""

import pytest

from comptoir.sales import rules

REP = rules.Actor(
    id=1, is_active=True, is_staff=True, may_act=True, representative=True, assigned=frozenset({10})
)
MERCHANT = rules.Actor(id=2, is_active=True, is_staff=True, may_act=True, representative=False)


def buyer(company_id=10, **changes):
    facts = {"id": 5, "is_active": True, "is_staff": False, "is_superuser": False}
    return rules.Target(company_id=company_id, **(facts | changes))


def test_a_representative_acts_for_a_buyer_of_their_company():
    assert rules.acting_refusal(REP, buyer()) is None


@pytest.mark.parametrize(
    ("target", "code"),
    [
        (buyer(company_id=11), rules.NOT_ASSIGNED),
        (buyer(is_staff=True), rules.STAFF_TARGET),
        (buyer(is_superuser=True, is_staff=True, company_id=None), rules.STAFF_TARGET),
        (buyer(is_superuser=True), rules.STAFF_TARGET),
        (buyer(is_active=False), rules.INACTIVE_TARGET),
        (buyer(company_id=None), rules.NO_COMPANY),
        (buyer(id=1), rules.SELF),
    ],
)
def test_refusals(target, code):
    assert rules.acting_refusal(REP, target) == code


def test_an_inactive_buyer_of_another_company_is_not_named_as_inactive():
    """What a representative may not see answers as "not yours", whatever its state."""
    assert rules.acting_refusal(REP, buyer(company_id=11, is_active=False)) == rules.NOT_ASSIGNED


def test_the_merchant_acts_for_any_company_but_never_for_staff():
    assert rules.acting_refusal(MERCHANT, buyer(company_id=99)) is None
    assert rules.acting_refusal(MERCHANT, buyer(is_staff=True)) == rules.STAFF_TARGET


@pytest.mark.parametrize(
    "actor",
    [
        rules.Actor(id=3, is_active=True, is_staff=True, may_act=False, representative=False),
        rules.Actor(id=3, is_active=False, is_staff=True, may_act=True, representative=False),
        rules.Actor(id=3, is_active=True, is_staff=False, may_act=True, representative=False),
    ],
)
def test_only_active_staff_with_the_right_act(actor):
    assert rules.acting_refusal(actor, buyer()) == rules.NOT_ALLOWED


def test_order_entry_follows_the_same_company_scope():
    assert rules.may_enter_orders(REP, 10)
    assert not rules.may_enter_orders(REP, 11)
    assert rules.may_enter_orders(MERCHANT, 11)


def test_a_representative_covers_no_company_less_user():
    assert not rules.covers_company(REP, None)
    assert rules.covers_company(MERCHANT, None)
