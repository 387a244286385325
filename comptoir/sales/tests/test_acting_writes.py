"""Every writing storefront page and API route, used by a representative acting as a buyer
(issue 18, point 6: "every on-behalf write carries both users"): each is either recorded with
the staff user (in the acting trail always, and on the row it writes where the row names an
author) or refused while acting (company administration).

The writing routes are those of `tests/test_role_matrix.py` with another method than GET;
`test_every_writing_route_has_a_decision` fails when one has no entry in `WRITES`, so a new
writing route needs a decision here, as every route needs one in the matrix.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.accounts.access import viewer_for
from comptoir.accounts.permissions import ADMINISTRATOR, BUILTIN_ROLES
from comptoir.approvals.models import ApprovalEvent, ApprovalRequest, ApprovalRule, Budget
from comptoir.catalog.models import Product
from comptoir.core.selectors import get_store, store_today
from comptoir.lists.models import RequisitionList
from comptoir.ordering.models import Order, OrderStatus
from comptoir.quotes.models import Quote, QuoteEvent
from comptoir.quotes.offers import LineOffer, Terms, quote_send, quote_set_line, quote_set_terms
from comptoir.quotes.services import QuoteRequest, quote_request
from comptoir.returns.models import ReturnRequest
from comptoir.sales.models import ActingAction, ActingEvent, Assignment
from comptoir.sales.services import representatives_group
from comptoir.tax.models import TaxCertificate
from comptoir.teams.models import TeamEvent
from tests import test_role_matrix as matrix
from tests.factories import StaffUserFactory, approval_rule, create_approval

pytestmark = pytest.mark.django_db

REFUSED = "refused"
RECORDED = "recorded"


@dataclass
class Walk:
    world: matrix.World
    rep: object
    buyer: object
    extra: dict


@dataclass(frozen=True)
class Write:
    decision: str
    url: Callable[[Walk], str] | None = None
    body: Callable[[Client, Walk], dict | str] | dict | None = None
    content_type: str = "application/json"
    row: Callable[[Walk], bool] | None = None
    """For a write whose row names its author: that the row written names the staff user."""
    unchanged: Callable[[Walk], object] | None = None
    """For a refused write: what must be the same before and after."""


def _order_or_approval(walk: Walk) -> bool:
    latest = ApprovalRequest.objects.order_by("-id").first()
    order = Order.objects.order_by("-id").first()
    return (latest is not None and latest.entered_by == walk.rep) or (
        order is not None and order.placed_by == walk.rep
    )


def _approval_event(action: str) -> Callable[[Walk], bool]:
    def check(walk: Walk) -> bool:
        event = ApprovalEvent.objects.filter(action=action).order_by("-id").first()
        return event is not None and (event.actor, event.staff) == (walk.buyer, walk.rep)

    return check


def _quote_event(action: str) -> Callable[[Walk], bool]:
    def check(walk: Walk) -> bool:
        event = QuoteEvent.objects.filter(action=action).order_by("-id").first()
        return event is not None and (event.actor, event.staff) == (walk.buyer, walk.rep)

    return check


def _team_event(walk: Walk) -> bool:
    event = TeamEvent.objects.order_by("-id").first()
    return event is not None and (event.actor, event.staff) == (walk.buyer, walk.rep)


def _list_named(name: str) -> Callable[[Walk], bool]:
    def check(walk: Walk) -> bool:
        made = RequisitionList.objects.filter(name=name).first()
        return made is not None and (made.owner, made.entered_by) == (walk.buyer, walk.rep)

    return check


def _checkout_form(client: Client, walk: Walk) -> dict:
    client.post("/cart/add/", {"sku": "SCR-100", "qty": "40"})
    form = client.get("/checkout/").context["form"]
    return {
        "token": form.initial["token"],
        "address": "HQ",
        "shipping_method": "STD",
        "payment_method": "PO",
        "po_number": "WALK-1",
        "comment": "",
    }


def _rules_and_budgets(walk: Walk):
    return (
        list(ApprovalRule.objects.order_by("id").values()),
        list(Budget.objects.order_by("id").values()),
    )


def _certificates(walk: Walk):
    return list(TaxCertificate.objects.order_by("id").values("id", "number", "status"))


def _delivered_order_return(client: Client, walk: Walk) -> dict:
    """A return of the buyer's delivered order: one more of its 40 screws."""
    order = walk.world.orders[ADMINISTRATOR]
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED, delivered_on=store_today(get_store())
    )
    return {"order": order.number, "lines": [{"sku": "SCR-100", "qty": 1}], "reason": "damaged"}


