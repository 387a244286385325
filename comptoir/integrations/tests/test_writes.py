"""What an ERP writes (issue 19): stock in bulk, price entries, credit limits; all or
nothing, idempotent, and seen by the next buyer's request."""

from decimal import Decimal

import pytest

from comptoir.catalog.models import Product
from comptoir.core.selectors import get_store
from comptoir.customers.models import Company
from comptoir.pricing.models import PriceEntry
from tests.factories import ProductFactory


def put(client, headers, path, body):
    return client.put(path, body, content_type="application/json", **headers)


def stocks() -> dict[str, int]:
    return dict(Product.objects.values_list("sku", "stock"))


def test_stock_is_set_by_sku_whatever_its_case_and_twice_changes_nothing(client, shop, erp):
    body = {"items": [{"sku": "scr-100", "stock": 7}, {"sku": "GLV-12", "stock": 0}]}
    assert put(client, erp, "/api/v1/erp/stock", body).json() == {"received": 2, "changed": 2}
    assert (stocks()["SCR-100"], stocks()["GLV-12"]) == (7, 0)
    before = dict(Product.objects.values_list("sku", "updated_at"))
    assert put(client, erp, "/api/v1/erp/stock", body).json() == {"received": 2, "changed": 0}
    assert dict(Product.objects.values_list("sku", "updated_at")) == before


@pytest.mark.parametrize(
    ("items", "errors"),
    [
        (
            [{"sku": "SCR-100", "stock": 5}, {"sku": "NOPE-1", "stock": 5}],
            [("NOPE-1", "unknown_sku")],
        ),
        (
            [{"sku": "SCR-100", "stock": -1}, {"sku": "GLV-12", "stock": 2.5}],
            [("SCR-100", "invalid_stock"), ("GLV-12", "invalid_stock")],
        ),
        (
            [{"sku": "SCR-100", "stock": "5"}, {"sku": "GLV-12", "stock": True}],
            [("SCR-100", "invalid_stock"), ("GLV-12", "invalid_stock")],
        ),
        (
            [{"sku": "SCR-100", "stock": 5}, {"sku": "scr-100", "stock": 6}],
            [("scr-100", "duplicate_sku")],
        ),
        (
            [{"sku": "", "stock": 5}, {"sku": 12, "stock": 5}],
            [("", "invalid_sku"), (None, "invalid_sku")],
        ),
        ([{"sku": "SCR-100", "stock": 1}] * 10_001, [(None, "too_many_items")]),
    ],
)
def test_one_bad_item_refuses_the_whole_call(client, shop, erp, items, errors):
    before = stocks()
    response = put(client, erp, "/api/v1/erp/stock", {"items": items})
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid_items")
    assert [(e["sku"], e["code"]) for e in body["errors"]] == errors
    assert stocks() == before


@pytest.mark.parametrize("body", [{}, {"items": "SCR-100"}, {"items": [{"sku": "X"}]}, []])
def test_a_malformed_body_is_an_invalid_request(client, shop, erp, body):
    response = put(client, erp, "/api/v1/erp/stock", body)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_request")


def test_ten_thousand_skus_in_one_call(client, store, erp):
    Product.objects.bulk_create(Product(sku=f"BULK-{n:05d}", name="Bulk") for n in range(10_000))
    items = [{"sku": f"BULK-{n:05d}", "stock": n} for n in range(10_000)]
    assert put(client, erp, "/api/v1/erp/stock", {"items": items}).json() == {
        "received": 10_000,
        "changed": 9_999,  # BULK-00000 had 0 already
    }
    assert Product.objects.get(sku="BULK-09999").stock == 9_999


def test_a_stock_change_is_seen_by_the_next_buyer_request(client, shop, erp):
    client.force_login(shop.buyer)
    put(client, erp, "/api/v1/erp/stock", {"items": [{"sku": "SCR-100", "stock": 500}]})
    listing = client.get("/api/v1/products?search=SCR-100").json()["items"][0]
    assert listing["availability"]["status"] == "in_stock"
    put(client, erp, "/api/v1/erp/stock", {"items": [{"sku": "SCR-100", "stock": 0}]})
    listing = client.get("/api/v1/products?search=SCR-100").json()["items"][0]
    detail = client.get("/api/v1/products/SCR-100").json()
    assert listing["availability"]["status"] == detail["availability"]["status"] == "out_of_stock"


