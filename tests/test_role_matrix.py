"""Every page and API route, asked by a user of each built-in role: allowed or refused.

The permission a route needs is written once in `ROUTES`; what each role may do comes from
`accounts.permissions.BUILTIN_ROLES`, so the expectation of every cell is derived, not typed.
A refused call is a 403 (a page that says why, or `permission_denied` in the API); an allowed
one is neither 401 nor 403 nor a server error. A new route fails
`test_every_route_has_an_entry` until it is listed here or in `OPEN_ROUTES`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from comptoir.accounts.access import viewer_for
from comptoir.accounts.permissions import (
    APPROVE_ORDERS,
    BUILTIN_ROLES,
    MANAGE_LISTS,
    MANAGE_USERS,
    PLACE_ORDERS,
    REQUEST_QUOTES,
    SEE_INVOICES,
    SEE_PRICES,
)
from comptoir.approvals.models import ApprovalRule, Budget
from comptoir.catalog.models import FamilyVariant, ProductFamily
from comptoir.core.selectors import get_store
from comptoir.credits.services import credit_note_issue
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.quotes.services import QuoteRequest, quote_request
from comptoir.returns.models import ReturnLine, ReturnRequest
from comptoir.teams.services import Placement, member_invite
from tests.factories import (
    InvoiceFactory,
    TaxCertificateFactory,
    UserFactory,
    approval_rule,
    create_approval,
    create_order,
)
from tests.shops import build_shop
from tests.test_cross_company import PASSWORD, url_patterns

ANY = None
"""Any user of an approved company, whatever the role."""

# Open to visitors or the same for everyone: login, account request, password reset, legal
# pages, the API's documents, health checks, the invitation link (its token is the credential),
# product pictures (public under generated names: comptoir/catalog/media.py).
OPEN_ROUTES = {
    "healthz",
    "favicon.ico",
    "media/<path:name>",
    "api/v1/openapi.json",
    "api/v1/docs",
    "api/v1/auth/token",
    "api/v1/",
    "i18n/setlang/",
    "account/request/",
    "account/request/sent/",
    "account/login/",
    "account/logout/",
    "account/password/reset/",
    "account/password/reset/sent/",
    "account/password/set/<uidb64>/<token>/",
    "account/password/set/done/",
    "legal/",
    "sitemap.xml",
    "team/join/<str:token>/",
}
# The back office, and the ERP routes, which take an integration's key and refuse every
# company role alike (comptoir/integrations/tests/test_keys.py tries each role on each route).
STAFF_PREFIXES = ("admin/", "api/v1/erp/")


@dataclass
class Probe:
    route: str
    name: str
    needs: str | None
    method: str = "get"
    url: Callable[["World", str], str] | None = None
    body: dict | None = None
    api: bool = False
    extra: dict = field(default_factory=dict)

    def path(self, world, role):
        if self.url is not None:
            return self.url(world, role)
        return "/" + self.route


@dataclass
class World:
    users: dict
    orders: dict
    invoices: dict
    credit_notes: dict
    returns: dict
    colleague: object
    invitation: object
    certificate: object
    approvals: dict
    """Each role's own approval request."""
    colleague_approval: object
    """A colleague's request, whose rule names every role: only who may approve orders may."""
    rule: object
    budget: object
    lists: dict
    api_lists: dict
    quotes: dict


def order_of(world, role):
    return world.orders[role].number


def quote_of(world, role):
    return world.quotes[role].number


def list_of(world, role):
    return world.lists[role].pk


def api_list_of(world, role):
    return world.api_lists[role].pk