def _return_of(walk: Walk) -> bool:
    made = ReturnRequest.objects.order_by("-id").first()
    return made.requested_by == walk.buyer


def _approval(key: str) -> Callable[[Walk], str]:
    return lambda walk: walk.extra["approvals"][key].number


def _quote(key: str) -> Callable[[Walk], str]:
    return lambda walk: walk.extra["quotes"][key].number


WRITES: dict[tuple[str, str, str], Write] = {
    # The cart: the representative is there to buy. The order placed from it names both.
    ("cart/add/", "cart_add", "post"): Write(RECORDED),
    ("cart/add-all/", "add_all", "post"): Write(RECORDED),
    ("cart/lines/<str:sku>/", "cart_line", "post"): Write(RECORDED),
    ("cart/clear/", "cart_clear", "post"): Write(RECORDED),
    ("cart/location/", "cart_location", "post"): Write(RECORDED),
    ("checkout/summary/", "checkout_summary", "post"): Write(RECORDED),
    ("checkout/place/", "place_order", "post"): Write(
        RECORDED, body=_checkout_form, row=_order_or_approval
    ),
    ("orders/<str:number>/reorder/", "reorder", "post"): Write(RECORDED),
    # Tax exemption is the customer's declaration, reviewed by the merchant: refused.
    ("account/certificates/", "certificate_upload", "post"): Write(
        REFUSED, body={"number": "EX-WALK", "country": "FR"}, unchanged=_certificates
    ),
    # The team: recorded in the team's trail with the staff user.
    ("account/team/users/<int:user_id>/active/", "team_member_active", "post"): Write(
        RECORDED,
        url=lambda w: f"/account/team/users/{w.world.users['viewer'].pk}/active/",
        body={"active": "0"},
        row=_team_event,
    ),
    ("account/team/invitations/<int:invitation_id>/", "team_invitation", "post"): Write(
        RECORDED, row=_team_event
    ),
    # Approval decisions: recorded in the request's trail with the staff user.
    ("account/approvals/<str:number>/approve/", "approval_approve", "post"): Write(
        RECORDED,
        url=lambda w: f"/account/approvals/{_approval('approve')(w)}/approve/",
        row=_approval_event("approved"),
    ),
    ("account/approvals/<str:number>/reject/", "approval_reject", "post"): Write(
        RECORDED,
        url=lambda w: f"/account/approvals/{_approval('reject')(w)}/reject/",
        body={"reason": "Not this month"},
        row=_approval_event("rejected"),
    ),
    ("account/approvals/<str:number>/withdraw/", "approval_withdraw", "post"): Write(
        RECORDED,
        url=lambda w: f"/account/approvals/{_approval('withdraw')(w)}/withdraw/",
        row=_approval_event("cancelled"),
    ),
    ("account/approvals/<str:number>/retry/", "approval_retry", "post"): Write(
        RECORDED,
        url=lambda w: f"/account/approvals/{_approval('retry')(w)}/retry/",
        row=_approval_event("ordered"),
    ),
    # The company's spending controls: refused while acting, changed in the back office.
    ("account/approval-rules/new/", "approval_rule_new", "post"): Write(
        REFUSED,
        body={"name": "Walk", "level": "1", "approver_roles": ["admin"]},
        unchanged=_rules_and_budgets,
    ),
    ("account/approval-rules/<int:rule_id>/", "approval_rule", "post"): Write(
        REFUSED, unchanged=_rules_and_budgets
    ),
    ("account/approval-rules/<int:rule_id>/delete/", "approval_rule_delete", "post"): Write(
        REFUSED, unchanged=_rules_and_budgets
    ),
    ("account/budgets/new/", "budget_new", "post"): Write(
        REFUSED,
        body={"period": "year", "amount": "100.00", "over_budget": "refuse"},
        unchanged=_rules_and_budgets,
    ),
    ("account/budgets/<int:budget_id>/", "budget", "post"): Write(
        REFUSED, unchanged=_rules_and_budgets
    ),
    ("account/budgets/<int:budget_id>/delete/", "budget_delete", "post"): Write(
        REFUSED, unchanged=_rules_and_budgets
    ),
    # Requisition lists: a new list names both; changes to lines go to the acting trail.
    ("lists/from-cart/", "list_from_cart", "post"): Write(
        RECORDED, body={"name": "Walk from the cart"}, row=_list_named("Walk from the cart")
    ),
    ("lists/collect/", "list_collect", "post"): Write(
        RECORDED,
        body={"sku": "SCR-100", "qty": "10", "name": "Walk collected"},
        row=_list_named("Walk collected"),
    ),
    ("lists/<int:list_id>/lines/", "list_add", "post"): Write(RECORDED),
    ("lists/<int:list_id>/lines/<str:sku>/", "list_line", "post"): Write(RECORDED),
    ("lists/<int:list_id>/selected/", "list_selected", "post"): Write(RECORDED),
    ("lists/<int:list_id>/delete/", "list_delete", "post"): Write(RECORDED),
    # Quotes: the answers are in the quote's trail with the staff user.
    ("account/quotes/<str:number>/answer/", "quote_answer", "post"): Write(
        RECORDED,
        url=lambda w: f"/account/quotes/{_quote('page')(w)}/answer/",
        row=_quote_event("accept"),
    ),
    # Returns: a representative may file or withdraw one for the buyer on the phone; the
    # request is the buyer's, the acting trail names the representative.
    ("returns/<str:number>/cancel/", "return_cancel", "post"): Write(RECORDED),
    ("api/v1/returns", "request_return", "post"): Write(
        RECORDED, body=_delivered_order_return, row=_return_of
    ),
    # The API, in the acting session (a bearer token is the buyer's alone).
    ("api/v1/cart", "delete_cart", "delete"): Write(RECORDED),
    ("api/v1/cart/location", "put_cart_location", "put"): Write(RECORDED),
    ("api/v1/cart/lines/<sku>", "put_line", "put"): Write(RECORDED),
    ("api/v1/cart/lines", "post_lines", "post"): Write(RECORDED),
    ("api/v1/cart/import", "import_lines", "post"): Write(
        RECORDED, body="sku,qty\nSCR-100,5\n", content_type="text/csv"
    ),
    ("api/v1/checkout", "checkout", "post"): Write(
        RECORDED,
        body={"payment_method": "TRANSFER", "shipping_method": "STD"},
        row=_order_or_approval,
    ),
    ("api/v1/orders/<number>/reorder", "reorder", "post"): Write(RECORDED),
    ("api/v1/company/users", "invite_user", "post"): Write(
        RECORDED, body={"email": "walk@acme.example", "role": "buyer"}, row=_team_event
    ),
    ("api/v1/company/users/<user_id>", "update_user", "patch"): Write(RECORDED, row=_team_event),
    ("api/v1/company/users/<user_id>", "deactivate_user", "delete"): Write(
        RECORDED, row=_team_event
    ),
    ("api/v1/lists", "post_list", "post"): Write(
        RECORDED, body={"name": "Walk API"}, row=_list_named("Walk API")
    ),
    ("api/v1/lists/<list_id>", "patch_list", "patch"): Write(RECORDED),
    ("api/v1/lists/<list_id>/lines", "post_list_lines", "post"): Write(RECORDED),
    ("api/v1/lists/<list_id>/lines/<sku>", "put_list_line", "put"): Write(RECORDED),
    ("api/v1/lists/<list_id>/to-cart", "list_to_cart", "post"): Write(RECORDED),
    ("api/v1/lists/<list_id>/lines/<sku>", "delete_list_line", "delete"): Write(RECORDED),
    ("api/v1/lists/<list_id>", "delete_list", "delete"): Write(RECORDED),
    ("api/v1/approvals/<number>/approve", "approve", "post"): Write(
        RECORDED,
        url=lambda w: f"/api/v1/approvals/{_approval('api_approve')(w)}/approve",
        row=_approval_event("approved"),
    ),
    ("api/v1/approvals/<number>/reject", "reject", "post"): Write(
        RECORDED,
        url=lambda w: f"/api/v1/approvals/{_approval('api_reject')(w)}/reject",
        body={"reason": "Not this month"},
        row=_approval_event("rejected"),
    ),
    ("api/v1/approvals/<number>/withdraw", "withdraw", "post"): Write(
        RECORDED,
        url=lambda w: f"/api/v1/approvals/{_approval('api_withdraw')(w)}/withdraw",
        row=_approval_event("cancelled"),
    ),
    ("api/v1/approvals/<number>/retry", "retry", "post"): Write(
        RECORDED,
        url=lambda w: f"/api/v1/approvals/{_approval('api_retry')(w)}/retry",
        row=_approval_event("ordered"),
    ),
    ("api/v1/quotes", "request_quote", "post"): Write(
        RECORDED,
        body={"lines": [{"sku": "SCR-100", "qty": 50}]},
        row=lambda w: Quote.objects.order_by("-id").first().entered_by == w.rep,
    ),
    **{
        (f"api/v1/quotes/<number>/{action}", f"{action}_quote", "post"): Write(
            RECORDED,
            url=lambda w, action=action: f"/api/v1/quotes/{_quote(action)(w)}/{action}",
            body={"message": "Can you do better?"},
            row=_quote_event(action),
        )
        for action in ("accept", "reject", "revise")
    },
}