def test_price_entries_are_upserted_and_price_the_next_request(client, shop, erp):
    base = get_store().base_price_list
    client.force_login(shop.buyer)
    assert client.get("/api/v1/products/GLV-12/price?qty=1").json()["unit_price"] != "1.2345"
    others = PriceEntry.objects.filter(price_list=base).exclude(product__sku="GLV-12").count()
    body = {
        "entries": [
            {"sku": "glv-12", "min_qty": 1, "price": "1.2345"},
            {"sku": "GLV-12", "min_qty": 500, "price": "1.10"},
        ]
    }
    path = f"/api/v1/erp/price-lists/{base.code.lower()}/entries"
    first = put(client, erp, path, body).json()
    assert first["created"] + first["updated"] == 2
    assert put(client, erp, path, body).json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert client.get("/api/v1/products/GLV-12/price?qty=1").json()["unit_price"] == "1.2345"
    assert client.get("/api/v1/products/GLV-12/price?qty=500").json()["unit_price"] == "1.10"
    assert PriceEntry.objects.filter(price_list=base).exclude(product__sku="GLV-12").count() == (
        others
    )


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ({"sku": "GLV-12", "min_qty": 1, "price": 1.5}, "invalid_price"),
        ({"sku": "GLV-12", "min_qty": 1, "price": "1.23456"}, "invalid_price"),
        ({"sku": "GLV-12", "min_qty": 1, "price": "-1"}, "invalid_price"),
        ({"sku": "GLV-12", "min_qty": 1, "price": "NaN"}, "invalid_price"),
        ({"sku": "GLV-12", "min_qty": 1, "price": "douze"}, "invalid_price"),
        ({"sku": "GLV-12", "min_qty": 0, "price": "1.00"}, "invalid_quantity"),
        ({"sku": "NOPE-1", "min_qty": 1, "price": "1.00"}, "unknown_sku"),
    ],
)
def test_a_bad_entry_refuses_every_entry(client, shop, erp, entry, code):
    base = get_store().base_price_list
    before = list(PriceEntry.objects.values_list("id", "price"))
    good = {"sku": "SCR-100", "min_qty": 1, "price": "0.01"}
    response = put(
        client, erp, f"/api/v1/erp/price-lists/{base.code}/entries", {"entries": [good, entry]}
    )
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid_items")
    assert [(e["sku"], e["code"]) for e in body["errors"]] == [(entry["sku"], code)]
    assert list(PriceEntry.objects.values_list("id", "price")) == before


def test_an_unknown_price_list_is_not_found(client, shop, erp):
    body = {"entries": [{"sku": "SCR-100", "min_qty": 1, "price": "1.00"}]}
    response = put(client, erp, "/api/v1/erp/price-lists/NOPE/entries", body)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("value", "stored"), [("12500.50", Decimal("12500.50")), (None, None), ("0", Decimal("0"))]
)
def test_a_credit_limit_is_set_or_cleared(client, shop, erp, value, stored):
    response = client.patch(
        "/api/v1/erp/companies/acme",
        {"credit_limit": value},
        content_type="application/json",
        **erp,
    )
    assert response.status_code == 200
    assert response.json()["code"] == "ACME"
    assert Company.objects.get(code="ACME").credit_limit == stored


@pytest.mark.parametrize("value", ["-1", "12.345", 100, "lots", "1e20"])
def test_a_bad_credit_limit_changes_nothing(client, shop, erp, value):
    before = Company.objects.get(code="ACME").credit_limit
    response = client.patch(
        "/api/v1/erp/companies/ACME",
        {"credit_limit": value},
        content_type="application/json",
        **erp,
    )
    assert (response.status_code, response.json()["code"]) == (422, "invalid_credit_limit")
    assert Company.objects.get(code="ACME").credit_limit == before


def test_an_unknown_company_is_not_found(client, shop, erp):
    response = client.patch(
        "/api/v1/erp/companies/NOPE",
        {"credit_limit": "1.00"},
        content_type="application/json",
        **erp,
    )
    assert response.status_code == 404


def test_inactive_products_take_stock_too(client, shop, erp):
    ProductFactory(sku="OLD-1", active=False)
    assert (
        put(client, erp, "/api/v1/erp/stock", {"items": [{"sku": "OLD-1", "stock": 3}]}).json()[
            "changed"
        ]
        == 1
    )
