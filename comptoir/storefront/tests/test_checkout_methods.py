"""Checkout offers the delivery and payment methods of the address the buyer picks, exactly
those the API gives for that address and accepts when the order is placed."""

from decimal import Decimal

import pytest

from comptoir.ordering.models import Order
from tests.factories import AddressFactory, PaymentMethodFactory, ShippingMethodFactory
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return benelux_shop(store)


def benelux_shop(store):
    """The shop of tests/shops.py; ACME also ships to BRU in Brussels. BENELUX delivers to
    BE/NL/LU only, FRANCE and cash on delivery (COD) serve France only."""
    shop = build_shop(store)
    AddressFactory(
        company=shop.company,
        code="BRU",
        position=1,
        line1="Rue de la Loi 16",
        city="Bruxelles",
        postal_code="1000",
        country="BE",
        region="",
    )
    ShippingMethodFactory(
        code="BENELUX",
        name="Benelux carrier",
        position=4,
        price=Decimal("19.00"),
        countries=["BE", "NL", "LU"],
    )
    ShippingMethodFactory(
        code="FRANCE", name="Colissimo France", position=3, price=Decimal("9.00"), countries=["FR"]
    )
    PaymentMethodFactory(
        code="COD", name="Cash on delivery", position=3, type="cash_on_delivery", countries=["FR"]
    )
    return shop


@pytest.fixture
def buyer(client, shop):
    client.force_login(shop.buyer)
    client.post("/quick-order/", {"lines": "SCR-100 120"})
    return client


def offered(form) -> tuple[list[str], list[str]]:
    return (
        [code for code, _label in form.fields["shipping_method"].choices],
        [code for code, _label in form.fields["payment_method"].choices],
    )


def api_offers(client, address: str) -> tuple[list[str], list[str]]:
    cart = client.get("/api/v1/cart", {"shipping_address": address}).json()
    return (
        [method["code"] for method in cart["shipping_methods"]],
        [method["code"] for method in cart["payment_methods"]],
    )


def refresh(client, **chosen):
    data = {"address": "HQ", "shipping_method": "", "payment_method": ""} | chosen
    return client.post("/checkout/summary/", data, headers={"HX-Request": "true"})


def test_the_offers_follow_the_address_as_in_the_api(buyer):
    page = buyer.get("/checkout/")
    assert offered(page.context["form"]) == (
        ["STD", "EXPRESS", "FRANCE"],
        ["TRANSFER", "PO", "COD"],
    )
    assert offered(page.context["form"]) == api_offers(buyer, "HQ")

    belgium = refresh(buyer, address="BRU", shipping_method="FRANCE")
    assert offered(belgium.context["form"]) == (["STD", "EXPRESS", "BENELUX"], ["TRANSFER", "PO"])
    assert offered(belgium.context["form"]) == api_offers(buyer, "BRU")
    # The FR-only method chosen before is gone: the cheapest left is chosen, and priced.
    assert belgium.context["form"].initial["shipping_method"] == "STD"
    assert belgium.context["quote"].shipping.code == "STD"
    body = belgium.content.decode()
    assert 'id="methods" hx-swap-oob="true"' in body
    assert "Benelux carrier" in body
    assert "Colissimo France" not in body
    assert "Cash on delivery" not in body

    chosen = refresh(buyer, address="BRU", shipping_method="BENELUX", payment_method="PO")
    assert chosen.context["quote"].shipping_total == Decimal("19.00")
    benelux = chosen.content.decode().split('value="BENELUX"', 1)[1].split(">", 1)[0]
    assert "checked" in benelux


def test_the_api_refuses_an_unknown_address_code(buyer):
    response = buyer.get("/api/v1/cart", {"shipping_address": "NOPE"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_address"


def test_an_order_to_belgium_goes_with_the_benelux_method(buyer):
    token = buyer.get("/checkout/").context["form"].initial["token"]
    data = {
        "token": token,
        "address": "BRU",
        "shipping_method": "BENELUX",
        "payment_method": "TRANSFER",
        "po_number": "",
        "comment": "",
    }
    response = buyer.post("/checkout/place/", data)
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.shipping_method_code, order.shipping_address["country"]) == ("BENELUX", "BE")
    assert order.shipping_total == Decimal("19.00")


def test_a_new_address_abroad_gets_its_offers_as_soon_as_its_country_is_known(buyer):
    response = refresh(buyer, address="__new__", country="NL")
    assert offered(response.context["form"])[0] == ["STD", "EXPRESS", "BENELUX"]