def writing_probes():
    return [probe for probe in matrix.ROUTES if probe.method != "get"]


def test_every_writing_route_has_a_decision():
    keys = {(probe.route, probe.name, probe.method) for probe in writing_probes()}
    assert keys - set(WRITES) == set(), "writing routes without a decision while acting"
    assert set(WRITES) - keys == set(), "decisions for writing routes that no longer exist"


def _sent_quote(buyer, clerk, today) -> Quote:
    quote = quote_request(
        viewer=viewer_for(get_store(), buyer), request=QuoteRequest(rows=[("SCR-100", 40)])
    )
    line = quote.rounds.get().lines.get()
    quote_set_line(
        quote_id=quote.pk,
        actor=clerk,
        line_id=line.pk,
        offer=LineOffer(quantity=40, quoted_unit_price=Decimal("3.80")),
    )
    quote_set_terms(
        quote_id=quote.pk,
        actor=clerk,
        terms=Terms(expires_on=today + datetime.timedelta(days=30), message="Our price."),
    )
    return quote_send(quote_id=quote.pk, actor=clerk)


@pytest.fixture
def walk(store) -> Walk:
    world = matrix.build_world(store)
    buyer = world.users[ADMINISTRATOR]
    company = buyer.company
    rep = StaffUserFactory(
        email="anne.martin@comptoir.example", first_name="Anne", last_name="Martin"
    )
    rep.groups.add(representatives_group())
    Assignment.objects.create(representative=rep, company=company)
    screws = Product.objects.get(sku="SCR-100")
    lyon = company.locations.get()
    every_role = [approval_rule(1, roles=BUILTIN_ROLES)]

    def waiting(requester, *, placement_problem=""):
        approval = create_approval(
            company=company,
            requester=requester,
            items=[(screws, 120, Decimal("3.50"))],
            rules=every_role,
            location=lyon,
        )
        if placement_problem:
            approval.approved_rules = [1]
            approval.placement_problem = placement_problem
            approval.save(update_fields=["approved_rules", "placement_problem"])
        return approval

    colleague = world.colleague
    clerk = StaffUserFactory(email="clerk@comptoir.example")
    today = store_today(get_store())
    extra = {
        "approvals": {
            "approve": waiting(colleague),
            "reject": waiting(colleague),
            "withdraw": waiting(buyer),
            "retry": waiting(buyer, placement_problem="Out of stock at the time."),
            "api_approve": waiting(colleague),
            "api_reject": waiting(colleague),
            "api_withdraw": waiting(buyer),
            "api_retry": waiting(buyer, placement_problem="Out of stock at the time."),
        },
        "quotes": {
            key: _sent_quote(buyer, clerk, today) for key in ("page", "accept", "reject", "revise")
        },
    }
    return Walk(world=world, rep=rep, buyer=buyer, extra=extra)


