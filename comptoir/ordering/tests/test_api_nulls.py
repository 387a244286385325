"""A JSON null for an optional field of an API body means the key was left out (API.md §2.1)."""

import pytest

from comptoir.ordering.models import Order

ADDRESS = {"line1": "1 rue du Port", "city": "Nantes", "postal_code": "44000", "country": "FR"}


def fill_cart(api):
    response = api.put("/api/v1/cart/lines/SCR-100", {"qty": 120}, content_type="application/json")
    assert response.status_code == 200


def checkout(api, body):
    return api.post("/api/v1/checkout", body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        {"payment_method": "TRANSFER", "po_number": None},
        {"payment_method": "TRANSFER", "comment": None},
        {"payment_method": "TRANSFER", "shipping_method": None},
        {"payment_method": "TRANSFER", "shipping_address": None},
        {"payment_method": "TRANSFER", "shipping_address": {**ADDRESS, "line2": None}},
        {"payment_method": "TRANSFER", "shipping_address": {**ADDRESS, "region": None}},
    ],
)
def test_checkout_reads_null_as_absent(api, shop, body):
    fill_cart(api)

    response = checkout(api, body)

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert (order.po_number, order.comment, order.shipping_method_code) == ("", "", "STD")


def test_a_null_po_number_is_missing_where_the_method_needs_one(api, shop):
    fill_cart(api)

    response = checkout(api, {"payment_method": "PO", "po_number": None, "comment": None})

    assert response.status_code == 422, response.content
    assert response.json()["code"] == "po_number_required"
    assert not Order.objects.exists()


def test_quick_order_reads_a_null_mode_as_add(api, shop):
    fill_cart(api)

    response = api.post(
        "/api/v1/cart/lines",
        {"lines": [{"sku": "SCR-100", "qty": 12}], "mode": None},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert [(line["sku"], line["qty"]) for line in response.json()["cart"]["lines"]] == [
        ("SCR-100", 132)
    ]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/cart/lines", {"lines": None}),
        ("/api/v1/auth/token", {"email": None, "password": "x"}),
    ],
)
def test_a_null_required_field_is_still_refused(api, shop, path, body):
    response = api.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_the_openapi_document_says_optional_fields_take_null(client, shop):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert schemas["CheckoutIn"]["properties"]["po_number"] == {
        "anyOf": [{"maxLength": 64, "type": "string"}, {"type": "null"}],
        "default": "",
        "title": "Po Number",
    }
    assert {"type": "null"} in schemas["LinesIn"]["properties"]["mode"]["anyOf"]
    assert schemas["LinesIn"]["properties"]["lines"]["type"] == "array"
