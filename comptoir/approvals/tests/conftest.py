"""The ordering shop of `tests.shops`, with an approver beside its buyer; and a team that
buys under approval: Rémi Roux (a buyer) requests, Anne Martin approves (role approver), Paul Dubois
administers. The company's rule "Over 300" (level 1) sends every order above 300.00 to the
approvers."""

from dataclasses import dataclass

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.accounts.permissions import APPROVER
from comptoir.approvals.models import ApprovalCondition, ApprovalRule
from comptoir.core.selectors import get_store
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from tests.factories import UserFactory
from tests.shops import build_shop


@dataclass
class Team:
    shop: object
    requester: object
    approver: object
    admin: object
    rule: ApprovalRule


@pytest.fixture
def shop(store):
    """MNL-1 restocked (100), so that a test may order the same cart several times."""
    shop = build_shop(store)
    shop.products["MNL-1"].stock = 100
    shop.products["MNL-1"].save()
    return shop


@pytest.fixture
def approver(shop):
    return UserFactory(
        company=shop.company,
        email="claire.martin@acme.example",
        first_name="Claire",
        last_name="Martin",
        role=APPROVER,
    )


@pytest.fixture
def team(shop) -> Team:
    company = shop.company
    requester = UserFactory(
        company=company,
        email="remi@acme.example",
        first_name="Rémi",
        last_name="Roux",
        role="buyer",
    )
    approver = UserFactory(
        company=company,
        email="anne@acme.example",
        first_name="Anne",
        last_name="Martin",
        role="approver",
    )
    admin = UserFactory(
        company=company,
        email="paul@acme.example",
        first_name="Paul",
        last_name="Dubois",
        role="admin",
        language="fr",
    )
    rule = ApprovalRule.objects.create(
        company=company, name="Over 300", level=1, approver_roles=["approver"]
    )
    ApprovalCondition.objects.create(rule=rule, kind="total_above", amount="300.00")
    return Team(shop=shop, requester=requester, approver=approver, admin=admin, rule=rule)


def viewer(user):
    return viewer_for(
        get_store(), type(user).objects.select_related("company__group").get(pk=user.pk)
    )


def submit(user, *rows, payment="TRANSFER"):
    """Fill the user's cart and check out: the approval request it became."""
    cart_add_lines(
        viewer=viewer(user), rows=[(n, sku, qty) for n, (sku, qty) in enumerate(rows, 1)]
    )
    placement = order_place(viewer=viewer(user), request=CheckoutRequest(payment_method=payment))
    assert placement.order is None, "the cart was ordered, not sent for approval"
    return placement.approval


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are enqueued: wrapped in `django_capture_on_commit_callbacks(
    execute=True)`, a decision's e-mails are in mail.outbox once it commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