def _prepared(client: Client, probe, write: Write, walk: Walk) -> tuple[str, object]:
    """The path and body to send (preparing a body may itself write, as a checkout does)."""
    path = write.url(walk) if write.url else probe.path(walk.world, ADMINISTRATOR)
    body = write.body(client, walk) if callable(write.body) else write.body
    return path, probe.body if body is None else body


def _send(client: Client, probe, write: Write, path: str, body):
    send = getattr(client, probe.method)
    if probe.api:
        if body is None and probe.method in ("get", "delete"):
            return send(path)
        payload = body if isinstance(body, str) else json.dumps(body or {})
        return send(path, payload, content_type=write.content_type)
    return send(path, body or {})


def test_every_write_while_acting_names_the_representative_or_is_refused(walk):
    client = Client()
    client.force_login(walk.rep)
    started = client.post(reverse("admin:sales_acting_start", args=[walk.buyer.pk]))
    assert started["Location"] == "/"
    wrong = []
    for probe in writing_probes():
        write = WRITES[(probe.route, probe.name, probe.method)]
        path, body = _prepared(client, probe, write, walk)
        before = write.unchanged(walk) if write.unchanged else None
        written = ActingEvent.objects.filter(action=ActingAction.WROTE).count()
        response = _send(client, probe, write, path, body)
        label = f"{probe.method.upper()} {path} ({probe.name})"
        trail = ActingEvent.objects.filter(action=ActingAction.WROTE).order_by("-id")
        if write.decision == REFUSED:
            if response.status_code != 403:
                wrong.append(f"{label}: not refused ({response.status_code})")
            if trail.count() != written or write.unchanged(walk) != before:
                wrong.append(f"{label}: refused but written")
            continue
        if response.status_code >= 400:
            wrong.append(f"{label}: answered {response.status_code}")
            continue
        event = trail.first()
        if trail.count() != written + 1 or not event.request.startswith(
            f"{probe.method.upper()} {path} "
        ):
            wrong.append(f"{label}: not in the acting trail")
        elif (event.staff, event.buyer, event.company_id) != (
            walk.rep,
            walk.buyer,
            walk.buyer.company_id,
        ):
            wrong.append(f"{label}: the trail names {event.staff} for {event.buyer}")
        if write.row is not None and not write.row(walk):
            wrong.append(f"{label}: the row written does not name the representative")
    assert wrong == []


def test_a_refused_write_says_why(walk):
    client = Client()
    client.force_login(walk.rep)
    client.post(reverse("admin:sales_acting_start", args=[walk.buyer.pk]))

    shown = client.get("/account/budgets/new/")
    refused = client.post(
        "/account/budgets/new/", {"period": "year", "amount": "100.00", "over_budget": "refuse"}
    )

    assert shown.status_code == 200
    assert refused.status_code == 403
    assert "cannot be changed while you act as one of its buyers" in refused.content.decode()
    assert "You are acting as" in refused.content.decode()
    assert Budget.objects.count() == 1
