"""No company reaches another company's orders, documents, invoices or exclusive products.

For every URL that takes an identifier (storefront pages and REST API alike), a buyer of
company B who sends an identifier of company A gets exactly the answer (status, content
type, body) that the same identifier gets once it no longer exists: the answer says
nothing about whether A's object exists. A's own buyer gets the object, so each case is
known to point at something real.

The list of such URLs comes from the URL resolver: a new URL with a parameter fails
`test_every_url_with_an_identifier_is_covered` until it has a case here, or is named in
`PUBLIC_ROUTES` with the reason it needs none.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import User
from comptoir.accounts.permissions import ADMINISTRATOR
from comptoir.approvals.models import ApprovalCondition, ApprovalRequest, ApprovalRule, Budget
from comptoir.catalog.models import (
    Category,
    FamilyVariant,
    Product,
    ProductFamily,
    Visibility,
)
from comptoir.credits.models import CreditNote
from comptoir.credits.services import credit_note_issue
from comptoir.customers.models import Address
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.ordering.models import Order
from comptoir.payments.models import Invoice
from comptoir.quotes.models import Quote
from comptoir.quotes.services import QuoteRequest, quote_request
from comptoir.returns.models import ReturnRequest
from comptoir.tax.models import TaxCertificate
from comptoir.teams.models import Invitation
from comptoir.teams.services import Placement, member_invite
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    CompanyFactory,
    InvoiceFactory,
    PriceEntryFactory,
    ProductFactory,
    TaxCertificateFactory,
    UserFactory,
    approval_rule,
    create_approval,
    create_order,
)
from tests.shops import build_shop

PASSWORD = "Comptoir-2026!"  # tests.factories.UserFactory's
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

# URLs with a parameter that are not about a company's data, and why.
PUBLIC_ROUTES = {
    # A signed, expiring token e-mailed to the user: it is the credential itself.
    "account/password/set/<uidb64>/<token>/",
    # A signed, single-use invitation link: it is the credential itself (tests/teams).
    "team/join/<str:token>/",
    # Product pictures, public under generated names (128 random bits) that only the pages
    # and API answers of buyers who see the product give out (comptoir/catalog/media.py).
    "media/<path:name>",
}
# The back office: staff only (Django admin permissions), not scoped by company; the ERP
# routes: an integration's key reads the merchant's data, buyers are refused there
# (comptoir/integrations/tests/test_keys.py).
STAFF_PREFIXES = ("admin/", "api/v1/erp/")


def url_patterns(patterns=None, prefix: str = ""):
    """(route, name) of every URL pattern, routes joined from the root (`i18n_patterns` add
    no prefix for the default language)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name, pattern.pattern.regex.groups


@dataclass
class World:
    """Company A (ACME, from `tests.shops`) and company B (BETA) in the same group, so that
    only the company tells them apart."""

    a: Client
    b: Client
    api_a: dict
    api_b: dict
    order: Order
    product: Product
    category: Category
    certificate: TaxCertificate
    address: Address
    invoice: Invoice
    credit_note: CreditNote
    return_request: ReturnRequest
    colleague: User
    invitation: Invitation
    approval: ApprovalRequest
    rule: ApprovalRule
    budget: Budget
    shared_list: RequisitionList
    quote: Quote
    family: ProductFamily
    """A family whose only variant is A's exclusive product."""


@dataclass
class Case:
    """One URL (route and name as the resolver knows them) asked with A's identifier."""

    route: str
    name: str
    method: str
    url: Callable[[World], str]
    # Makes A's identifier unknown: the same identifier then names nothing.
    forget: Callable[[World], None]
    api: bool = False
    body: Callable[[World], dict] | None = None
    # What A's own buyer gets: the object is real.
    owner_status: int = 200
    extra: dict = field(default_factory=dict)


def _rename(model, pk, field_name, value):
    model.objects.filter(pk=pk).update(**{field_name: value})


def forget_order(w):
    _rename(Order, w.order.pk, "number", "CMD-1999-999999")