ROUTES = [
    # Storefront
    Probe("", "home", ANY),
    Probe("c/<str:code>/", "category", ANY, url=lambda w, r: "/c/FASTENERS/"),
    Probe("search/", "search", ANY, url=lambda w, r: "/search/?q=screw"),
    Probe("p/<str:sku>/", "product", ANY, url=lambda w, r: "/p/SCR-100/"),
    Probe("offers/", "offers", ANY),
    Probe("cart/", "cart", PLACE_ORDERS),
    Probe("cart/add/", "cart_add", PLACE_ORDERS, "post", body={"sku": "SCR-100", "qty": "50"}),
    Probe(
        "cart/add-all/",
        "add_all",
        PLACE_ORDERS,
        "post",
        body={"sku": ["SCR-100", "MNL-1"], "qty:SCR-100": "50", "qty:MNL-1": "1"},
    ),
    Probe("f/<str:code>/", "family", ANY, url=lambda w, r: "/f/FASTENER-KIT/"),
    Probe(
        "cart/lines/<str:sku>/",
        "cart_line",
        PLACE_ORDERS,
        "post",
        url=lambda w, r: "/cart/lines/SCR-100/",
        body={"qty": "50"},
    ),
    Probe("cart/clear/", "cart_clear", PLACE_ORDERS, "post"),
    Probe("cart/location/", "cart_location", PLACE_ORDERS, "post", body={"location": ""}),
    Probe("quick-order/", "quick_order", PLACE_ORDERS),
    Probe("checkout/", "checkout", PLACE_ORDERS),
    Probe("checkout/summary/", "checkout_summary", PLACE_ORDERS, "post"),
    Probe("checkout/place/", "place_order", PLACE_ORDERS, "post"),
    Probe("orders/", "orders", ANY),
    Probe("orders/<str:number>/", "order", ANY, url=lambda w, r: f"/orders/{order_of(w, r)}/"),
    Probe(
        "orders/<str:number>/reorder/",
        "reorder",
        PLACE_ORDERS,
        "post",
        url=lambda w, r: f"/orders/{order_of(w, r)}/reorder/",
    ),
    Probe(
        "invoices/<str:number>/",
        "invoice",
        SEE_INVOICES,
        url=lambda w, r: f"/invoices/{w.invoices[r].number}/",
    ),
    Probe(
        "invoices/<str:number>.pdf",
        "invoice_pdf",
        SEE_INVOICES,
        url=lambda w, r: f"/invoices/{w.invoices[r].number}.pdf",
    ),
    Probe(
        "credit-notes/<str:number>/",
        "credit_note",
        SEE_INVOICES,
        url=lambda w, r: f"/credit-notes/{w.credit_notes[r].number}/",
    ),
    Probe(
        "credit-notes/<str:number>.pdf",
        "credit_note_pdf",
        SEE_INVOICES,
        url=lambda w, r: f"/credit-notes/{w.credit_notes[r].number}.pdf",
    ),
    Probe(
        "orders/<str:number>/return/",
        "return_new",
        PLACE_ORDERS,
        url=lambda w, r: f"/orders/{order_of(w, r)}/return/",
    ),
    Probe(
        "returns/<str:number>/",
        "return",
        ANY,
        url=lambda w, r: f"/returns/{w.returns[r].number}/",
    ),
    Probe(
        "returns/<str:number>/photo/",
        "return_photo",
        ANY,
        url=lambda w, r: f"/returns/{w.returns[r].number}/photo/",
    ),
    Probe(
        "returns/<str:number>/cancel/",
        "return_cancel",
        PLACE_ORDERS,
        "post",
        url=lambda w, r: f"/returns/{w.returns[r].number}/cancel/",
    ),
    Probe("account/", "account", ANY),
    Probe("account/certificates/", "certificate_upload", ANY, "post", body={"number": ""}),
    Probe(
        "account/certificates/<int:pk>/document/",
        "certificate_document",
        ANY,
        url=lambda w, r: f"/account/certificates/{w.certificate.pk}/document/",
    ),
    Probe("account/team/", "team", MANAGE_USERS),
    Probe(
        "account/team/users/<int:user_id>/",
        "team_member",
        MANAGE_USERS,
        url=lambda w, r: f"/account/team/users/{w.colleague.pk}/",
    ),
    Probe(
        "account/team/users/<int:user_id>/active/",
        "team_member_active",
        MANAGE_USERS,
        "post",
        url=lambda w, r: f"/account/team/users/{w.colleague.pk}/active/",
        body={"active": "1"},
    ),
    Probe(
        "account/team/invitations/<int:invitation_id>/",
        "team_invitation",
        MANAGE_USERS,
        "post",
        url=lambda w, r: f"/account/team/invitations/{w.invitation.pk}/",
        body={"action": "resend"},
    ),
    Probe("account/approvals/", "approvals", ANY),
    Probe(
        "account/approvals/<str:number>/",
        "approval",
        ANY,
        url=lambda w, r: f"/account/approvals/{w.approvals[r].number}/",
    ),
    Probe(
        "account/approvals/<str:number>/approve/",
        "approval_approve",
        APPROVE_ORDERS,
        "post",
        url=lambda w, r: f"/account/approvals/{w.colleague_approval.number}/approve/",
    ),
    Probe(
        "account/approvals/<str:number>/reject/",
        "approval_reject",
        APPROVE_ORDERS,
        "post",
        url=lambda w, r: f"/account/approvals/{w.colleague_approval.number}/reject/",
        body={"reason": "Not this month"},
    ),
    Probe(
        "account/approvals/<str:number>/withdraw/",
        "approval_withdraw",
        ANY,
        "post",
        url=lambda w, r: f"/account/approvals/{w.approvals[r].number}/withdraw/",
    ),
    Probe(
        "account/approvals/<str:number>/retry/",
        "approval_retry",
        ANY,
        "post",
        url=lambda w, r: f"/account/approvals/{w.approvals[r].number}/retry/",
    ),
    Probe("account/approval-rules/", "approval_rules", MANAGE_USERS),
    Probe("account/approval-rules/new/", "approval_rule_new", MANAGE_USERS),
    Probe(
        "account/approval-rules/new/",
        "approval_rule_new",
        MANAGE_USERS,
        "post",
        body={"name": "", "level": "1"},
    ),
    Probe(
        "account/approval-rules/<int:rule_id>/",
        "approval_rule",
        MANAGE_USERS,
        url=lambda w, r: f"/account/approval-rules/{w.rule.pk}/",
    ),
    Probe(
        "account/approval-rules/<int:rule_id>/",
        "approval_rule",
        MANAGE_USERS,
        "post",
        url=lambda w, r: f"/account/approval-rules/{w.rule.pk}/",
        body={"name": "Everything", "level": "1", "approver_roles": ["admin"]},
    ),
    Probe(
        "account/approval-rules/<int:rule_id>/delete/",
        "approval_rule_delete",
        MANAGE_USERS,
        "post",
        url=lambda w, r: f"/account/approval-rules/{w.rule.pk}/delete/",
    ),
    Probe("account/budgets/", "budgets", MANAGE_USERS),
    Probe("account/budgets/new/", "budget_new", MANAGE_USERS),
    Probe(
        "account/budgets/new/",
        "budget_new",
        MANAGE_USERS,
        "post",
        body={"period": "month", "amount": "-1", "over_budget": "refuse"},
    ),
    Probe(
        "account/budgets/<int:budget_id>/",
        "budget",
        MANAGE_USERS,
        url=lambda w, r: f"/account/budgets/{w.budget.pk}/",
    ),
    Probe(
        "account/budgets/<int:budget_id>/",
        "budget",
        MANAGE_USERS,
        "post",
        url=lambda w, r: f"/account/budgets/{w.budget.pk}/",
        body={"period": "quarter", "amount": "900.00", "over_budget": "approval"},
    ),
    Probe(
        "account/budgets/<int:budget_id>/delete/",
        "budget_delete",
        MANAGE_USERS,
        "post",
        url=lambda w, r: f"/account/budgets/{w.budget.pk}/delete/",
    ),
    Probe("lists/", "lists", MANAGE_LISTS),
    Probe("lists/from-cart/", "list_from_cart", MANAGE_LISTS, "post", body={"name": "Cart"}),
    Probe(
        "lists/collect/",
        "list_collect",
        MANAGE_LISTS,
        "post",
        body={"sku": "SCR-100", "qty": "10", "name": "From the product page"},
    ),
    Probe(
        "lists/<int:list_id>/", "list", MANAGE_LISTS, url=lambda w, r: f"/lists/{list_of(w, r)}/"
    ),
    Probe(
        "lists/<int:list_id>/lines/",
        "list_add",
        MANAGE_LISTS,
        "post",
        url=lambda w, r: f"/lists/{list_of(w, r)}/lines/",
        body={"lines": "SCR-100 5"},
    ),
    Probe(
        "lists/<int:list_id>/lines/<str:sku>/",
        "list_line",
        MANAGE_LISTS,
        "post",
        url=lambda w, r: f"/lists/{list_of(w, r)}/lines/SCR-100/",
        body={"qty": "7"},
    ),
    Probe(
        "lists/<int:list_id>/selected/",
        "list_selected",
        MANAGE_LISTS,
        "post",
        url=lambda w, r: f"/lists/{list_of(w, r)}/selected/",
        body={"action": "to_cart"},
    ),
    Probe(
        "lists/<int:list_id>/delete/",
        "list_delete",
        MANAGE_LISTS,
        "post",
        url=lambda w, r: f"/lists/{list_of(w, r)}/delete/",
    ),
    Probe("account/quotes/", "quotes", REQUEST_QUOTES),
    Probe("account/quotes/new/", "quote_new", REQUEST_QUOTES),
    Probe(
        "account/quotes/<str:number>/",
        "quote",
        REQUEST_QUOTES,
        url=lambda w, r: f"/account/quotes/{quote_of(w, r)}/",
    ),
    Probe(
        "account/quotes/<str:number>.pdf",
        "quote_pdf",
        REQUEST_QUOTES,
        url=lambda w, r: f"/account/quotes/{quote_of(w, r)}.pdf",
    ),
    Probe(
        "account/quotes/<str:number>/answer/",
        "quote_answer",
        REQUEST_QUOTES,
        "post",
        url=lambda w, r: f"/account/quotes/{quote_of(w, r)}/answer/",
        body={"action": "accept"},
    ),
    # REST API
    Probe("api/v1/account", "get_account", ANY, api=True),
    Probe("api/v1/products", "list_products", ANY, api=True),
    Probe(
        "api/v1/families/<code>",
        "get_family",
        ANY,
        api=True,
        url=lambda w, r: "/api/v1/families/FASTENER-KIT",
    ),
    Probe(
        "api/v1/products/<sku>",
        "get_product",
        ANY,
        api=True,
        url=lambda w, r: "/api/v1/products/SCR-100",
    ),
    Probe(
        "api/v1/products/<sku>/price",
        "get_price",
        SEE_PRICES,
        api=True,
        url=lambda w, r: "/api/v1/products/SCR-100/price?qty=10",
    ),
    Probe("api/v1/cart", "get_cart", PLACE_ORDERS, api=True),
    Probe("api/v1/cart", "delete_cart", PLACE_ORDERS, "delete", api=True),
    Probe(
        "api/v1/cart/location",
        "put_cart_location",
        PLACE_ORDERS,
        "put",
        api=True,
        body={"location": None},
    ),
    Probe(
        "api/v1/cart/lines/<sku>",
        "put_line",
        PLACE_ORDERS,
        "put",
        api=True,
        url=lambda w, r: "/api/v1/cart/lines/SCR-100",
        body={"qty": 50},
    ),
    Probe(
        "api/v1/cart/lines",
        "post_lines",
        PLACE_ORDERS,
        "post",
        api=True,
        body={"lines": [{"sku": "SCR-100", "qty": 50}]},
    ),
    Probe("api/v1/cart/import", "import_lines", PLACE_ORDERS, "post", api=True, body={"csv": ""}),
    Probe(
        "api/v1/checkout", "checkout", PLACE_ORDERS, "post", api=True, body={"payment_method": "X"}
    ),
    Probe("api/v1/orders", "list_orders", ANY, api=True),
    Probe(
        "api/v1/orders/<number>",
        "get_order",
        ANY,
        api=True,
        url=lambda w, r: f"/api/v1/orders/{order_of(w, r)}",
    ),
    Probe(
        "api/v1/orders/<number>/reorder",
        "reorder",
        PLACE_ORDERS,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/orders/{order_of(w, r)}/reorder",
    ),
    Probe("api/v1/invoices", "list_invoices", SEE_INVOICES, api=True),
    Probe(
        "api/v1/invoices/<number>",
        "get_invoice",
        SEE_INVOICES,
        api=True,
        url=lambda w, r: f"/api/v1/invoices/{w.invoices[r].number}",
    ),
    Probe(
        "api/v1/invoices/<number>/pdf",
        "get_invoice_pdf",
        SEE_INVOICES,
        api=True,
        url=lambda w, r: f"/api/v1/invoices/{w.invoices[r].number}/pdf",
    ),
    Probe("api/v1/company/users", "list_users", MANAGE_USERS, api=True),
    Probe(
        "api/v1/company/users",
        "invite_user",
        MANAGE_USERS,
        "post",
        api=True,
        body={"email": "not-an-address"},
    ),
    Probe(
        "api/v1/company/users/<user_id>",
        "update_user",
        MANAGE_USERS,
        "patch",
        api=True,
        url=lambda w, r: f"/api/v1/company/users/{w.colleague.pk}",
        body={"role": "viewer"},
    ),
    Probe(
        "api/v1/company/users/<user_id>",
        "deactivate_user",
        MANAGE_USERS,
        "delete",
        api=True,
        url=lambda w, r: f"/api/v1/company/users/{w.colleague.pk}",
    ),
    Probe("api/v1/lists", "get_lists", MANAGE_LISTS, api=True),
    Probe("api/v1/lists", "post_list", MANAGE_LISTS, "post", api=True, body={"name": "API"}),
    Probe(
        "api/v1/lists/<list_id>",
        "get_list",
        MANAGE_LISTS,
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}",
    ),
    Probe(
        "api/v1/lists/<list_id>",
        "patch_list",
        MANAGE_LISTS,
        "patch",
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}",
        body={"name": "Renamed"},
    ),
    Probe(
        "api/v1/lists/<list_id>/lines",
        "post_list_lines",
        MANAGE_LISTS,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}/lines",
        body={"lines": [{"sku": "SCR-100", "qty": 5}]},
    ),
    Probe(
        "api/v1/lists/<list_id>/lines/<sku>",
        "put_list_line",
        MANAGE_LISTS,
        "put",
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}/lines/SCR-100",
        body={"qty": 3},
    ),
    Probe(
        "api/v1/lists/<list_id>/to-cart",
        "list_to_cart",
        MANAGE_LISTS,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}/to-cart",
        body={},
    ),
    Probe(
        "api/v1/lists/<list_id>/lines/<sku>",
        "delete_list_line",
        MANAGE_LISTS,
        "delete",
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}/lines/SCR-100",
    ),
    Probe(
        "api/v1/lists/<list_id>",
        "delete_list",
        MANAGE_LISTS,
        "delete",
        api=True,
        url=lambda w, r: f"/api/v1/lists/{api_list_of(w, r)}",
    ),
    Probe("api/v1/approvals", "list_approvals", ANY, api=True),
    Probe(
        "api/v1/approvals/<number>",
        "get_approval",
        ANY,
        api=True,
        url=lambda w, r: f"/api/v1/approvals/{w.approvals[r].number}",
    ),
    Probe(
        "api/v1/approvals/<number>/approve",
        "approve",
        APPROVE_ORDERS,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/approvals/{w.colleague_approval.number}/approve",
    ),
    Probe(
        "api/v1/approvals/<number>/reject",
        "reject",
        APPROVE_ORDERS,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/approvals/{w.colleague_approval.number}/reject",
        body={"reason": "Not this month"},
    ),
    Probe(
        "api/v1/approvals/<number>/withdraw",
        "withdraw",
        ANY,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/approvals/{w.approvals[r].number}/withdraw",
    ),
    Probe(
        "api/v1/approvals/<number>/retry",
        "retry",
        ANY,
        "post",
        api=True,
        url=lambda w, r: f"/api/v1/approvals/{w.approvals[r].number}/retry",
    ),
    Probe("api/v1/company/locations", "list_locations", ANY, api=True),
    Probe("api/v1/returns", "list_returns", ANY, api=True),
    Probe(
        "api/v1/returns",
        "request_return",
        PLACE_ORDERS,
        "post",
        api=True,
        body={
            "order": "CMD-1999-000001",
            "lines": [{"sku": "SCR-100", "qty": 1}],
            "reason": "other",
        },
    ),
    Probe(
        "api/v1/returns/<number>",
        "get_return",
        ANY,
        api=True,
        url=lambda w, r: f"/api/v1/returns/{w.returns[r].number}",
    ),
    Probe("api/v1/credit-notes", "list_credit_notes", SEE_INVOICES, api=True),
    Probe(
        "api/v1/credit-notes/<number>",
        "get_credit_note",
        SEE_INVOICES,
        api=True,
        url=lambda w, r: f"/api/v1/credit-notes/{w.credit_notes[r].number}",
    ),
    Probe(
        "api/v1/credit-notes/<number>/pdf",
        "credit_note_pdf",
        SEE_INVOICES,
        api=True,
        url=lambda w, r: f"/api/v1/credit-notes/{w.credit_notes[r].number}/pdf",
    ),
    Probe("api/v1/quotes", "list_quotes", REQUEST_QUOTES, api=True),
    Probe(
        "api/v1/quotes",
        "request_quote",
        REQUEST_QUOTES,
        "post",
        api=True,
        body={"lines": [{"sku": "SCR-100", "qty": 50}]},
    ),
    Probe(
        "api/v1/quotes/<number>",
        "get_quote",
        REQUEST_QUOTES,
        api=True,
        url=lambda w, r: f"/api/v1/quotes/{quote_of(w, r)}",
    ),
    *(
        Probe(
            f"api/v1/quotes/<number>/{action}",
            f"{action}_quote",
            REQUEST_QUOTES,
            "post",
            api=True,
            url=lambda w, r, action=action: f"/api/v1/quotes/{quote_of(w, r)}/{action}",
            body={"message": "Can you do better?"},
        )
        for action in ("accept", "reject", "revise")
    ),
    Probe("api/v1/company/roles", "list_roles", ANY, api=True),
]


