"""Buying in the storefront: add to cart, live cart edits, quick order, checkout, orders."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from comptoir.ordering.models import CartLine, Order
from tests.factories import CompanyFactory, UserFactory, create_order
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def buyer(client, shop):
    client.force_login(shop.buyer)
    return client


def cart_of(shop):
    return {
        line.product.sku: line.quantity for line in CartLine.objects.filter(cart__buyer=shop.buyer)
    }


def test_the_product_page_adds_the_minimum_orderable_quantity(buyer, shop):
    page = buyer.get("/p/GLV-12/").content.decode()
    assert 'name="qty" type="text"' in page
    assert 'value="12"' in page
    response = buyer.post("/cart/add/", {"sku": "GLV-12", "qty": "24", "next": "/p/GLV-12/"})
    assert response["Location"] == "/p/GLV-12/"
    assert cart_of(shop) == {"GLV-12": 24}


def test_adding_an_invisible_product_is_not_found(buyer, shop):
    from comptoir.catalog.models import Visibility
    from tests.factories import ProductFactory

    ProductFactory(
        sku="SECRET-1", visibility=Visibility.COMPANIES, visible_companies=[CompanyFactory()]
    )
    assert buyer.post("/cart/add/", {"sku": "SECRET-1", "qty": "1"}).status_code == 404
    assert buyer.post("/cart/add/", {"sku": "NOPE", "qty": "1"}).status_code == 404
    assert cart_of(shop) == {}


def test_the_cart_reports_a_multiple_error_and_htmx_fixes_it_live(buyer, shop):
    buyer.post("/cart/add/", {"sku": "GLV-12", "qty": "30"})
    page = buyer.get("/cart/").content.decode()
    assert "GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?" in page
    assert "Fix the lines marked above" in page

    fragment = buyer.post(
        "/cart/lines/GLV-12/", {"qty": "36"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="cart"')
    assert "not a multiple" not in fragment
    assert cart_of(shop) == {"GLV-12": 36}


def test_a_bad_quantity_in_the_cart_is_shown_and_not_stored(buyer, shop):
    buyer.post("/cart/add/", {"sku": "SCR-100", "qty": "10"})
    fragment = buyer.post(
        "/cart/lines/SCR-100/", {"qty": "12x"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "12x is not a quantity" in fragment
    assert cart_of(shop) == {"SCR-100": 10}
    buyer.post("/cart/lines/SCR-100/", {"remove": "1"})
    assert cart_of(shop) == {}


def test_quick_order_adds_every_good_row_and_reports_the_others(buyer, shop):
    from comptoir.catalog.models import Visibility
    from tests.factories import ProductFactory

    ProductFactory(
        sku="SECRET-1", visibility=Visibility.COMPANIES, visible_companies=[CompanyFactory()]
    )
    text = "\n".join(
        [
            "SCR-100 24",
            "GLV-12\t30",
            "NOPE-1 2",
            "SECRET-1 1",
            "MNL-1 12x",
            "MNL-1 -3",
            "DRL-1 1000000000000",
            "SCR-100;6",
        ]
    )
    response = buyer.post("/quick-order/", {"lines": text})
    results = [(r.row, r.sku, r.status, r.code) for r in response.context["results"]]
    assert results == [
        (1, "SCR-100", "added", None),
        (2, "GLV-12", "added", None),
        (3, "NOPE-1", "error", "unknown_sku"),
        (4, "SECRET-1", "error", "unknown_sku"),
        (5, "MNL-1", "error", "invalid_quantity"),
        (6, "MNL-1", "error", "invalid_quantity"),
        (7, "DRL-1", "error", "invalid_quantity"),
        (8, "SCR-100", "added", None),
    ]
    assert cart_of(shop) == {"SCR-100": 30, "GLV-12": 30}
    page = response.content.decode()
    assert "Unknown SKU SECRET-1." in page
    assert "3 lines added to the cart" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("sku;qty\nSCR-100;12\n".encode("utf-16"), "not UTF-8"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_quick_order_files_that_cannot_be_read_are_refused_whole(buyer, shop, content, message):
    upload = io.BytesIO(content)
    upload.name = "order.csv"
    response = buyer.post("/quick-order/", {"file": upload})
    assert message in response.content.decode()
    assert cart_of(shop) == {}


def test_quick_order_from_a_csv_file_with_a_header(buyer, shop):
    upload = io.BytesIO("\ufeffsku;qty\nSCR-100;24\nGLV-12;36\n".encode())
    upload.name = "order.csv"
    buyer.post("/quick-order/", {"file": upload, "mode": "replace"})
    assert cart_of(shop) == {"SCR-100": 24, "GLV-12": 36}


def test_quick_order_refuses_more_than_1000_lines(buyer, shop):
    text = "\n".join("SCR-100 1" for _ in range(1001))
    response = buyer.post("/quick-order/", {"lines": text})
    assert "At most 1000 lines" in response.content.decode()
    assert cart_of(shop) == {}


def checkout_form(buyer):
    page = buyer.get("/checkout/")
    form = page.context["form"]
    return {
        "token": form.initial["token"],
        "address": "HQ",
        "shipping_method": "STD",
        "payment_method": "PO",
        "po_number": "PO-2026-118",
        "comment": "",
    }


def test_checkout_places_the_order_once_even_when_submitted_twice(
    buyer, shop, django_capture_on_commit_callbacks
):
    buyer.post("/quick-order/", {"lines": "SCR-100 120\nMNL-1 2"})
    data = checkout_form(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        first = buyer.post("/checkout/place/", data)
    order = Order.objects.get()
    assert first["Location"] == f"/orders/{order.number}/"
    second = buyer.post("/checkout/place/", data)
    assert second["Location"] == f"/orders/{order.number}/"
    assert Order.objects.count() == 1
    assert (order.po_number, order.total, order.shipping_method_code) == (
        "PO-2026-118",
        order.subtotal + order.shipping_total + order.tax_total - order.discount_total,
        "STD",
    )
    assert str(order.total) == "547.32"
    assert len(mail.outbox) == 1
    page = buyer.get(first["Location"]).content.decode()
    assert "PO-2026-118" in page
    assert "€547.32" in page
    assert order.number in buyer.get("/orders/").content.decode()


def test_paying_by_purchase_order_needs_the_po_number(buyer, shop):
    buyer.post("/quick-order/", {"lines": "SCR-100 120"})
    data = checkout_form(buyer) | {"po_number": ""}
    response = buyer.post("/checkout/place/", data)
    assert response.status_code == 422
    assert "needs your purchase-order number" in response.content.decode()
    assert not Order.objects.exists()
    assert cart_of(shop) == {"SCR-100": 120}


def test_checkout_to_a_new_address_is_validated(buyer, shop):
    buyer.post("/quick-order/", {"lines": "SCR-100 120"})
    data = checkout_form(buyer) | {
        "address": "__new__",
        "line1": "",
        "country": "US",
        "region": "ZZ",
    }
    response = buyer.post("/checkout/place/", data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "line1" in errors and "region" in errors
    data |= {
        "line1": "10 Hudson St",
        "city": "New York",
        "postal_code": "10013",
        "region": "NY",
        "payment_method": "TRANSFER",
    }
    response = buyer.post("/checkout/place/", data)
    assert response.status_code == 302
    assert Order.objects.get().shipping_address["city"] == "New York"


def test_orders_belong_to_the_company(buyer, shop):
    other = create_order(
        company=CompanyFactory(),
        items=[(shop.products["SCR-100"], 10, Decimal("4.20"))],
    )
    assert buyer.get(f"/orders/{other.number}/").status_code == 404
    assert other.number not in buyer.get("/orders/").content.decode()


def test_reorder_puts_the_lines_back_at_todays_prices(buyer, shop):
    order = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[
            (shop.products["SCR-100"], 100, Decimal("3.10")),
            (shop.products["GLV-12"], 24, Decimal("3.00")),
        ],
    )
    response = buyer.post(f"/orders/{order.number}/reorder/")
    assert response["Location"] == "/cart/"
    assert cart_of(shop) == {"SCR-100": 100, "GLV-12": 24}
    cart = buyer.get("/api/v1/cart").json()
    assert cart["lines"][0]["unit_price"] == "3.50"


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_buyers_who_cannot_order_see_why(store, status):
    buyer = UserFactory(company=CompanyFactory(status=status))
    client = Client()
    client.force_login(buyer)
    for path in ("/cart/", "/quick-order/", "/checkout/", "/orders/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Ordering is closed" in response.content.decode()


def test_visitors_are_sent_to_log_in(store, client):
    assert client.get("/cart/")["Location"].startswith("/account/login/")


def page_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_cart_and_order_pages_take_as_many_queries_for_1_as_for_50_items(buyer, shop):
    from tests.factories import PriceEntryFactory, ProductFactory

    products = [ProductFactory(sku=f"BLK-{n:03d}", stock=100) for n in range(50)]
    for product in products:
        PriceEntryFactory(price_list=shop.store.base_price_list, product=product)
    item = [(shop.products["SCR-100"], 10, Decimal("3.90"))]
    buyer.post("/quick-order/", {"lines": "BLK-000 1"})
    create_order(company=shop.company, buyer=shop.buyer, items=item)
    counts_one = [page_queries(buyer, path) for path in ("/cart/", "/orders/", "/checkout/")]

    buyer.post("/quick-order/", {"lines": "\n".join(f"{p.sku} 1" for p in products)})
    for _ in range(49):
        create_order(company=shop.company, buyer=shop.buyer, items=item * 2)
    counts_fifty = [page_queries(buyer, path) for path in ("/cart/", "/orders/", "/checkout/")]
    assert counts_one == counts_fifty


def test_quick_order_finds_skus_by_the_storefront_s_search(buyer, shop):
    from comptoir.catalog.models import Visibility
    from tests.factories import ProductFactory

    ProductFactory(
        sku="SCR-SECRET",
        name="Wood screws for one company",
        visibility=Visibility.COMPANIES,
        visible_companies=[CompanyFactory()],
    )
    found = buyer.get("/quick-order/", {"find": "wood screws"}).context["found"]
    assert [product.sku for product in found] == ["SCR-100"]
    found = buyer.get("/quick-order/", {"find": "scr"}).context["found"]
    assert [product.sku for product in found] == ["SCR-100"]
    page = buyer.get("/quick-order/", {"find": "nothing like it"}).content.decode()
    assert "No product matches." in page