def forget_product(w):
    _rename(Product, w.product.pk, "sku", "GONE-1")


def forget_family(w):
    _rename(ProductFamily, w.family.pk, "code", "GONE-FAMILY")


def forget_category(w):
    _rename(Category, w.category.pk, "code", "GONE")


def forget_certificate(w):
    TaxCertificate.objects.filter(pk=w.certificate.pk).delete()


def forget_invoice(w):
    _rename(Invoice, w.invoice.pk, "number", "FAC-1999-999999")


def forget_credit_note(w):
    _rename(CreditNote, w.credit_note.pk, "number", "AV-1999-999999")


def forget_return(w):
    _rename(ReturnRequest, w.return_request.pk, "number", "RMA-1999-999999")


def forget_list(w):
    RequisitionList.objects.filter(pk=w.shared_list.pk).delete()


def forget_address(w):
    _rename(Address, w.address.pk, "code", "GONE")


def forget_colleague(w):
    User.objects.filter(pk=w.colleague.pk).delete()


def forget_invitation(w):
    Invitation.objects.filter(pk=w.invitation.pk).delete()


def forget_approval(w):
    _rename(ApprovalRequest, w.approval.pk, "number", "APR-1999-999999")


def approval_case(action, *, api=False, body=None, owner_status=200):
    """A case on A's approval request (asked by a buyer of A, approved by its administrator)."""
    if api:
        route = "api/v1/approvals/<number>" + (f"/{action}" if action else "")
        name = {"": "get_approval"}.get(action, action)
        return Case(
            route,
            name,
            "post" if action else "get",
            lambda w: f"/api/v1/approvals/{w.approval.number}" + (f"/{action}" if action else ""),
            forget_approval,
            api=True,
            body=body,
            owner_status=owner_status,
        )
    return Case(
        "account/approvals/<str:number>/" + (f"{action}/" if action else ""),
        f"approval_{action}" if action else "approval",
        "post" if action else "get",
        lambda w: f"/account/approvals/{w.approval.number}/" + (f"{action}/" if action else ""),
        forget_approval,
        body=body,
        owner_status=owner_status,
    )


def forget_rule(w):
    ApprovalRule.objects.filter(pk=w.rule.pk).delete()


def forget_budget(w):
    Budget.objects.filter(pk=w.budget.pk).delete()


def forget_quote(w):
    _rename(Quote, w.quote.pk, "number", "DEV-1999-999999")