@pytest.fixture
def world(store) -> World:
    return build_world(store)


def build_world(store) -> World:
    """ACME's users of every built-in role, each with an order, invoice, approval request,
    lists and a quote (also used by comptoir/sales/tests/test_acting_writes.py)."""
    shop = build_shop(store)
    kit = ProductFamily.objects.create(
        code="FASTENER-KIT", name="Fasteners", row_axis="Kind", row_values="Screw\nBinder"
    )
    for sku, kind in (("SCR-100", "Screw"), ("MNL-1", "Binder")):
        FamilyVariant.objects.create(family=kit, product=shop.products[sku], row_value=kind)
    users = {
        role: UserFactory(company=shop.company, email=f"{role}@acme.example", role=role)
        for role in BUILTIN_ROLES
    }
    orders = {
        role: create_order(
            company=shop.company,
            buyer=user,
            items=[(shop.products["SCR-100"], 40, Decimal("3.90"))],
            location=shop.company.locations.get(),
        )
        for role, user in users.items()
    }
    invoices = {role: InvoiceFactory(order=order) for role, order in orders.items()}
    returns = {}
    for role, order in orders.items():
        returns[role] = ReturnRequest.objects.create(
            number=f"RMA-2026-{len(returns) + 1:06d}",
            order=order,
            company=shop.company,
            requested_by=order.buyer,
            reason="damaged",
        )
        ReturnLine.objects.create(
            request=returns[role],
            order_line=order.lines.get(),
            sku="SCR-100",
            name="Screws",
            quantity=1,
        )
    credit_notes = {
        role: credit_note_issue(
            invoice=invoice, kind="amount", amount=Decimal("10.00"), reason="Goodwill"
        )
        for role, invoice in invoices.items()
    }
    certificate = TaxCertificateFactory(company=shop.company, country="FR", region="")
    certificate.document.save("scan.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    invitation = member_invite(
        actor=users["admin"],
        email="intern@acme.example",
        placement=Placement(role="viewer", locations=None),
        language="en",
        site_url="http://testserver/",
    )
    every_role = [approval_rule(1, roles=BUILTIN_ROLES)]
    lyon = shop.company.locations.get()
    approvals = {
        role: create_approval(
            company=shop.company,
            requester=user,
            items=[(shop.products["SCR-100"], 120, Decimal("3.50"))],
            rules=every_role,
            location=lyon,
        )
        for role, user in users.items()
    }
    colleague_approval = create_approval(
        company=shop.company,
        requester=shop.buyer,
        items=[(shop.products["SCR-100"], 120, Decimal("3.50"))],
        rules=every_role,
        location=lyon,
    )
    rule = ApprovalRule.objects.create(
        company=shop.company, name="Every order", approver_roles=["approver"]
    )
    budget = Budget.objects.create(company=shop.company, period="month", amount=Decimal("5000"))
    lists, api_lists = {}, {}
    for role, user in users.items():
        lists[role], api_lists[role] = (
            RequisitionList.objects.create(company=shop.company, owner=user, name=name)
            for name in (f"{role} restock", f"{role} API list")
        )
        for found in (lists[role], api_lists[role]):
            ListLine.objects.create(
                requisition_list=found, product=shop.products["SCR-100"], quantity=10
            )
    # Each role's own quote; a role that may not ask for one is shown the administrator's.
    quotes = {
        role: quote_request(
            viewer=viewer_for(
                get_store(),
                user if REQUEST_QUOTES in BUILTIN_ROLES[role] else users["admin"],
            ),
            request=QuoteRequest(rows=[("SCR-100", 40)]),
        )
        for role, user in users.items()
    }
    return World(
        quotes=quotes,
        users=users,
        orders=orders,
        invoices=invoices,
        credit_notes=credit_notes,
        returns=returns,
        colleague=shop.buyer,
        invitation=invitation,
        certificate=certificate,
        approvals=approvals,
        colleague_approval=colleague_approval,
        rule=rule,
        budget=budget,
        lists=lists,
        api_lists=api_lists,
    )


