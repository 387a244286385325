"""The cart over the API: DESIGN.md's arithmetic, rule codes on lines, edits never refused."""

import pytest
from django.core import mail

from comptoir.ordering.models import CartLine, Order


def put(api, sku, qty):
    return api.put(f"/api/v1/cart/lines/{sku}", {"qty": qty}, content_type="application/json")


def test_the_cart_adds_up_to_the_cent(api, shop):
    put(api, "SCR-100", 120)
    put(api, "MNL-1", 2)
    cart = api.get("/api/v1/cart").json()

    fields = ("sku", "qty", "unit_price", "gross", "line_total")
    assert [tuple(line[f] for f in fields) for line in cart["lines"]] == [
        ("SCR-100", 120, "3.50", "420.00", "420.00"),
        ("MNL-1", 2, "12.00", "24.00", "24.00"),
    ]
    assert cart["subtotal"] == "444.00"
    assert cart["discount_total"] == "0.00"
    # Standard shipping 15.00 (free only from 500.00), taxed at the standard rate.
    assert cart["shipping_total"] == "15.00"
    assert cart["tax_lines"] == [
        {"rate": "20.00", "base": "435.00", "amount": "87.00", "reason": None},
        {"rate": "5.50", "base": "24.00", "amount": "1.32", "reason": None},
    ]
    assert cart["tax_total"] == "88.32"
    assert cart["total"] == "547.32"
    assert cart["errors"] == []
    assert cart["can_checkout"] is True
    assert [m["code"] for m in cart["payment_methods"]] == ["TRANSFER", "PO"]
    assert cart["shipping_methods"] == [
        {"code": "STD", "name": "Standard", "price": "15.00"},
        {"code": "EXPRESS", "name": "Express", "price": "29.00"},
    ]


@pytest.mark.parametrize(
    ("sku", "qty", "code", "message"),
    [
        ("GLV-12", 30, "qty_not_multiple", "GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?"),
        ("GLV-12", 6, "qty_below_minimum", "GLV-12 is sold from 12: 6 is too few."),
        (
            "GLV-12",
            252,
            "qty_above_maximum",
            "GLV-12 is limited to 240 per order: 252 is too many.",
        ),
        ("MNL-1", 6, "insufficient_stock", "Only 5 of MNL-1 in stock: 6 requested."),
        ("POR-1", 1, "not_purchasable", "POR-1 has no price for you (price on request)"),
    ],
)
def test_each_rule_is_reported_on_its_line_and_blocks_checkout(api, shop, sku, qty, code, message):
    put(api, "SCR-100", 100)
    response = put(api, sku, qty)

    assert response.status_code == 200
    cart = response.json()
    line = next(line for line in cart["lines"] if line["sku"] == sku)
    assert line["qty"] == qty
    assert code in [e["code"] for e in line["errors"]]
    assert any(message in e["message"] for e in line["errors"])
    assert cart["can_checkout"] is False
    assert cart["errors"] == []


def test_backorder_products_sell_beyond_stock(api, shop):
    put(api, "DRL-1", 3)
    line = api.get("/api/v1/cart").json()["lines"][0]
    assert line["errors"] == []


def test_the_minimum_order_amount_is_the_groups(api, shop):
    cart = put(api, "SCR-100", 20).json()  # 20 × 3.90 = 78.00 < 100.00 (PRO)
    assert cart["errors"] == [
        {
            "code": "order_below_minimum_amount",
            "message": "The minimum order is 100.00 EUR of merchandise; the cart holds "
            "78.00 EUR (22.00 EUR more to go).",
            "sku": None,
        }
    ]
    assert cart["can_checkout"] is False
    shop.group.min_order_amount = None
    shop.group.save()
    cart = api.get("/api/v1/cart").json()  # the store's 150.00 applies
    assert "150.00" in cart["errors"][0]["message"]
    shop.group.min_order_amount = 0
    shop.group.save()
    assert api.get("/api/v1/cart").json()["errors"] == []


@pytest.mark.parametrize("qty", [-1, 1_000_001, 1.5, "12", None, True])
def test_bad_quantities_are_refused_and_not_stored(api, shop, qty):
    response = put(api, "SCR-100", qty)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_quantity"
    assert not CartLine.objects.exists()


def test_zero_removes_the_line(api, shop):
    put(api, "SCR-100", 10)
    assert put(api, "SCR-100", 0).json()["lines"] == []


def test_unknown_and_invisible_skus_are_not_found(api, shop):
    from comptoir.catalog.models import Visibility
    from tests.factories import CompanyFactory, ProductFactory

    ProductFactory(
        sku="SECRET-1", visibility=Visibility.COMPANIES, visible_companies=[CompanyFactory()]
    )
    for sku in ("NOPE-1", "SECRET-1"):
        response = put(api, sku, 1)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_cart_needs_an_approved_buyer(client, shop):
    assert client.get("/api/v1/cart").status_code == 401
    shop.company.status = "pending"
    shop.company.save()
    client.force_login(shop.buyer)
    response = client.get("/api/v1/cart")
    assert response.status_code == 403
    assert response.json()["code"] == "company_not_approved"


def test_session_writes_need_the_csrf_token(shop):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(shop.buyer)
    refused = put(client, "SCR-100", 10)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    client.get("/")
    token = client.cookies["csrftoken"].value
    accepted = client.put(
        "/api/v1/cart/lines/SCR-100",
        {"qty": 10},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200


def test_checkout_places_the_order_and_empties_the_cart(
    api, shop, django_capture_on_commit_callbacks
):
    put(api, "SCR-100", 120)
    put(api, "MNL-1", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/checkout",
            {"payment_method": "PO", "po_number": "PO-7781", "comment": "Gate B"},
            content_type="application/json",
            headers={"Idempotency-Key": "k-1"},
        )
    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["number"].startswith("CMD-")
    assert order["total"] == "547.32"
    assert order["po_number"] == "PO-7781"
    assert order["shipping_method"] == "STD"
    assert order["shipping_address"]["city"] == "Lyon"
    assert api.get("/api/v1/cart").json()["lines"] == []
    shop.products["MNL-1"].refresh_from_db()
    assert shop.products["MNL-1"].stock == 3
    (message,) = mail.outbox
    assert order["number"] in message.subject
    again = api.post(
        "/api/v1/checkout",
        {"payment_method": "PO", "po_number": "PO-7781", "comment": "Gate B"},
        content_type="application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    assert again.status_code == 201
    assert again.json()["number"] == order["number"]
    assert Order.objects.count() == 1
    reused = api.post(
        "/api/v1/checkout",
        {"payment_method": "TRANSFER"},
        content_type="application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"


def test_a_retry_differing_only_by_spaces_around_the_texts_gets_the_same_order(api, shop):
    put(api, "SCR-100", 120)
    first = api.post(
        "/api/v1/checkout",
        {"payment_method": "PO", "po_number": "PO-7781", "comment": "Gate B"},
        content_type="application/json",
        headers={"Idempotency-Key": "k-2"},
    )
    retry = api.post(
        "/api/v1/checkout",
        {"payment_method": "PO", "po_number": "  PO-7781 ", "comment": "Gate B\n"},
        content_type="application/json",
        headers={"Idempotency-Key": "k-2"},
    )

    assert (first.status_code, retry.status_code) == (201, 201), retry.content
    assert retry.json()["number"] == first.json()["number"]
    assert Order.objects.get().po_number == "PO-7781"
