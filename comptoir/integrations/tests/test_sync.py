"""Incremental sync for an ERP (issue 19): what changed after a cursor, and nothing else."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from comptoir.accounts.access import viewer_for
from comptoir.bundle.dumper import dump_store
from comptoir.bundle.loader import load_store
from comptoir.catalog.models import Product
from comptoir.core.selectors import get_store
from comptoir.customers.models import Company
from comptoir.integrations.cursor import Position, encode
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.pricing.models import PriceEntry
from comptoir.pricing.services import price_entries_sync
from tests.factories import InvoiceFactory, OrderFactory, PaymentMethodFactory, ProductFactory

from .conftest import key_headers


def sync(client, headers, path, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    response = client.get(f"/api/v1/erp/{path}?{query}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def skus(page) -> list[str]:
    return [item["sku"] for item in page["items"]]


def test_two_changes_after_a_cursor_are_returned_and_nothing_else(client, shop, erp):
    first = sync(client, erp, "products", limit=1000)
    assert len(first["items"]) == Product.objects.count() == 5
    assert first["has_more"] is False
    cursor = first["next_cursor"]
    assert sync(client, erp, "products", cursor=cursor)["items"] == []

    store = get_store()
    store.language = "fr"  # the base columns in French, an English translation
    store.save()
    glove = Product.objects.get(sku="GLV-12")
    glove.name = "Gants de manutention"
    glove.translations = {"en": {"name": "Handling gloves"}}
    glove.save()
    response = client.put(
        "/api/v1/erp/stock",
        {"items": [{"sku": "drl-1", "stock": 42}]},
        content_type="application/json",
        **erp,
    )
    assert response.json() == {"received": 1, "changed": 1}

    page = sync(client, erp, "products", cursor=cursor)
    assert skus(page) == ["GLV-12", "DRL-1"]
    assert page["items"][0]["name"] == "Gants de manutention"
    assert page["items"][0]["translations"] == {
        "fr": {"name": "Gants de manutention", "description": glove.description},
        "en": {"name": "Handling gloves"},
    }
    assert page["items"][1]["stock"] == 42
    assert sync(client, erp, "products", cursor=page["next_cursor"])["items"] == []


def test_rows_changed_in_the_same_instant_are_all_returned_across_pages(client, shop, erp):
    instant = timezone.now() + datetime.timedelta(hours=1)
    Product.objects.filter(sku__in=["SCR-100", "GLV-12", "MNL-1"]).update(updated_at=instant)
    before = encode(Position(at=instant - datetime.timedelta(microseconds=1), id=0))
    seen, cursor = [], before
    for _page in range(4):
        page = sync(client, erp, "products", cursor=cursor, limit=1)
        seen += skus(page)
        cursor = page["next_cursor"]
    assert sorted(seen) == ["GLV-12", "MNL-1", "SCR-100"]
    assert len(seen) == 3


def test_updated_since_is_inclusive_and_deactivated_products_show_inactive(client, shop, erp):
    since = timezone.now()
    Product.objects.filter(sku="POR-1").update(active=False, updated_at=since)
    page = sync(client, erp, "products", updated_since=since.isoformat().replace("+", "%2B"))
    assert [(item["sku"], item["active"]) for item in page["items"]] == [("POR-1", False)]


def test_an_order_placed_shows_the_order_and_the_stock_it_took(client, shop, erp):
    PaymentMethodFactory(code="TRANSFER")
    products = sync(client, erp, "products", limit=1000)["next_cursor"]
    orders = sync(client, erp, "orders")["next_cursor"]
    viewer = viewer_for(get_store(), shop.buyer)
    cart_add_lines(viewer=viewer, rows=[(1, "SCR-100", 100)])
    order = order_place(viewer=viewer, request=CheckoutRequest(payment_method="TRANSFER")).order

    assert skus(sync(client, erp, "products", cursor=products)) == ["SCR-100"]
    page = sync(client, erp, "orders", cursor=orders)
    assert [(o["number"], o["company"]) for o in page["items"]] == [(order.number, "ACME")]


def test_a_bundle_load_shows_only_what_it_changed(client, shop, erp, tmp_path):
    out = io.StringIO()
    dump_store(out)
    bundle = json.loads(out.getvalue())
    for product in bundle["products"]:
        if product["sku"] == "MNL-1":
            product["name"] = "Manuel, 2e édition"
    for company in bundle["companies"]:
        if company["code"] == "ACME":
            company["credit_limit"] = "7500.00"
    path = tmp_path / "store.json"
    path.write_text(json.dumps(bundle))
    load_store(path)  # what it writes the same is not written
    cursors = {
        kind: sync(client, erp, kind, limit=1000)["next_cursor"]
        for kind in ("products", "companies")
    }
    for product in bundle["products"]:
        if product["sku"] == "MNL-1":
            product["name"] = "Manuel, 3e édition"
    for company in bundle["companies"]:
        if company["code"] == "ACME":
            company["credit_limit"] = "9000.00"
    path.write_text(json.dumps(bundle))
    load_store(path)

    assert skus(sync(client, erp, "products", cursor=cursors["products"])) == ["MNL-1"]
    companies = sync(client, erp, "companies", cursor=cursors["companies"])["items"]
    assert [(c["code"], c["credit_limit"]) for c in companies] == [("ACME", "9000.00")]


def test_price_entries_and_their_list_move_when_written_or_deleted(client, shop, erp):
    base = get_store().base_price_list
    lists = sync(client, erp, "price-lists", limit=1000)["next_cursor"]
    entries = sync(client, erp, "price-entries", limit=1000)["next_cursor"]
    scr = Product.objects.get(sku="SCR-100")
    kept = {
        (e.product_id, e.min_qty): e.price
        for e in PriceEntry.objects.filter(price_list=base).exclude(product=scr)
    }
    kept[(scr.pk, 1)] = Decimal("3.10")
    price_entries_sync(list_id=base.pk, wanted=kept)  # SCR-100's other tiers are deleted

    assert [pl["code"] for pl in sync(client, erp, "price-lists", cursor=lists)["items"]] == [
        base.code
    ]
    changed = sync(client, erp, "price-entries", cursor=entries)["items"]
    assert [(e["sku"], e["min_qty"], e["price"]) for e in changed] == [("SCR-100", 1, "3.10")]
    everything = sync(client, erp, f"price-lists/{base.code}/entries", limit=1000)["items"]
    assert ("SCR-100", 1) in {(e["sku"], e["min_qty"]) for e in everything}
    assert len(everything) == len(kept)


def test_invoices_and_deletions_are_synced(client, shop, erp):
    invoices = sync(client, erp, "invoices")["next_cursor"]
    deletions = sync(client, erp, "deletions")["next_cursor"]
    invoice = InvoiceFactory(order=OrderFactory(company=shop.company))
    ProductFactory(sku="TMP-1").delete()
    Company.objects.filter(code="ACME").update(credit_limit=Decimal("1.00"))  # no updated_at

    page = sync(client, erp, "invoices", cursor=invoices)
    assert [(i["number"], i["company"]) for i in page["items"]] == [(invoice.number, "ACME")]
    gone = sync(client, erp, "deletions", cursor=deletions)["items"]
    assert [(d["kind"], d["key"]) for d in gone] == [("product", "TMP-1")]


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": encode(Position(at=timezone.now(), id=1))[:-3]},
        {"updated_since": "yesterday"},
        {"updated_since": "2026-12-07T10:00:00"},
        {"updated_since": "0001-01-01T00:00:00%2B05:00"},
        {"cursor": encode(Position(at=timezone.now(), id=2**63))},
        {"cursor": "eyJ0IjoiMjAyNi0xMi0wN1QwMTowMDowMCIsImlkIjoxfQ"},
        {"limit": 1001},
        {"limit": 0},
    ],
)
def test_bad_cursors_and_limits_are_invalid_requests(client, shop, erp, params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/api/v1/erp/products?{query}", **erp)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_request")


@pytest.mark.parametrize("count", [1, 50])
def test_sync_pages_read_in_constant_queries(client, store, count, django_assert_max_num_queries):
    for number in range(count):
        ProductFactory(sku=f"SKU-{number}")
        InvoiceFactory(order=OrderFactory())
    headers = key_headers("read")
    client.get("/api/v1/erp/products", **headers)  # notes the key's first use
    for kind, most in (("products", 3), ("companies", 3), ("orders", 5), ("invoices", 3)):
        with django_assert_max_num_queries(most):
            page = client.get(f"/api/v1/erp/{kind}?limit=1000", **headers).json()
        assert len(page["items"]) >= count
