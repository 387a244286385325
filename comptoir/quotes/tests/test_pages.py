"""The buyer's quote pages: ask from the cart or typed lines, see every round, answer."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from comptoir.accounts.access import viewer_for
from comptoir.core.selectors import get_store
from comptoir.customers.models import Address, Location
from comptoir.quotes.models import Quote
from comptoir.quotes.offers import LineOffer, Terms, quote_send, quote_set_line, quote_set_terms
from comptoir.quotes.services import QuoteRequest, quote_request
from tests.factories import AddressFactory, UserFactory


@pytest.fixture
def page(shop) -> Client:
    client = Client()
    client.force_login(shop.buyer)
    return client


def _send(quote, clerk, today, **terms):
    line = quote.lines.get(sku="SCR-100")
    quote_set_line(
        quote_id=quote.pk,
        actor=clerk,
        line_id=line.pk,
        offer=LineOffer(quantity=line.quantity, quoted_unit_price=Decimal("7.1234")),
    )
    quote_set_terms(
        quote_id=quote.pk,
        actor=clerk,
        terms=Terms(expires_on=today + datetime.timedelta(days=30), message="Yearly.", **terms),
    )
    quote_send(quote_id=quote.pk, actor=clerk)


def test_the_cart_page_asks_for_a_quote_of_its_lines(page, today):
    page.post("/cart/lines/SCR-100/", {"qty": "37"})
    cart = page.get("/cart/").content.decode()
    assert "Request a quote for these lines" in cart

    wished = (today + datetime.timedelta(days=20)).isoformat()
    response = page.post(
        "/account/quotes/new/",
        {"source": "cart", "message": "Contract price?", "wished_delivery_date": wished},
    )

    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/account/quotes/{quote.number}/"
    assert [(line.sku, line.quantity) for line in quote.lines.all()] == [("SCR-100", 37)]
    assert quote.wished_delivery_date.isoformat() == wished
    detail = page.get(response["Location"]).content.decode()
    assert "Contract price?" in detail
    assert "The store is preparing its offer." in detail


def test_typed_lines_with_a_bad_quantity_say_which(page):
    response = page.post("/account/quotes/new/", {"source": "text", "lines": "SCR-100 3x"})
    assert response.status_code == 422
    assert "SCR-100" in response.content.decode()
    response = page.post("/account/quotes/new/", {"source": "text", "lines": ""})
    assert response.status_code == 422
    assert "Type at least one line" in response.content.decode()
    response = page.post(
        "/account/quotes/new/",
        {"source": "text", "lines": "SCR-100 3", "wished_delivery_date": "31/02/2026"},
    )
    assert response.status_code == 422
    assert Quote.objects.count() == 0


def test_an_empty_cart_cannot_be_quoted(page):
    response = page.post("/account/quotes/new/", {"source": "cart"})
    assert response.status_code == 422
    assert "A quote needs at least one line." in response.content.decode()


def test_the_offer_shows_an_estimate_and_is_accepted(page, requested, clerk, today):
    _send(requested, clerk, today, shipping_price=Decimal("15.00"))

    content = page.get(f"/account/quotes/{requested.number}/").content.decode()
    # 263.57 + 80.00 + shipping 15.00 = 358.57; 20 % = 71.71; total 430.28.
    for figure in ("Wood screws 4x40", "263.57", "71.71", "430.28", "Estimated total", "Yearly."):
        assert figure in content
    assert "Taxes are an estimate" in content

    response = page.post(f"/account/quotes/{requested.number}/answer/", {"action": "accept"})
    assert response.status_code == 302
    assert Quote.objects.get(pk=requested.pk).state == "accepted"
    again = page.post(f"/account/quotes/{requested.number}/answer/", {"action": "accept"})
    assert again.status_code == 409
    assert "cannot be done now" in again.content.decode()


def test_a_revision_needs_a_message_and_shows_both_rounds(page, requested, clerk, today):
    _send(requested, clerk, today)
    url = f"/account/quotes/{requested.number}/answer/"
    assert page.post(url, {"action": "revise", "message": ""}).status_code == 422
    assert page.post(url, {"action": "nonsense"}).status_code == 422
    assert page.post(url, {"action": "revise", "message": "7.00 please"}).status_code == 302

    content = page.get(f"/account/quotes/{requested.number}/").content.decode()
    assert "Round 1" in content and "Round 2" in content and "7.00 please" in content


def test_the_pdf_of_a_sent_quote(page, requested, clerk, today):
    assert page.get(f"/account/quotes/{requested.number}.pdf").status_code == 404
    _send(requested, clerk, today)
    response = page.get(f"/account/quotes/{requested.number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{requested.number}.pdf"' in response["Content-Disposition"]


def test_the_list_in_french(page, requested):
    with translation.override("fr"):
        content = page.get("/fr/account/quotes/").content.decode()
    assert requested.number in content
    assert "Vos devis" in content
    assert "demandé" in content


def test_a_viewer_is_refused_with_a_reason(shop):
    client = Client()
    client.force_login(UserFactory(company=shop.company, role="viewer"))
    response = client.get("/account/quotes/")
    assert response.status_code == 403
    assert "Your role does not allow you to request quotes." in response.content.decode()


def test_a_user_limited_to_a_location_sees_only_its_quotes(shop, requested):
    lyon = shop.company.locations.get()
    nantes = Location.objects.create(company=shop.company, code="NANTES", name="Nantes")
    AddressFactory(company=shop.company, code="DEPOT", position=1, location=nantes)
    Address.objects.filter(code="HQ").update(location=lyon)
    nantes_only = UserFactory(company=shop.company, all_locations=False)
    nantes_only.locations.set([nantes])
    own = quote_request(
        viewer=viewer_for(get_store(), nantes_only), request=QuoteRequest(rows=[("MNL-1", 2)])
    )
    client = Client()
    client.force_login(nantes_only)

    listing = client.get("/account/quotes/").content.decode()
    assert own.number in listing and requested.number not in listing
    assert own.location == nantes
    assert client.get(f"/account/quotes/{requested.number}/").status_code == 403
    assert client.get(f"/account/quotes/{own.number}/").status_code == 200
    # Its location deleted, the quote stays its requester's.
    Quote.objects.filter(pk=own.pk).update(location=None)
    assert client.get(f"/account/quotes/{own.number}/").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_page_costs_a_fixed_number_of_queries(
    page, viewer, count, django_assert_max_num_queries
):
    for _n in range(count):
        quote_request(viewer=viewer, request=QuoteRequest(rows=[("SCR-100", 3)]))
    page.get("/account/quotes/")
    with django_assert_max_num_queries(10):
        response = page.get("/account/quotes/")
    assert response.content.decode().count("/account/quotes/DEV-") == min(count, 20)


def test_terms_prepared_in_a_revision_stay_the_stores_until_sent(
    page, shop, requested, clerk, today
):
    """Round 1 sent with shipping 15.00 for 30 days; the buyer asks for a revision and the
    clerk starts round 2 at 87.65 for 5 days with promotions on top: the buyer's page, API
    and PDF keep showing round 1's terms until round 2 is sent."""
    from comptoir.payments.tests.test_invoice_pages import pdf_text
    from comptoir.quotes.services import quote_revise
    from comptoir.quotes.tests.test_api import _api

    _send(requested, clerk, today, shipping_price=Decimal("15.00"))
    quote_revise(
        viewer=viewer_for(get_store(), shop.buyer), number=requested.number, message="Less?"
    )
    quote_set_terms(
        quote_id=requested.pk,
        actor=clerk,
        terms=Terms(
            expires_on=today + datetime.timedelta(days=5),
            shipping_price=Decimal("87.65"),
            promotions_apply=True,
            message="Draft, not yet.",
        ),
    )
    until = (today + datetime.timedelta(days=30)).isoformat()

    content = page.get(f"/account/quotes/{requested.number}/").content.decode()
    assert "15.00" in content and "87.65" not in content and "Draft, not yet." not in content
    assert "Promotions and volume discounts apply on top" not in content
    body = _api(shop.buyer).get(f"/api/v1/quotes/{requested.number}").json()
    assert (body["state"], body["expires_on"], body["promotions_apply"]) == (
        "in_review",
        until,
        False,
    )
    assert (body["offer"]["round"], body["offer"]["shipping_total"]) == (1, "15.00")
    assert (body["offer"]["expires_on"], body["offer"]["promotions_apply"]) == (until, False)
    # 263.57 + 80.00 + 15.00 shipping, 20 % tax 71.71: 430.28.
    assert body["offer"]["total"] == "430.28"
    assert [
        (r["shipping_price"], r["expires_on"], r["promotions_apply"], r["merchant_message"])
        for r in body["rounds"]
    ] == [("15.00", until, False, "Yearly."), (None, None, None, "")]
    text = pdf_text(page.get(f"/account/quotes/{requested.number}.pdf"))
    assert "15.00" in text and "87.65" not in text and "Draft, not yet." not in text

    quote_send(quote_id=requested.pk, actor=clerk)
    body = _api(shop.buyer).get(f"/api/v1/quotes/{requested.number}").json()
    assert (body["offer"]["round"], body["offer"]["shipping_total"]) == (2, "87.65")
    assert body["promotions_apply"] is True
    assert body["expires_on"] == (today + datetime.timedelta(days=5)).isoformat()
    assert "87.65" in page.get(f"/account/quotes/{requested.number}/").content.decode()