CASES = [
    # Storefront pages
    Case("c/<str:code>/", "category", "get", lambda w: f"/c/{w.category.code}/", forget_category),
    Case("p/<str:sku>/", "product", "get", lambda w: f"/p/{w.product.sku}/", forget_product),
    Case(
        "cart/lines/<str:sku>/",
        "cart_line",
        "post",
        lambda w: f"/cart/lines/{w.product.sku}/",
        forget_product,
        body=lambda w: {"qty": "2"},
        owner_status=302,
    ),
    Case(
        "orders/<str:number>/", "order", "get", lambda w: f"/orders/{w.order.number}/", forget_order
    ),
    Case(
        "orders/<str:number>/reorder/",
        "reorder",
        "post",
        lambda w: f"/orders/{w.order.number}/reorder/",
        forget_order,
        owner_status=302,
    ),
    Case(
        "account/certificates/<int:pk>/document/",
        "certificate_document",
        "get",
        lambda w: f"/account/certificates/{w.certificate.pk}/document/",
        forget_certificate,
    ),
    Case(
        "invoices/<str:number>/",
        "invoice",
        "get",
        lambda w: f"/invoices/{w.invoice.number}/",
        forget_invoice,
    ),
    Case(
        "invoices/<str:number>.pdf",
        "invoice_pdf",
        "get",
        lambda w: f"/invoices/{w.invoice.number}.pdf",
        forget_invoice,
    ),
    Case(
        "credit-notes/<str:number>/",
        "credit_note",
        "get",
        lambda w: f"/credit-notes/{w.credit_note.number}/",
        forget_credit_note,
    ),
    Case(
        "credit-notes/<str:number>.pdf",
        "credit_note_pdf",
        "get",
        lambda w: f"/credit-notes/{w.credit_note.number}.pdf",
        forget_credit_note,
    ),
    Case(
        "orders/<str:number>/return/",
        "return_new",
        "get",
        lambda w: f"/orders/{w.order.number}/return/",
        forget_order,
    ),
    Case(
        "returns/<str:number>/",
        "return",
        "get",
        lambda w: f"/returns/{w.return_request.number}/",
        forget_return,
    ),
    Case(
        "returns/<str:number>/photo/",
        "return_photo",
        "get",
        lambda w: f"/returns/{w.return_request.number}/photo/",
        forget_return,
        owner_status=404,
    ),
    Case(
        "returns/<str:number>/cancel/",
        "return_cancel",
        "post",
        lambda w: f"/returns/{w.return_request.number}/cancel/",
        forget_return,
        owner_status=302,
    ),
    Case(
        "account/team/users/<int:user_id>/",
        "team_member",
        "get",
        lambda w: f"/account/team/users/{w.colleague.pk}/",
        forget_colleague,
    ),
    Case(
        "account/team/users/<int:user_id>/active/",
        "team_member_active",
        "post",
        lambda w: f"/account/team/users/{w.colleague.pk}/active/",
        forget_colleague,
        body=lambda w: {"active": "0"},
        owner_status=302,
    ),
    Case(
        "account/team/invitations/<int:invitation_id>/",
        "team_invitation",
        "post",
        lambda w: f"/account/team/invitations/{w.invitation.pk}/",
        forget_invitation,
        body=lambda w: {"action": "resend"},
        owner_status=302,
    ),
    approval_case(""),
    approval_case("approve", owner_status=302),
    approval_case("reject", body=lambda w: {"reason": "Not now"}, owner_status=302),
    # Only the requester withdraws; A's administrator is refused, the request is real.
    approval_case("withdraw", owner_status=403),
    # Nothing to try again: the request waits for approval.
    approval_case("retry", owner_status=409),
    Case(
        "account/approval-rules/<int:rule_id>/",
        "approval_rule",
        "get",
        lambda w: f"/account/approval-rules/{w.rule.pk}/",
        forget_rule,
    ),
    Case(
        "account/approval-rules/<int:rule_id>/",
        "approval_rule",
        "post",
        lambda w: f"/account/approval-rules/{w.rule.pk}/",
        forget_rule,
        body=lambda w: {"name": "Taken over", "level": "1", "approver_roles": ["admin"]},
        owner_status=302,
    ),
    Case(
        "account/approval-rules/<int:rule_id>/delete/",
        "approval_rule_delete",
        "post",
        lambda w: f"/account/approval-rules/{w.rule.pk}/delete/",
        forget_rule,
        owner_status=302,
    ),
    Case(
        "account/budgets/<int:budget_id>/",
        "budget",
        "get",
        lambda w: f"/account/budgets/{w.budget.pk}/",
        forget_budget,
    ),
    Case(
        "account/budgets/<int:budget_id>/",
        "budget",
        "post",
        lambda w: f"/account/budgets/{w.budget.pk}/",
        forget_budget,
        body=lambda w: {"period": "year", "amount": "1.00", "over_budget": "refuse"},
        owner_status=302,
    ),
    Case(
        "account/budgets/<int:budget_id>/delete/",
        "budget_delete",
        "post",
        lambda w: f"/account/budgets/{w.budget.pk}/delete/",
        forget_budget,
        owner_status=302,
    ),
    Case(
        "lists/<int:list_id>/",
        "list",
        "get",
        lambda w: f"/lists/{w.shared_list.pk}/",
        forget_list,
    ),
    Case(
        "lists/<int:list_id>/delete/",
        "list_delete",
        "post",
        lambda w: f"/lists/{w.shared_list.pk}/delete/",
        forget_list,
        owner_status=302,
    ),
    Case(
        "lists/<int:list_id>/lines/",
        "list_add",
        "post",
        lambda w: f"/lists/{w.shared_list.pk}/lines/",
        forget_list,
        body=lambda w: {"lines": "SCR-100 5"},
        owner_status=302,
    ),
    Case(
        "lists/<int:list_id>/lines/<str:sku>/",
        "list_line",
        "post",
        lambda w: f"/lists/{w.shared_list.pk}/lines/SCR-100/",
        forget_list,
        body=lambda w: {"qty": "7"},
        owner_status=302,
    ),
    Case(
        "lists/<int:list_id>/selected/",
        "list_selected",
        "post",
        lambda w: f"/lists/{w.shared_list.pk}/selected/",
        forget_list,
        body=lambda w: {"action": "remove", "sku": "NOPE"},
        owner_status=302,
    ),
    Case(
        "account/quotes/<str:number>/",
        "quote",
        "get",
        lambda w: f"/account/quotes/{w.quote.number}/",
        forget_quote,
    ),
    Case(
        "account/quotes/<str:number>.pdf",
        "quote_pdf",
        "get",
        lambda w: f"/account/quotes/{w.quote.number}.pdf",
        forget_quote,
        # Not sent yet: its own buyer is told there is no PDF (404) as well.
        owner_status=404,
    ),
    Case(
        "account/quotes/<str:number>/answer/",
        "quote_answer",
        "post",
        lambda w: f"/account/quotes/{w.quote.number}/answer/",
        forget_quote,
        body=lambda w: {"action": "accept"},
        # Not sent yet: its own buyer may not accept it (409 quote_not_open).
        owner_status=409,
    ),
    # REST API
    Case(
        "api/v1/returns/<number>",
        "get_return",
        "get",
        lambda w: f"/api/v1/returns/{w.return_request.number}",
        forget_return,
        api=True,
    ),
    Case(
        "api/v1/credit-notes/<number>",
        "get_credit_note",
        "get",
        lambda w: f"/api/v1/credit-notes/{w.credit_note.number}",
        forget_credit_note,
        api=True,
    ),
    Case(
        "api/v1/credit-notes/<number>/pdf",
        "credit_note_pdf",
        "get",
        lambda w: f"/api/v1/credit-notes/{w.credit_note.number}/pdf",
        forget_credit_note,
        api=True,
    ),
    Case(
        "api/v1/quotes/<number>",
        "get_quote",
        "get",
        lambda w: f"/api/v1/quotes/{w.quote.number}",
        forget_quote,
        api=True,
    ),
    *(
        Case(
            f"api/v1/quotes/<number>/{action}",
            f"{action}_quote",
            "post",
            lambda w, action=action: f"/api/v1/quotes/{w.quote.number}/{action}",
            forget_quote,
            api=True,
            body=lambda w: {"message": "Can you do better?"},
            owner_status=409,
        )
        for action in ("accept", "reject", "revise")
    ),
    Case(
        "api/v1/lists/<list_id>",
        "get_list",
        "get",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}",
        forget_list,
        api=True,
    ),
    Case(
        "api/v1/lists/<list_id>",
        "patch_list",
        "patch",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}",
        forget_list,
        api=True,
        body=lambda w: {"name": "Renamed"},
        owner_status=403,  # A's buyer sees it and may change its lines, not rename it
    ),
    Case(
        "api/v1/lists/<list_id>",
        "delete_list",
        "delete",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}",
        forget_list,
        api=True,
        owner_status=403,  # A's buyer, an administrator, does not own it
    ),
    Case(
        "api/v1/lists/<list_id>/lines",
        "post_list_lines",
        "post",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}/lines",
        forget_list,
        api=True,
        body=lambda w: {"lines": [{"sku": "SCR-100", "qty": 1}]},
    ),
    Case(
        "api/v1/lists/<list_id>/lines/<sku>",
        "put_list_line",
        "put",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}/lines/SCR-100",
        forget_list,
        api=True,
        body=lambda w: {"qty": 3},
    ),
    Case(
        "api/v1/lists/<list_id>/lines/<sku>",
        "delete_list_line",
        "delete",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}/lines/NOPE",
        forget_list,
        api=True,
        owner_status=404,  # no such line on A's list
    ),
    Case(
        "api/v1/lists/<list_id>/to-cart",
        "list_to_cart",
        "post",
        lambda w: f"/api/v1/lists/{w.shared_list.pk}/to-cart",
        forget_list,
        api=True,
        body=lambda w: {"skus": ["SCR-100"]},
    ),
    Case(
        "api/v1/products/<sku>",
        "get_product",
        "get",
        lambda w: f"/api/v1/products/{w.product.sku}",
        forget_product,
        api=True,
    ),
    Case("f/<str:code>/", "family", "get", lambda w: f"/f/{w.family.code}/", forget_family),
    Case(
        "api/v1/families/<code>",
        "get_family",
        "get",
        lambda w: f"/api/v1/families/{w.family.code}",
        forget_family,
        api=True,
    ),
    Case(
        "api/v1/products/<sku>/price",
        "get_price",
        "get",
        lambda w: f"/api/v1/products/{w.product.sku}/price?qty=3",
        forget_product,
        api=True,
    ),
    Case(
        "api/v1/cart/lines/<sku>",
        "put_line",
        "put",
        lambda w: f"/api/v1/cart/lines/{w.product.sku}",
        forget_product,
        api=True,
        body=lambda w: {"qty": 2},
    ),
    Case(
        "api/v1/company/users/<user_id>",
        "update_user",
        "patch",
        lambda w: f"/api/v1/company/users/{w.colleague.pk}",
        forget_colleague,
        api=True,
        body=lambda w: {"role": "viewer"},
    ),
    Case(
        "api/v1/company/users/<user_id>",
        "deactivate_user",
        "delete",
        lambda w: f"/api/v1/company/users/{w.colleague.pk}",
        forget_colleague,
        api=True,
    ),
    approval_case("", api=True),
    approval_case("approve", api=True),
    approval_case("reject", api=True, body=lambda w: {"reason": "Not now"}),
    approval_case("withdraw", api=True, owner_status=403),
    approval_case("retry", api=True, owner_status=409),
    Case(
        "api/v1/orders/<number>",
        "get_order",
        "get",
        lambda w: f"/api/v1/orders/{w.order.number}",
        forget_order,
        api=True,
    ),
    Case(
        "api/v1/orders/<number>/reorder",
        "reorder",
        "post",
        lambda w: f"/api/v1/orders/{w.order.number}/reorder",
        forget_order,
        api=True,
    ),
    Case(
        "api/v1/invoices/<number>",
        "get_invoice",
        "get",
        lambda w: f"/api/v1/invoices/{w.invoice.number}",
        forget_invoice,
        api=True,
    ),
    Case(
        "api/v1/invoices/<number>/pdf",
        "get_invoice_pdf",
        "get",
        lambda w: f"/api/v1/invoices/{w.invoice.number}/pdf",
        forget_invoice,
        api=True,
    ),
]

