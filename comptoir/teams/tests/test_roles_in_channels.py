"""What a role allows holds in every channel: storefront pages and the REST API alike."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from comptoir.accounts.models import Role
from comptoir.customers.models import Address, Location
from comptoir.ordering.models import Order
from tests.factories import AddressFactory, InvoiceFactory, UserFactory, create_order
from tests.shops import build_shop

pytestmark = pytest.mark.django_db
PASSWORD = "Comptoir-2026!"


@pytest.fixture
def shop(store):
    shop = build_shop(store)
    lyon = shop.company.locations.get(code="MAIN")
    lyon.code, lyon.name = "LYON", "Lyon"
    lyon.save()
    Address.objects.filter(company=shop.company, code="HQ").update(location=lyon)
    nantes = Location.objects.create(company=shop.company, code="NANTES", name="Nantes")
    AddressFactory(
        company=shop.company, code="DEPOT", position=1, city="Nantes", country="FR", location=nantes
    )
    return shop


def both(user) -> tuple[Client, Client]:
    """The storefront (session) and the API (token) of one user."""
    page = Client()
    page.force_login(user)
    api = Client()
    token = api.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return page, api


def test_a_viewer_sees_orders_but_no_cart_nor_checkout(shop):
    viewer = UserFactory(company=shop.company, role="viewer")
    create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 40, Decimal("3.90"))],
    )
    page, api = both(viewer)

    refused = page.get("/cart/")
    assert refused.status_code == 403
    assert "does not allow you to place orders" in refused.content.decode()
    assert page.get("/checkout/").status_code == 403
    assert page.get("/orders/").status_code == 200
    assert "Add to the cart" not in page.get("/p/SCR-100/").content.decode()
    response = api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    response = api.post("/api/v1/checkout", {"payment_method": "TRANSFER"}, "application/json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert api.get("/api/v1/orders").json()["count"] == 1


def test_a_role_without_see_prices_sees_no_price(shop):
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["place_orders"])
    storekeeper = UserFactory(company=shop.company, role="STOREKEEPER")
    page, api = both(storekeeper)

    product = api.get("/api/v1/products/SCR-100").json()
    assert product["price"] is None
    assert "3.90" not in page.get("/p/SCR-100/").content.decode()
    response = api.get("/api/v1/products/SCR-100/price?qty=10")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_requester_sees_only_their_own_orders(shop):
    requester = UserFactory(company=shop.company, role="requester")
    mine = create_order(
        company=shop.company,
        buyer=requester,
        items=[(shop.products["SCR-100"], 40, Decimal("3.90"))],
    )
    theirs = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 50, Decimal("3.90"))],
    )
    page, api = both(requester)

    assert [o["number"] for o in api.get("/api/v1/orders").json()["items"]] == [mine.number]
    response = api.get(f"/api/v1/orders/{theirs.number}")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert page.get(f"/orders/{theirs.number}/").status_code == 403
    assert page.get(f"/orders/{mine.number}/").status_code == 200


def test_a_user_limited_to_a_location_orders_and_sees_only_there(shop):
    nantes_only = UserFactory(company=shop.company, role="buyer", all_locations=False)
    nantes_only.locations.set(Location.objects.filter(code="NANTES"))
    lyon_order = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 40, Decimal("3.90"))],
        location=Location.objects.get(code="LYON"),
    )
    _page, api = both(nantes_only)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")

    assert api.get("/api/v1/orders").json()["count"] == 0
    assert api.get(f"/api/v1/orders/{lyon_order.number}").status_code == 403
    body = {"shipping_address": "HQ", "payment_method": "TRANSFER"}
    response = api.post("/api/v1/checkout", body, "application/json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    body = {"location": "LYON", "payment_method": "TRANSFER"}
    response = api.post("/api/v1/checkout", body, "application/json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    body = {"location": "PARIS", "payment_method": "TRANSFER"}
    response = api.post("/api/v1/checkout", body, "application/json")
    assert (response.status_code, response.json()["code"]) == (422, "unknown_location")

    response = api.post("/api/v1/checkout", {"payment_method": "TRANSFER"}, "application/json")

    assert response.status_code == 201, response.content
    assert response.json()["location"] == "NANTES"
    assert response.json()["shipping_address"]["city"] == "Nantes"
    order = Order.objects.get(number=response.json()["number"])
    assert (order.location.code, order.buyer) == ("NANTES", nantes_only)
    assert [o["number"] for o in api.get("/api/v1/orders").json()["items"]] == [order.number]


def test_an_address_of_another_location_is_refused_for_the_location_named(shop):
    _page, api = both(shop.buyer)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")
    body = {"location": "NANTES", "shipping_address": "HQ", "payment_method": "TRANSFER"}
    response = api.post("/api/v1/checkout", body, "application/json")
    assert (response.status_code, response.json()["code"]) == (422, "address_not_at_location")
    assert not Order.objects.exists()


def test_a_company_with_one_location_orders_as_before(store):
    shop = build_shop(store)
    _page, api = both(shop.buyer)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")
    response = api.post("/api/v1/checkout", {"payment_method": "TRANSFER"}, "application/json")
    assert response.status_code == 201, response.content
    assert response.json()["location"] == "MAIN"
    assert response.json()["shipping_address"]["city"] == "Lyon"


def test_the_checkout_page_offers_only_the_addresses_of_the_users_locations(shop):
    nantes_only = UserFactory(company=shop.company, role="buyer", all_locations=False)
    nantes_only.locations.set(Location.objects.filter(code="NANTES"))
    page, _api = both(nantes_only)
    page.post("/cart/lines/SCR-100/", {"qty": "50"})

    offered = page.get("/checkout/").context["form"].fields["address"].choices

    assert [code for code, _label in offered] == ["DEPOT", "__new__"]


def test_a_role_without_see_prices_orders_without_seeing_any_amount(shop):
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["place_orders"])
    storekeeper = UserFactory(company=shop.company, role="STOREKEEPER")
    page, api = both(storekeeper)

    cart = api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json").json()
    assert [line["qty"] for line in cart["lines"]] == [50]
    assert cart["lines"][0]["unit_price"] is None
    assert (cart["total"], cart["tax_lines"]) == (None, [])
    assert all(method["price"] is None for method in cart["shipping_methods"])
    cart_page = page.get("/cart/").content.decode()
    assert "195.00" not in cart_page and "3.90" not in cart_page and "€" not in cart_page

    placed = api.post("/api/v1/checkout", {"payment_method": "TRANSFER"}, "application/json")
    assert placed.status_code == 201, placed.content
    assert placed.json()["total"] is None
    order = Order.objects.get()
    assert order.total > 0
    order_page = page.get(f"/orders/{order.number}/").content.decode()
    assert "€" not in order_page
    assert page.get(f"/invoices/{order.invoice.number}/").status_code == 403
    buyer_page, _api = both(shop.buyer)
    assert "€" in buyer_page.get(f"/orders/{order.number}/").content.decode()


def test_the_confirmation_of_a_buyer_who_sees_no_prices_has_no_amount(
    shop, django_capture_on_commit_callbacks
):
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["place_orders"])
    storekeeper = UserFactory(company=shop.company, role="STOREKEEPER", language="en")
    _page, api = both(storekeeper)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/checkout", {"payment_method": "TRANSFER"}, "application/json")

    [message] = [m for m in mail.outbox if m.to == [storekeeper.email]]
    assert "SCR-100 Wood screws 4x40: 50" in message.body
    assert "EUR" not in message.body and "Total" not in message.body


def test_the_cart_is_for_a_location_that_checkout_then_uses(shop):
    nantes_only = UserFactory(company=shop.company, role="buyer", all_locations=False)
    nantes_only.locations.set(Location.objects.filter(code="NANTES"))
    _page, api = both(nantes_only)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")

    refused = api.put("/api/v1/cart/location", {"location": "LYON"}, "application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    unknown = api.put("/api/v1/cart/location", {"location": "PARIS"}, "application/json")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_location")
    cart = api.put("/api/v1/cart/location", {"location": "nantes"}, "application/json").json()
    assert cart["location"] == "NANTES"
    assert api.get("/api/v1/cart").json()["location"] == "NANTES"

    response = api.post("/api/v1/checkout", {"payment_method": "TRANSFER"}, "application/json")
    assert response.json()["location"] == "NANTES"


def test_a_cart_for_a_location_refuses_an_address_of_another(shop):
    _page, api = both(shop.buyer)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 50}, "application/json")
    api.put("/api/v1/cart/location", {"location": "NANTES"}, "application/json")
    body = {"shipping_address": "HQ", "payment_method": "TRANSFER"}
    response = api.post("/api/v1/checkout", body, "application/json")
    assert (response.status_code, response.json()["code"]) == (422, "address_not_at_location")
    assert api.put("/api/v1/cart/location", {}, "application/json").json()["location"] is None
    assert api.post("/api/v1/checkout", body, "application/json").json()["location"] == "LYON"


def test_a_buyer_of_several_locations_says_on_the_cart_page_which_one_it_is_for(shop):
    page, _api = both(shop.buyer)
    page.post("/cart/lines/SCR-100/", {"qty": "50"})
    assert 'name="location"' in page.get("/cart/").content.decode()

    assert page.post("/cart/location/", {"location": "NANTES"}).status_code == 302

    assert '<option value="NANTES" selected>' in page.get("/cart/").content.decode()
    nantes_only = UserFactory(company=shop.company, all_locations=False)
    nantes_only.locations.set(Location.objects.filter(code="NANTES"))
    one, _api = both(nantes_only)
    one.post("/cart/lines/SCR-100/", {"qty": "50"})
    assert 'name="location"' not in one.get("/cart/").content.decode()


def test_credit_and_invoices_follow_the_role_and_the_locations(shop):
    requester = UserFactory(company=shop.company, role="requester")
    _page, api = both(requester)
    assert api.get("/api/v1/account").json()["credit"] == {
        "limit": None,
        "open_balance": None,
        "available": None,
    }
    _page, buyer_api = both(shop.buyer)
    assert buyer_api.get("/api/v1/account").json()["credit"]["limit"] == "10000.00"

    lyon_order = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 40, Decimal("3.90"))],
        location=Location.objects.get(code="LYON"),
    )
    invoice = InvoiceFactory(order=lyon_order)
    nantes_only = UserFactory(company=shop.company, all_locations=False)
    nantes_only.locations.set(Location.objects.filter(code="NANTES"))
    page, _api = both(nantes_only)
    assert invoice.number not in page.get("/account/").content.decode()
    assert page.get(f"/invoices/{invoice.number}/").status_code == 403


def test_method_codes_are_matched_without_regard_to_case_at_checkout(shop):
    _page, api = both(shop.buyer)
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 100}, "application/json")
    body = {"payment_method": "transfer", "shipping_method": "std"}
    response = api.post("/api/v1/checkout", body, "application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 201, response.json()
    assert (response.json()["payment_method"], response.json()["shipping_method"]) == (
        "TRANSFER",
        "STD",
    )
    body = {"payment_method": "TRANSFER", "shipping_method": "Std"}
    again = api.post("/api/v1/checkout", body, "application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.json()["number"] == response.json()["number"]
