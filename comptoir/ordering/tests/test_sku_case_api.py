"""SKUs are matched without regard to case in every channel buyers type them in (API.md §2.1)."""

from comptoir.ordering.models import CartLine


def cart(api):
    return [(line.product.sku, line.quantity) for line in CartLine.objects.order_by("id")]


def test_a_cart_line_set_by_a_lowercase_sku(api, shop):
    response = api.put("/api/v1/cart/lines/scr-100", {"qty": 24}, content_type="application/json")

    assert response.status_code == 200, response.content
    assert [(line["sku"], line["qty"]) for line in response.json()["lines"]] == [("SCR-100", 24)]


def test_quick_order_rows_in_any_case_add_up_on_one_line(api, shop):
    response = api.post(
        "/api/v1/cart/lines",
        {"lines": [{"sku": "scr-100", "qty": 12}, {"sku": "Scr-100", "qty": 12}]},
        content_type="application/json",
    )

    assert [row["status"] for row in response.json()["rows"]] == ["added", "added"]
    assert cart(api) == [("SCR-100", 24)]


def test_a_csv_import_in_lowercase(api, shop):
    response = api.post("/api/v1/cart/import", b"glv-12,12\nmnl-1,1\n", content_type="text/csv")

    assert [row["code"] for row in response.json()["rows"]] == [None, None]
    assert cart(api) == [("GLV-12", 12), ("MNL-1", 1)]


def test_a_product_and_its_price_by_a_lowercase_sku(api, shop):
    product = api.get("/api/v1/products/scr-100")
    price = api.get("/api/v1/products/scr-100/price?qty=100")

    assert (product.status_code, product.json()["sku"]) == (200, "SCR-100")
    assert (price.status_code, price.json()["unit_price"]) == (200, "3.50")


def test_search_by_a_lowercase_sku(api, shop):
    response = api.get("/api/v1/products?search=scr-100")

    assert [item["sku"] for item in response.json()["items"]] == ["SCR-100"]


def test_the_storefront_product_page_by_a_lowercase_sku(api, shop):
    assert api.get("/p/scr-100/").status_code == 200