# Identifiers sent in a body rather than in the URL: the same rule holds.
BODY_CASES = [
    Case(
        "account/approval-rules/new/",
        "approval_rule_new",
        "post",
        lambda w: "/account/approval-rules/new/",
        forget_colleague,
        body=lambda w: {"name": "By name", "level": "1", "approvers": [str(w.colleague.pk)]},
        owner_status=302,
    ),
    Case(
        "account/budgets/new/",
        "budget_new",
        "post",
        lambda w: "/account/budgets/new/",
        forget_colleague,
        body=lambda w: {
            "user": str(w.colleague.pk),
            "period": "month",
            "amount": "500.00",
            "over_budget": "approval",
        },
        owner_status=302,
    ),
    Case(
        "cart/add/",
        "cart_add",
        "post",
        lambda w: "/cart/add/",
        forget_product,
        body=lambda w: {"sku": w.product.sku, "qty": "2"},
        owner_status=302,
    ),
    Case(
        "cart/add-all/",
        "add_all",
        "post",
        lambda w: "/cart/add-all/",
        forget_product,
        body=lambda w: {"sku": [w.product.sku], f"qty:{w.product.sku}": "2"},
        owner_status=302,
    ),
    Case(
        "api/v1/cart/lines",
        "post_lines",
        "post",
        lambda w: "/api/v1/cart/lines",
        forget_product,
        api=True,
        body=lambda w: {"lines": [{"sku": w.product.sku, "qty": 2}]},
    ),
    Case(
        "api/v1/checkout",
        "checkout",
        "post",
        lambda w: "/api/v1/checkout",
        forget_address,
        api=True,
        body=lambda w: {"shipping_address": w.address.code, "payment_method": "TRANSFER"},
        owner_status=201,
    ),
    # A's quote is real but not accepted yet: A is told so (409, back to the quote's page).
    Case(
        "api/v1/checkout",
        "checkout",
        "post",
        lambda w: "/api/v1/checkout",
        forget_quote,
        api=True,
        body=lambda w: {"payment_method": "TRANSFER", "quote": w.quote.number},
        owner_status=409,
    ),
    Case(
        "checkout/",
        "checkout",
        "get",
        lambda w: f"/checkout/?quote={w.quote.number}",
        forget_quote,
        owner_status=302,
    ),
    Case(
        "checkout/place/",
        "place_order",
        "post",
        lambda w: "/checkout/place/",
        forget_quote,
        body=lambda w: {"quote": w.quote.number, "token": "cross", "payment_method": "TRANSFER"},
        owner_status=302,
    ),
]


