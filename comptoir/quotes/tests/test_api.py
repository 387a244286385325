"""Quotes over the REST API: request, read, answer; statuses and codes of API.md §2.1."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from comptoir.quotes.models import Quote
from comptoir.quotes.offers import LineOffer, Terms, quote_send, quote_set_line, quote_set_terms
from tests.factories import AddressFactory, CompanyFactory, UserFactory

PASSWORD = "Comptoir-2026!"


def _api(user) -> Client:
    client = Client()
    token = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def api(shop):
    return _api(shop.buyer)


def _post(client, path, body=None):
    return client.post(path, body or {}, "application/json")


def _send(quote, clerk, today):
    line = quote.rounds.get().lines.get(sku="SCR-100")
    quote_set_line(
        quote_id=quote.pk,
        actor=clerk,
        line_id=line.pk,
        offer=LineOffer(quantity=37, quoted_unit_price=Decimal("7.1234")),
    )
    quote_set_terms(
        quote_id=quote.pk,
        actor=clerk,
        terms=Terms(expires_on=today + datetime.timedelta(days=30), message="Yearly price."),
    )
    quote_send(quote_id=quote.pk, actor=clerk)


def test_request_then_read_then_accept(api, clerk, today):
    response = _post(
        api,
        "/api/v1/quotes",
        {
            "lines": [{"sku": "scr-100", "qty": 37}],
            "message": "Yearly contract",
            "wished_delivery_date": (today + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    number = body["number"]
    assert (body["state"], body["offer"], body["actions"]) == ("requested", None, [])
    assert body["rounds"][0]["lines"] == [
        {"sku": "SCR-100", "name": "Wood screws 4x40", "qty": 37, "unit_price": None}
    ]

    _send(Quote.objects.get(number=number), clerk, today)
    sent = api.get(f"/api/v1/quotes/{number}").json()
    assert sent["actions"] == ["accept", "reject", "revise"]
    offer = sent["offer"]
    # 7.1234 × 37 = 263.57; 20 % tax = 52.71 (shipping priced at checkout: null).
    assert offer["lines"][0] | {"explanation": None} == {
        "sku": "SCR-100",
        "name": "Wood screws 4x40",
        "qty": 37,
        "unit_price": "7.1234",
        "gross": "263.57",
        "discount": "0.00",
        "line_total": "263.57",
        "explanation": None,
    }
    assert offer["lines"][0]["explanation"] == [
        {"step": "quote", "source": number, "detail": "quoted price", "unit_price": "7.1234"}
    ]
    assert (offer["shipping_total"], offer["tax_total"], offer["total"], offer["estimate"]) == (
        None,
        "52.71",
        "316.28",
        True,
    )

    accepted = _post(api, f"/api/v1/quotes/{number}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    again = _post(api, f"/api/v1/quotes/{number}/accept")
    assert (again.status_code, again.json()["code"]) == (409, "quote_not_open")
    assert again["Content-Type"] == "application/problem+json"


def test_an_expired_quote_is_409_quote_expired(api, requested, clerk, today):
    _send(requested, clerk, today)
    Quote.objects.filter(pk=requested.pk).update(expires_on=today - datetime.timedelta(days=1))
    for action in ("accept", "reject"):
        response = _post(api, f"/api/v1/quotes/{requested.number}/{action}")
        assert (response.status_code, response.json()["code"]) == (409, "quote_expired")


def test_revise_needs_a_message(api, requested, clerk, today):
    _send(requested, clerk, today)
    refused = _post(api, f"/api/v1/quotes/{requested.number}/revise", {"message": ""})
    assert (refused.status_code, refused.json()["code"]) == (422, "message_required")
    revised = _post(api, f"/api/v1/quotes/{requested.number}/revise", {"message": "7.00?"})
    assert revised.status_code == 200
    body = revised.json()
    assert (body["state"], len(body["rounds"]), body["offer"]["round"]) == (
        "revision_requested",
        2,
        1,
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "quote_empty"),
        ({"lines": []}, 422, "quote_empty"),
        ({"lines": [{"sku": "SCR-100", "qty": 0}]}, 422, "invalid_quantity"),
        ({"lines": [{"sku": "SCR-100", "qty": "24"}]}, 422, "invalid_quantity"),
        ({"lines": [{"sku": "SCR-100", "qty": 2.5}]}, 422, "invalid_quantity"),
        ({"lines": [{"sku": "SCR-100", "qty": True}]}, 422, "invalid_quantity"),
        ({"lines": [{"sku": "NOPE", "qty": 3}]}, 422, "unknown_sku"),
        ({"lines": [{"sku": "SCR-100", "qty": 3}], "wished_delivery_date": "soon"}, 400, None),
        ({"lines": "SCR-100"}, 400, "invalid_request"),
        ({"from_cart": True}, 422, "quote_empty"),
    ],
)
def test_bad_requests_write_nothing(api, body, status, code):
    response = _post(api, "/api/v1/quotes", body)
    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code
    assert Quote.objects.count() == 0


def test_a_guest_gets_401_whatever_the_body(shop):
    assert Client().post("/api/v1/quotes", "{", "application/json").status_code == 401


def test_a_viewer_gets_403(shop):
    reader = UserFactory(company=shop.company, role="viewer", email="lecture@acme.example")
    response = _api(reader).get("/api/v1/quotes")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_another_companys_quote_is_404(requested, shop):
    other = CompanyFactory(code="BETA", group=shop.group)
    AddressFactory(company=other, code="MAIN")
    stranger = _api(UserFactory(company=other, email="achats@beta.example"))
    for response in (
        stranger.get(f"/api/v1/quotes/{requested.number}"),
        _post(stranger, f"/api/v1/quotes/{requested.number}/accept"),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert stranger.get("/api/v1/quotes").json()["count"] == 0


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_costs_a_fixed_number_of_queries(
    api, viewer, count, django_assert_max_num_queries
):
    from comptoir.quotes.models import QuoteRound
    from comptoir.quotes.services import QuoteRequest, quote_request

    first = quote_request(viewer=viewer, request=QuoteRequest(rows=[("SCR-100", 3)]))
    for n in range(count - 1):
        Quote.objects.create(
            number=f"DEV-2026-9{n:05d}",
            company=first.company,
            requester=first.requester,
            location=first.location,
            requested_at=first.requested_at,
            currency="EUR",
        )
    assert QuoteRound.objects.count() == 1
    with django_assert_max_num_queries(9):
        response = api.get("/api/v1/quotes?page_size=100")
    assert response.json()["count"] == count


def test_reading_a_quote_costs_the_same_for_1_and_40_lines(
    api, viewer, clerk, today, django_assert_max_num_queries
):
    from comptoir.quotes.services import QuoteRequest, quote_request
    from tests.factories import PriceEntryFactory, ProductFactory

    counts = []
    for size in (1, 40):
        products = [ProductFactory(sku=f"Q{size}-{n}") for n in range(size)]
        for product in products:
            PriceEntryFactory(
                price_list=viewer.store.base_price_list, product=product, price=Decimal("2.50")
            )
        quote = quote_request(
            viewer=viewer, request=QuoteRequest(rows=[(p.sku, 2) for p in products])
        )
        quote_set_terms(
            quote_id=quote.pk,
            actor=clerk,
            terms=Terms(expires_on=today + datetime.timedelta(days=5)),
        )
        quote_send(quote_id=quote.pk, actor=clerk)
        api.get(f"/api/v1/quotes/{quote.number}")  # the store and the token, cached
        with django_assert_max_num_queries(15) as captured:
            assert api.get(f"/api/v1/quotes/{quote.number}").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_an_accepted_quote_offers_no_more_answers(api, requested, clerk, today):
    _send(requested, clerk, today)
    accepted = _post(api, f"/api/v1/quotes/{requested.number}/accept").json()
    assert accepted["actions"] == []


def test_an_expired_an_ordered_or_an_unsent_quote_cannot_be_accepted(api, viewer, clerk, today):
    """409 over the API for each: expired by the daily task (`quote_expired`), already
    ordered, not sent yet, and a revision asked of an accepted quote (`quote_not_open`)."""
    from comptoir.quotes.services import QuoteRequest, quote_request, quotes_expire

    def asked():
        return quote_request(viewer=viewer, request=QuoteRequest(rows=[("SCR-100", 37)]))

    expired, ordered, unsent = asked(), asked(), asked()
    _send(expired, clerk, today)
    assert quotes_expire(day=today + datetime.timedelta(days=31)) == 1
    _send(ordered, clerk, today)
    assert _post(api, f"/api/v1/quotes/{ordered.number}/accept").status_code == 200
    revise = _post(api, f"/api/v1/quotes/{ordered.number}/revise", {"message": "Less?"})
    placed = _post(api, "/api/v1/checkout", {"payment_method": "TRANSFER", "quote": ordered.number})
    assert placed.status_code == 201, placed.content

    answers = {
        number: _post(api, f"/api/v1/quotes/{number}/accept")
        for number in (expired.number, ordered.number, unsent.number)
    }

    assert [(r.status_code, r.json()["code"]) for r in answers.values()] == [
        (409, "quote_expired"),
        (409, "quote_not_open"),
        (409, "quote_not_open"),
    ]
    assert (revise.status_code, revise.json()["code"]) == (409, "quote_not_open")
    assert list(Quote.objects.order_by("number").values_list("state", flat=True)) == [
        "expired",
        "ordered",
        "requested",
    ]