def _client(user, api: bool) -> Client:
    client = Client()
    if not api:
        client.force_login(user)
        return client
    token = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _send(client: Client, probe: Probe, path: str):
    if probe.api:
        if probe.method in ("get", "delete") and probe.body is None:
            return getattr(client, probe.method)(path)
        return getattr(client, probe.method)(path, probe.body or {}, "application/json")
    if probe.method == "get":
        return client.get(path)
    return client.post(path, probe.body or {})


@pytest.mark.parametrize("role", list(BUILTIN_ROLES))
def test_each_role_is_allowed_or_refused_on_every_route(world, role):
    user = world.users[role]
    pages, api = _client(user, api=False), _client(user, api=True)
    wrong = []
    for probe in ROUTES:
        client = api if probe.api else pages
        response = _send(client, probe, probe.path(world, role))
        allowed = probe.needs is None or probe.needs in BUILTIN_ROLES[role]
        status = response.status_code
        if allowed and (status in (401, 403) or status >= 500):
            wrong.append(f"{probe.method} {probe.route} ({probe.name}): refused {status}")
        if not allowed:
            refused = status == 403 and (
                not probe.api or response.json().get("code") == "permission_denied"
            )
            if not refused:
                wrong.append(f"{probe.method} {probe.route} ({probe.name}): allowed {status}")
    assert wrong == []


def test_every_route_has_an_entry():
    listed = {(probe.route, probe.name) for probe in ROUTES}
    routes = {
        (route, name)
        for route, name, _groups in url_patterns()
        if route not in OPEN_ROUTES and not route.startswith(STAFF_PREFIXES)
    }
    assert routes - listed == set(), "routes without an entry in tests/test_role_matrix.py"
    assert listed - routes == set(), "entries for routes that no longer exist"