def _token(email: str) -> str:
    response = Client().post(
        "/api/v1/auth/token", {"email": email, "password": PASSWORD}, "application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def world(store) -> World:
    shop = build_shop(store)
    company_a = shop.company
    company_b = CompanyFactory(code="BETA", name="Beta Bâtiment", group=shop.group)
    AddressFactory(company=company_b, code="MAIN", position=0, country="FR")
    # Both buyers administer their company's team, so that only the company tells them apart.
    buyer_b = UserFactory(company=company_b, email="achats@beta.example", role=ADMINISTRATOR)
    User.objects.filter(pk=shop.buyer.pk).update(role=ADMINISTRATOR)
    shop.buyer.refresh_from_db()
    colleague = UserFactory(company=company_a, email="compta@acme.example")
    invitation = member_invite(
        actor=shop.buyer,
        email="stagiaire@acme.example",
        placement=Placement(role="viewer", locations=None),
        language="fr",
        site_url="http://testserver/",
    )

    # A product and a category for company A only.
    category = CategoryFactory(code="ACME-ONLY", name="Acme specials")
    product = ProductFactory(
        sku="ACME-SPECIAL",
        name="Acme special bracket",
        category=category,
        stock=100,
        visibility=Visibility.COMPANIES,
        visible_companies=[company_a],
    )
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("7.00"))
    family = ProductFamily.objects.create(
        code="ACME-BRACKETS", name="Acme brackets", row_axis="Finish", row_values="Zinc"
    )
    FamilyVariant.objects.create(family=family, product=product, row_value="Zinc")

    order = create_order(
        company=company_a,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 40, Decimal("3.90"))],
    )
    certificate = TaxCertificateFactory(company=company_a, country="FR", region="")
    certificate.document.save("scan.pdf", ContentFile(PDF))
    invoice = InvoiceFactory(order=order)
    return_request = ReturnRequest.objects.create(
        number="RMA-2026-000001",
        order=order,
        company=order.company,
        requested_by=order.buyer,
        reason="damaged",
    )
    credit_note = credit_note_issue(
        invoice=invoice, kind="amount", amount=Decimal("10.00"), reason="Goodwill"
    )

    approval = create_approval(
        company=company_a,
        requester=UserFactory(company=company_a, email="atelier@acme.example"),
        items=[(shop.products["SCR-100"], 120, Decimal("3.50"))],
        rules=[approval_rule(1, roles=[ADMINISTRATOR])],
    )

    quote = quote_request(
        viewer=viewer_for(store, shop.buyer), request=QuoteRequest(rows=[("SCR-100", 40)])
    )

    a, b = Client(), Client()
    a.force_login(shop.buyer)
    b.force_login(buyer_b)
    # B can check out (a line in its cart), so that only the address can be refused.
    b.post("/cart/lines/SCR-100/", {"qty": "50"})
    a.post("/cart/lines/SCR-100/", {"qty": "50"})
    rule = ApprovalRule.objects.create(
        company=company_a, name="Above 2,000", approver_roles=["approver"]
    )
    ApprovalCondition.objects.create(rule=rule, kind="total_above", amount=Decimal("2000.00"))
    budget = Budget.objects.create(
        company=company_a, period="month", amount=Decimal("5000.00"), over_budget="refuse"
    )
    shared_list = RequisitionList.objects.create(
        company=company_a, owner=colleague, name="Consumables", sharing="company"
    )
    ListLine.objects.create(
        requisition_list=shared_list, product=shop.products["SCR-100"], quantity=10
    )
    return World(
        a=a,
        b=b,
        api_a={"HTTP_AUTHORIZATION": f"Bearer {_token(shop.buyer.email)}"},
        api_b={"HTTP_AUTHORIZATION": f"Bearer {_token(buyer_b.email)}"},
        order=order,
        product=product,
        category=category,
        certificate=certificate,
        address=Address.objects.get(company=company_a, code="HQ"),
        invoice=invoice,
        credit_note=credit_note,
        return_request=return_request,
        colleague=colleague,
        invitation=invitation,
        approval=approval,
        rule=rule,
        budget=budget,
        shared_list=shared_list,
        family=family,
        quote=quote,
    )


