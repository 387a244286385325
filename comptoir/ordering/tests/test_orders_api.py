"""Quick order, orders and reorder over the API, with query counts flat in the number of items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.ordering.models import CartLine
from tests.factories import CompanyFactory, PriceEntryFactory, ProductFactory, create_order


def post_lines(api, lines, mode="add"):
    return api.post(
        "/api/v1/cart/lines", {"lines": lines, "mode": mode}, content_type="application/json"
    )


def test_many_lines_at_once_report_each_row(api, shop):
    response = post_lines(
        api,
        [
            {"sku": "SCR-100", "qty": 24},
            {"sku": "NOPE", "qty": 1},
            {"sku": "GLV-12", "qty": "12"},
            {"sku": "GLV-12", "qty": -1},
            {"sku": "GLV-12", "qty": 10**12},
            {"sku": "SCR-100", "qty": 6},
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert [(r["row"], r["status"], r["code"]) for r in body["rows"]] == [
        (1, "added", None),
        (2, "error", "unknown_sku"),
        (3, "added", None),
        (4, "error", "invalid_quantity"),
        (5, "error", "invalid_quantity"),
        (6, "added", None),
    ]
    assert [(line["sku"], line["qty"]) for line in body["cart"]["lines"]] == [
        ("SCR-100", 30),
        ("GLV-12", 12),
    ]
    replaced = post_lines(api, [{"sku": "MNL-1", "qty": 1}], mode="replace").json()
    assert [line["sku"] for line in replaced["cart"]["lines"]] == ["MNL-1"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "invalid_file"),
        ("SCR-100,12\n".encode("utf-16"), "invalid_file"),
        ("\n".join(["SCR-100,1"] * 1001).encode(), "too_many_lines"),
    ],
)
def test_csv_imports_that_cannot_be_read_are_refused_whole(api, shop, body, code):
    response = api.post("/api/v1/cart/import", body, content_type="text/csv")
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not CartLine.objects.exists()


def test_csv_import_reports_rows(api, shop):
    body = b"sku,qty\nSCR-100,24\nSECRET,1\nGLV-12,12x\n"
    rows = api.post("/api/v1/cart/import", body, content_type="text/csv").json()["rows"]
    assert [(r["row"], r["sku"], r["code"]) for r in rows] == [
        (2, "SCR-100", None),
        (3, "SECRET", "unknown_sku"),
        (4, "GLV-12", "invalid_quantity"),
    ]


def test_orders_are_the_companys_only_and_reorder_refills_the_cart(api, shop):
    from decimal import Decimal

    mine = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 100, Decimal("3.10"))],
        po_number="PO-1",
    )
    theirs = create_order(
        company=CompanyFactory(), items=[(shop.products["SCR-100"], 5, Decimal("4.20"))]
    )
    listing = api.get("/api/v1/orders").json()
    assert [o["number"] for o in listing["items"]] == [mine.number]
    assert listing["count"] == 1
    detail = api.get(f"/api/v1/orders/{mine.number}").json()
    assert detail["po_number"] == "PO-1"
    assert detail["lines"][0]["unit_price"] == "3.10"
    assert api.get(f"/api/v1/orders/{theirs.number}").status_code == 404
    assert api.post(f"/api/v1/orders/{theirs.number}/reorder").status_code == 404
    cart = api.post(f"/api/v1/orders/{mine.number}/reorder").json()["cart"]
    assert [(line["sku"], line["qty"], line["unit_price"]) for line in cart["lines"]] == [
        ("SCR-100", 100, "3.50")
    ]


def queries(api, method, path, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(api, method)(path, **kwargs)
    assert response.status_code in (200, 201), response.content
    return len(captured)


def grow_catalogue(shop, count):
    products = [ProductFactory(sku=f"BLK-{n:03d}", stock=100) for n in range(count)]
    for product in products:
        PriceEntryFactory(price_list=shop.store.base_price_list, product=product)
    return products


def test_cart_queries_do_not_grow_with_the_lines(api, shop):
    products = grow_catalogue(shop, 50)
    post_lines(api, [{"sku": products[0].sku, "qty": 1}])
    one = queries(api, "get", "/api/v1/cart")
    post_lines(api, [{"sku": p.sku, "qty": 1} for p in products])
    fifty = queries(api, "get", "/api/v1/cart")
    assert one == fifty

    rows_one = queries(
        api,
        "post",
        "/api/v1/cart/lines",
        data={"lines": [{"sku": products[0].sku, "qty": 1}]},
        content_type="application/json",
    )
    rows_fifty = queries(
        api,
        "post",
        "/api/v1/cart/lines",
        data={"lines": [{"sku": p.sku, "qty": 1} for p in products]},
        content_type="application/json",
    )
    assert rows_one == rows_fifty


def test_order_list_queries_do_not_grow_with_the_orders(api, shop):
    from decimal import Decimal

    item = [(shop.products["SCR-100"], 10, Decimal("3.90"))]
    create_order(company=shop.company, buyer=shop.buyer, items=item)
    queries(api, "get", "/api/v1/orders?page_size=50")  # fills this process's copy of the store
    one = queries(api, "get", "/api/v1/orders?page_size=50")
    for _ in range(49):
        create_order(company=shop.company, buyer=shop.buyer, items=item * 3)
    fifty = queries(api, "get", "/api/v1/orders?page_size=50")
    assert one == fifty
