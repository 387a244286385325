"""An order placed from an accepted quote (issue 17): the quote's lines at the quoted price to
the cent on the order and its invoice, the merchant's waivers kept, everything else decided
at placement as for any order; the refusals of API.md §2.1."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from comptoir.accounts.access import viewer_for
from comptoir.accounts.permissions import APPROVER, REQUESTER, VIEWER
from comptoir.approvals.models import ApprovalRequest, ApprovalStatus
from comptoir.approvals.services import approval_approve
from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.ordering.models import CartLine, Order
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.payments.models import Invoice
from comptoir.quotes import selectors
from comptoir.quotes.models import Quote
from comptoir.quotes.offers import LineOffer, Terms, quote_send, quote_set_line, quote_set_terms
from comptoir.quotes.services import QuoteRequest, quote_accept, quote_request, quotes_expire
from tests.factories import AddressFactory, CompanyFactory, PromotionFactory, UserFactory

DAY = datetime.timedelta(days=1)
PASSWORD = "Comptoir-2026!"


def _viewer(user):
    return viewer_for(get_store(), user)


def _accepted(user, clerk, today, rows=(("SCR-100", 37), ("GLV-12", 24)), **terms):
    """`user` asks for `rows`; the clerk quotes the screws at 7.1234, keeps today's price for
    the rest (GLV-12: 3.3333), waives what the quantities break; `user` accepts."""
    quote = quote_request(viewer=_viewer(user), request=QuoteRequest(rows=list(rows)))
    for line in selectors.current_round(selectors.full_quote(quote.pk)).lines.all():
        screws = line.sku == "SCR-100"
        quote_set_line(
            quote_id=quote.pk,
            actor=clerk,
            line_id=line.pk,
            offer=LineOffer(
                quantity=line.quantity,
                quoted_unit_price=Decimal("7.1234") if screws else None,
                waive_min_qty=line.quantity < 12 and not screws,
                waive_qty_step=line.quantity % 12 != 0 and not screws,
            ),
        )
    quote_set_terms(quote_id=quote.pk, actor=clerk, terms=Terms(expires_on=today + DAY, **terms))
    quote_send(quote_id=quote.pk, actor=clerk)
    return quote_accept(viewer=_viewer(user), number=quote.number)


def _order(user, number, key=None, payment="TRANSFER"):
    return order_place(
        viewer=_viewer(user),
        request=CheckoutRequest(payment_method=payment, quote=number),
        key=key,
    )


def _api(user) -> Client:
    client = Client()
    token = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _checkout(client, number, **body):
    return client.post(
        "/api/v1/checkout",
        {"payment_method": "TRANSFER", "quote": number} | body,
        "application/json",
    )


def test_the_order_the_invoice_and_the_offer_agree_to_the_cent(shop, clerk, today):
    cart_add_lines(viewer=_viewer(shop.buyer), rows=[(1, "MNL-1", 2)])
    quote = _accepted(shop.buyer, clerk, today)
    offer = _api(shop.buyer).get(f"/api/v1/quotes/{quote.number}").json()["offer"]

    placed = _order(shop.buyer, quote.number)

    order = Order.objects.get(pk=placed.order.pk)
    screws, gloves = order.lines.order_by("position")
    # 7.1234 × 37 = 263.568 -> 263.57; 3.3333 × 24 = 79.9992 -> 80.00; shipping 15.00;
    # (263.57 + 80.00 + 15.00) × 20 % = 71.714 -> 71.71; total 430.28.
    assert [(line["sku"], line["gross"], line["line_total"]) for line in offer["lines"]] == [
        ("SCR-100", "263.57", "263.57"),
        ("GLV-12", "80.00", "80.00"),
    ]
    assert (screws.sku, screws.unit_price, screws.gross, screws.net) == (
        "SCR-100",
        Decimal("7.1234"),
        Decimal("263.57"),
        Decimal("263.57"),
    )
    assert (gloves.unit_price, gloves.net) == (Decimal("3.3333"), Decimal("80.00"))
    assert [(s["step"], s["source"]) for s in screws.explanation] == [("quote", quote.number)]
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        Decimal("343.57"),
        Decimal("15.00"),
        Decimal("71.71"),
        Decimal("430.28"),
    )
    invoice = Invoice.objects.get(order=order)
    assert [(line["sku"], line["unit_price"], line["net"]) for line in invoice.lines] == [
        ("SCR-100", "7.1234", "263.57"),
        ("GLV-12", "3.3333", "80.00"),
    ]
    assert invoice.total == Decimal("430.28")
    quote = Quote.objects.get(pk=quote.pk)
    assert (quote.state, quote.order_id) == ("ordered", order.pk)
    # The cart is not what was ordered: it is left as it was.
    assert list(CartLine.objects.values_list("product__sku", "quantity")) == [("MNL-1", 2)]


def test_promotions_apply_on_top_only_when_the_quote_says_so(shop, clerk, today):
    PromotionFactory(
        code="SPRING",
        percent=Decimal("10.00"),
        customer_groups=[shop.group],
        products=[shop.products["SCR-100"]],
    )
    plain = _accepted(shop.buyer, clerk, today)
    with_promotions = _accepted(shop.buyer, clerk, today, promotions_apply=True)

    first = _order(shop.buyer, plain.number).order.lines.get(sku="SCR-100")
    second = _order(shop.buyer, with_promotions.number).order.lines.get(sku="SCR-100")

    assert (first.gross, first.promotion_amount, first.net) == (
        Decimal("263.57"),
        Decimal("0.00"),
        Decimal("263.57"),
    )
    # 263.57 × 10 % = 26.357 -> 26.36
    assert (second.gross, second.promotion_amount, second.net) == (
        Decimal("263.57"),
        Decimal("26.36"),
        Decimal("237.21"),
    )
    assert [(s["step"], s["source"]) for s in second.explanation] == [
        ("quote", with_promotions.number),
        ("promotion", "SPRING"),
    ]


def test_a_waived_minimum_is_ordered_while_the_same_cart_is_refused(shop, clerk, today):
    rows = (("SCR-100", 37), ("GLV-12", 7))
    quote = _accepted(shop.buyer, clerk, today, rows=rows)
    cart_add_lines(viewer=_viewer(shop.buyer), rows=[(n, s, q) for n, (s, q) in enumerate(rows)])

    with pytest.raises(BusinessRuleError) as refused:
        order_place(viewer=_viewer(shop.buyer), request=CheckoutRequest(payment_method="TRANSFER"))
    assert [(e.get("sku"), e["code"]) for e in refused.value.errors] == [
        ("GLV-12", "qty_below_minimum"),
        ("GLV-12", "qty_not_multiple"),
    ]

    order = _order(shop.buyer, quote.number).order
    # 3.3333 × 7 = 23.3331 -> 23.33
    assert list(order.lines.values_list("sku", "quantity", "net")) == [
        ("SCR-100", 37, Decimal("263.57")),
        ("GLV-12", 7, Decimal("23.33")),
    ]


def test_other_rules_are_decided_at_placement(shop, clerk, today):
    """A waiver is of the minimum and multiple only: a maximum set since is kept."""
    quote = _accepted(shop.buyer, clerk, today)
    Product.objects.filter(sku="GLV-12").update(max_qty=12)

    with pytest.raises(BusinessRuleError) as refused:
        _order(shop.buyer, quote.number)

    assert refused.value.code == "qty_above_maximum"
    assert Quote.objects.get(pk=quote.pk).state == "accepted"
    assert not Order.objects.exists()


def test_refusals_over_the_api(shop, clerk, today):
    api = _api(shop.buyer)
    expired = _accepted(shop.buyer, clerk, today)
    Quote.objects.filter(pk=expired.pk).update(expires_on=today - DAY)
    ordered = _accepted(shop.buyer, clerk, today)
    assert _checkout(api, ordered.number).status_code == 201

    gone = _checkout(api, expired.number)
    again = _checkout(api, ordered.number)
    unknown = _checkout(api, "DEV-2026-999999")

    assert (gone.status_code, gone.json()["code"]) == (409, "quote_expired")
    assert (again.status_code, again.json()["code"]) == (409, "quote_not_open")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert Order.objects.count() == 1


def test_another_company_s_quote_is_not_found_and_a_viewer_may_not_order(shop, clerk, today):
    quote = _accepted(shop.buyer, clerk, today)
    other = CompanyFactory(code="BETA", group=shop.group)
    AddressFactory(company=other, code="HQ", country="FR")
    stranger = UserFactory(company=other, email="achats@beta.example")
    looker = UserFactory(company=shop.company, email="compta@acme.example", role=VIEWER)

    foreign = _checkout(_api(stranger), quote.number)
    refused = _checkout(_api(looker), quote.number)

    assert (foreign.status_code, foreign.json()["code"]) == (404, "not_found")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert Quote.objects.get(pk=quote.pk).state == "accepted"


def test_a_retry_with_the_same_key_gets_the_same_order(shop, clerk, today):
    quote = _accepted(shop.buyer, clerk, today)
    api = _api(shop.buyer)

    first = api.post(
        "/api/v1/checkout",
        {"payment_method": "TRANSFER", "quote": quote.number},
        "application/json",
        HTTP_IDEMPOTENCY_KEY="qc-2",
    )
    second = api.post(
        "/api/v1/checkout",
        {"payment_method": "TRANSFER", "quote": quote.number},
        "application/json",
        HTTP_IDEMPOTENCY_KEY="qc-2",
    )
    other = api.post(
        "/api/v1/checkout",
        {"payment_method": "TRANSFER"},
        "application/json",
        HTTP_IDEMPOTENCY_KEY="qc-2",
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["number"] == second.json()["number"]
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert Order.objects.count() == 1


def test_an_order_from_a_quote_waits_for_approval_then_is_placed_at_the_quoted_price(
    shop, clerk, today
):
    requester = UserFactory(company=shop.company, email="lea@acme.example", role=REQUESTER)
    approver = UserFactory(company=shop.company, email="anne@acme.example", role=APPROVER)
    quote = _accepted(requester, clerk, today, rows=(("SCR-100", 37), ("GLV-12", 7)))

    approval = _order(requester, quote.number).approval

    assert approval.quote_id == quote.pk
    assert Quote.objects.get(pk=quote.pk).state == "accepted"
    with pytest.raises(BusinessRuleError) as waiting:
        _order(requester, quote.number)
    assert waiting.value.code == "quote_not_open"
    assert approval.number in waiting.value.message
    detail = _page(requester).get(f"/account/quotes/{quote.number}/").content.decode()
    assert "Your order from this quote waits for approval" in detail
    assert f'href="/account/approvals/{approval.number}/"' in detail
    assert "Order now" not in detail
    # Past its last day the quote waits with its order, not expired by the daily task.
    assert quotes_expire(day=today + 2 * DAY) == 0

    approval_approve(viewer=_viewer(approver), number=approval.number)

    approval = ApprovalRequest.objects.get(pk=approval.pk)
    assert (approval.status, approval.placement_problem) == (ApprovalStatus.ORDERED, "")
    lines = list(approval.order.lines.order_by("position"))
    assert [(line.sku, line.quantity, line.unit_price, line.net) for line in lines] == [
        ("SCR-100", 37, Decimal("7.1234"), Decimal("263.57")),
        ("GLV-12", 7, Decimal("3.3333"), Decimal("23.33")),
    ]
    assert [s["step"] for s in lines[0].explanation] == ["quote", "approval"]
    quote = Quote.objects.get(pk=quote.pk)
    assert (quote.state, quote.order_id) == ("ordered", approval.order_id)


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pages_order_the_quote_from_its_page_to_the_order(shop, clerk, today):
    cart_add_lines(viewer=_viewer(shop.buyer), rows=[(1, "MNL-1", 2)])
    quote = _accepted(shop.buyer, clerk, today)
    page = _page(shop.buyer)

    detail = page.get(f"/account/quotes/{quote.number}/").content.decode()
    checkout = page.get(f"/checkout/?quote={quote.number}")
    summary = page.post(
        "/checkout/summary/",
        {"quote": quote.number, "address": "HQ", "shipping_method": "EXPRESS"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    placed = page.post(
        "/checkout/place/",
        {
            "token": "quote-1",
            "quote": quote.number,
            "address": "HQ",
            "shipping_method": "STD",
            "payment_method": "TRANSFER",
        },
    )

    assert f'href="/checkout/?quote={quote.number}"' in detail
    assert "Order now" in detail
    body = checkout.content.decode()
    assert checkout.status_code == 200
    assert f"You are ordering the lines of quote {quote.number}" in body
    assert f'name="quote" value="{quote.number}"' in body
    assert "Safety binder" not in body  # the cart's line
    assert "263.57" in body and "430.28" in body
    # Express, 29.00: (343.57 + 29.00) × 20 % = 74.514 -> 74.51; total 447.08.
    assert "447.08" in summary and "263.57" in summary
    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed["Location"] == f"/orders/{order.number}/"
    assert order.total == Decimal("430.28")
    again = page.get(f"/account/quotes/{quote.number}/").content.decode()
    assert order.number in again and "Order now" not in again
    assert CartLine.objects.count() == 1


def test_the_checkout_page_of_a_quote_that_cannot_be_ordered(shop, clerk, today):
    quote = _accepted(shop.buyer, clerk, today)
    Quote.objects.filter(pk=quote.pk).update(expires_on=today - DAY)
    other = CompanyFactory(code="BETA", group=shop.group)
    stranger = UserFactory(company=other, email="achats@beta.example")
    page = _page(shop.buyer)

    expired = page.get(f"/checkout/?quote={quote.number}")
    shown = page.get(expired["Location"]).content.decode()

    assert expired.status_code == 302
    assert expired["Location"] == f"/account/quotes/{quote.number}/"
    assert f"Quote {quote.number} has expired." in shown
    assert _page(stranger).get(f"/checkout/?quote={quote.number}").status_code == 404


def test_the_order_charges_the_quoted_shipping_price(shop, clerk, today):
    """STD would cost 15.00; the quote says 25.00, and the order, its taxes and its invoice
    say 25.00 too."""
    quote = _accepted(shop.buyer, clerk, today, shipping_price=Decimal("25.00"))
    offer = _api(shop.buyer).get(f"/api/v1/quotes/{quote.number}").json()["offer"]
    checkout = _page(shop.buyer).get(f"/checkout/?quote={quote.number}").content.decode()
    assert "€25.00" in checkout and "€15.00" not in checkout and "€29.00" not in checkout

    order = Order.objects.get(pk=_order(shop.buyer, quote.number).order.pk)

    # 263.57 + 80.00 = 343.57; (343.57 + 25.00) × 20 % = 73.714 -> 73.71; total 442.28.
    assert (offer["shipping_total"], offer["tax_total"], offer["total"]) == (
        "25.00",
        "73.71",
        "442.28",
    )
    assert (order.shipping_method_code, order.shipping_total) == ("STD", Decimal("25.00"))
    assert (order.subtotal, order.tax_total, order.total) == (
        Decimal("343.57"),
        Decimal("73.71"),
        Decimal("442.28"),
    )
    assert [(t.rate, t.base, t.amount) for t in order.tax_lines.all()] == [
        (Decimal("20.00"), Decimal("368.57"), Decimal("73.71"))
    ]
    invoice = Invoice.objects.get(order=order)
    assert (invoice.shipping_total, invoice.tax_total, invoice.total) == (
        Decimal("25.00"),
        Decimal("73.71"),
        Decimal("442.28"),
    )


def test_the_quoted_shipping_price_wins_over_free_above_and_the_method_chosen(shop, clerk, today):
    """STD is free from 500.00 and EXPRESS costs 29.00: a quote of 712.34 of screws with
    shipping at 12.00 is charged 12.00 either way."""
    for payment_key, method in (("std", "STD"), ("express", "EXPRESS")):
        quote = _accepted(
            shop.buyer, clerk, today, rows=(("SCR-100", 100),), shipping_price=Decimal("12.00")
        )
        placed = order_place(
            viewer=_viewer(shop.buyer),
            request=CheckoutRequest(
                payment_method="TRANSFER", shipping_method=method, quote=quote.number
            ),
            key=payment_key,
        )
        order = Order.objects.get(pk=placed.order.pk)
        # 7.1234 × 100 = 712.34; (712.34 + 12.00) × 20 % = 144.868 -> 144.87; 869.21.
        assert (order.shipping_method_code, order.shipping_total, order.total) == (
            method,
            Decimal("12.00"),
            Decimal("869.21"),
        )


def test_a_quote_without_a_shipping_price_ships_as_any_order(shop, clerk, today):
    quote = _accepted(shop.buyer, clerk, today)
    order = _order(shop.buyer, quote.number).order
    assert order.shipping_total == Decimal("15.00")


def test_the_quoted_shipping_price_is_kept_through_an_approval(shop, clerk, today):
    requester = UserFactory(company=shop.company, email="lea@acme.example", role=REQUESTER)
    approver = UserFactory(company=shop.company, email="anne@acme.example", role=APPROVER)
    quote = _accepted(
        requester,
        clerk,
        today,
        rows=(("SCR-100", 37), ("GLV-12", 7)),
        shipping_price=Decimal("25.00"),
    )

    approval = _order(requester, quote.number).approval

    # 263.57 + 23.33 = 286.90; (286.90 + 25.00) × 20 % = 62.38; total 374.28.
    assert (approval.shipping_total, approval.tax_total, approval.total) == (
        Decimal("25.00"),
        Decimal("62.38"),
        Decimal("374.28"),
    )
    approval_approve(viewer=_viewer(approver), number=approval.number)
    order = ApprovalRequest.objects.get(pk=approval.pk).order
    assert (order.shipping_total, order.tax_total, order.total) == (
        Decimal("25.00"),
        Decimal("62.38"),
        Decimal("374.28"),
    )
    invoice = Invoice.objects.get(order=order)
    assert (invoice.shipping_total, invoice.total) == (Decimal("25.00"), Decimal("374.28"))


def test_the_approval_names_its_quote_and_the_store_cannot_cancel_it_meanwhile(shop, clerk, today):
    """The request shows the quote it orders (page and API); the store's cancel is refused
    while the approvers decide, and allowed again once they have rejected it."""
    from comptoir.approvals.services import approval_reject
    from comptoir.quotes.offers import quote_cancel

    requester = UserFactory(company=shop.company, email="lea@acme.example", role=REQUESTER)
    approver = UserFactory(company=shop.company, email="anne@acme.example", role=APPROVER)
    quote = _accepted(requester, clerk, today, rows=(("SCR-100", 37),))
    approval = _order(requester, quote.number).approval

    page = _page(requester).get(f"/account/approvals/{approval.number}/").content.decode()
    assert "From quote" in page
    assert f'href="/account/quotes/{quote.number}/">{quote.number}</a>' in page
    assert _api(requester).get(f"/api/v1/approvals/{approval.number}").json()["quote"] == (
        quote.number
    )
    with pytest.raises(BusinessRuleError) as refused:
        quote_cancel(quote_id=quote.pk, actor=clerk)
    assert refused.value.code == "quote_not_open"
    assert refused.value.message == (
        f"An order from quote {quote.number} waits for the customer's approval "
        f"({approval.number}): it cannot be cancelled until the request is decided."
    )
    assert Quote.objects.get(pk=quote.pk).state == "accepted"
    assert not Quote.objects.get(pk=quote.pk).events.filter(action="cancel").exists()

    approval_reject(viewer=_viewer(approver), number=approval.number, reason="Not this month.")
    assert quote_cancel(quote_id=quote.pk, actor=clerk).state == "cancelled"