def _send(world: World, case: Case, who: str):
    client = world.a if who == "a" else world.b
    url = case.url(world)
    body = case.body(world) if case.body else None
    if case.api:
        headers = world.api_a if who == "a" else world.api_b
        if body is not None:
            return getattr(client, case.method)(url, body, "application/json", **headers)
        return getattr(client, case.method)(url, **headers)
    if case.method == "get":
        return client.get(url)
    return client.post(url, body or {})


# A page with a form carries a CSRF token masked afresh on every response.
CSRF_TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _answer(response) -> tuple:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, response.get("Content-Type"), CSRF_TOKEN.sub(rb"\1-", content)


@pytest.mark.parametrize("case", CASES + BODY_CASES, ids=lambda c: f"{c.method} {c.route}")
def test_another_company_gets_the_answer_of_an_unknown_identifier(world, case):
    owner = _send(world, case, "a")
    assert owner.status_code == case.owner_status, _answer(owner)

    foreign = _answer(_send(world, case, "b"))
    case.forget(world)
    unknown = _answer(_send(world, case, "b"))

    assert foreign == unknown
    if case in CASES:
        assert foreign[0] == 404


def test_the_exclusive_product_is_not_found_by_search_either(world):
    assert world.product.name not in world.b.get("/search/", {"q": "bracket"}).content.decode()
    api = world.b.get("/api/v1/products", {"search": "bracket"}, **world.api_b).json()
    assert api["count"] == 0
    assert world.product.name in world.a.get("/search/", {"q": "bracket"}).content.decode()


def test_every_url_with_an_identifier_is_covered():
    covered = {(case.route, case.name) for case in CASES}
    with_parameters = {
        (route, name)
        for route, name, groups in url_patterns()
        if groups and route not in PUBLIC_ROUTES and not route.startswith(STAFF_PREFIXES)
    }
    assert with_parameters - covered == set(), (
        "URLs with an identifier but no cross-company case in tests/test_cross_company.py"
    )
    assert covered - with_parameters == set(), "cases for URLs that no longer exist"
