"""Units of measure (issue 21): a product sold by the piece, the box of 12, the case of 144
and the pallet of 2,880 (3 % off), priced, ruled, stocked, ordered and invoiced to the cent.

PAL-1 costs 0.4537 a piece in the base list, 20 % VAT, stock 10,000; a crate of 500 exists
but is switched off.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.accounts.access import viewer_for
from comptoir.catalog.models import Packaging, TaxClass
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.ordering.models import CartLine, Order
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.quotes import quote_cart
from comptoir.ordering.services import cart_add_lines, order_reorder
from comptoir.payments.documents import invoice_document
from comptoir.payments.invoicing import invoice_for_order
from comptoir.pricing.models import PackagingPrice, VolumeDiscountTier
from tests.factories import PriceEntryFactory, ProductFactory

CART = "/api/v1/cart"
JSON = "application/json"


@pytest.fixture
def pal(shop):
    product = ProductFactory(
        sku="PAL-1", name="Wall plugs", unit="piece", stock=10_000, tax_class=TaxClass.STANDARD
    )
    base = shop.store.base_price_list
    PriceEntryFactory(price_list=base, product=product, price=Decimal("0.4537"))
    Packaging.objects.create(product=product, unit="box", factor=12)
    Packaging.objects.create(product=product, unit="case", factor=144)
    Packaging.objects.create(product=product, unit="pallet", factor=2880, percent_off=Decimal("3"))
    Packaging.objects.create(product=product, unit="crate", factor=500, enabled=False)
    return product


def put(api, qty, unit=None, sku="PAL-1"):
    body = {"qty": qty} | ({"unit": unit} if unit is not None else {})
    return api.put(f"/api/v1/cart/lines/{sku}", body, content_type=JSON)


def line_of(cart, sku="PAL-1"):
    return next(line for line in cart["lines"] if line["sku"] == sku)


def test_a_pallet_line_is_priced_and_taxed_to_the_cent_on_cart_order_and_invoice(api, shop, pal):
    cart = put(api, 2, "pallet").json()
    line = line_of(cart)
    # 0.4537 × 2,880 = 1,306.656, 3 % off = 1,267.45632 → 1,267.4563 a pallet (4 places);
    # gross = round2(1,267.4563 × 2) = round2(2,534.9126) = 2,534.91
    assert (line["qty"], line["unit"], line["base_qty"]) == (2, "pallet", 5760)
    assert (line["unit_price"], line["gross"], line["line_total"]) == (
        "1267.4563",
        "2534.91",
        "2534.91",
    )
    # free shipping from 500.00; 2,534.91 × 20 % = 506.982 → 506.98
    assert cart["tax_lines"] == [
        {"rate": "20.00", "base": "2534.91", "amount": "506.98", "reason": None}
    ]
    assert (cart["shipping_total"], cart["tax_total"], cart["total"]) == (
        "0.00",
        "506.98",
        "3041.89",
    )

    response = api.post(
        "/api/v1/checkout",
        {"payment_method": "TRANSFER"},
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="pallet-1",
    )
    assert response.status_code == 201, response.content
    order = response.json()
    assert {k: order["lines"][0][k] for k in ("qty", "unit", "base_qty", "unit_price")} == {
        "qty": 2,
        "unit": "pallet",
        "base_qty": 5760,
        "unit_price": "1267.4563",
    }
    assert (order["tax_total"], order["total"]) == ("506.98", "3041.89")
    pal.refresh_from_db()
    assert pal.stock == 10_000 - 5760
    placed = Order.objects.get(number=order["number"]).lines.get()
    assert placed.quantity_label == "2\xa0pallets (5,760\xa0pieces)"
    assert [step["step"] for step in placed.explanation] == ["list_price", "packaging"]
    assert placed.explanation[1] == {
        "step": "packaging",
        "source": "pallet",
        "detail": "× 2880 per pallet, 3.0000 % off",
        "unit_price": "1267.4563",
    }

    invoice = invoice_for_order(order=Order.objects.get(number=order["number"]))
    document = invoice_document(invoice)
    (printed,) = document.lines
    assert printed.quantity == "2\xa0pallets (5,760\xa0pieces)"
    assert (printed.unit_price, printed.net) == ("1,267.4563", "2,534.91")
    assert (invoice.tax_total, invoice.total) == (Decimal("506.98"), Decimal("3041.89"))


def test_a_box_is_twelve_pieces_at_the_piece_price(api, pal):
    line = line_of(put(api, 1, "box").json())
    assert (line["unit_price"], line["gross"], line["base_qty"]) == ("5.4444", "5.44", 12)


def test_a_case_line_crossing_a_tier_is_priced_from_its_base_units(api, shop, pal):
    base = shop.store.base_price_list
    PriceEntryFactory(price_list=base, product=pal, min_qty=288, price=Decimal("0.40"))
    one = line_of(put(api, 1, "case").json())
    assert (one["unit_price"], one["base_qty"]) == ("65.3328", 144)  # 0.4537 × 144
    two = line_of(put(api, 2, "case").json())
    assert (two["unit_price"], two["gross"], two["base_qty"]) == ("57.60", "115.20", 288)


def test_a_price_lists_own_pallet_price_wins(api, shop, pal):
    pallet = pal.packagings.get(unit="pallet")
    PackagingPrice.objects.create(
        price_list=shop.store.base_price_list, packaging=pallet, price=Decimal("1050.00")
    )
    line = line_of(put(api, 1, "pallet").json())
    assert (line["unit_price"], line["gross"]) == ("1050.00", "1050.00")
    viewer = viewer_for(get_store(), shop.buyer)
    quote = quote_cart(viewer, [(pal, 1)], packagings={pal.pk: pallet})
    assert [(s.step, s.source) for s in quote.lines[0].steps] == [("packaging_price", "BASE")]


def test_volume_discounts_count_base_units(api, shop, pal):
    VolumeDiscountTier.objects.create(
        customer_group=shop.group, min_total_qty=1000, percent=Decimal("2")
    )
    # 8 cases are 1,152 pieces: 8 × 65.3328 = 522.6624 → 522.66, 2 % off = 10.4532 → 10.45
    line = line_of(put(api, 8, "case").json())
    assert (line["gross"], line["discount"], line["line_total"]) == ("522.66", "10.45", "512.21")
    # 7 cases are 1,008 pieces: still over the tier (7 would be under it counted in cases)
    assert line_of(put(api, 7, "case").json())["discount"] != "0.00"


def test_min_max_and_step_per_packaging(api, pal):
    pal.packagings.filter(unit="pallet").update(min_qty=2, max_qty=4, qty_step=2)
    assert [e["code"] for e in line_of(put(api, 1, "pallet").json())["errors"]] == [
        "qty_below_minimum",
        "qty_not_multiple",
    ]
    codes = [e["code"] for e in line_of(put(api, 6, "pallet").json())["errors"]]
    assert codes == ["qty_above_maximum", "insufficient_stock"]
    assert line_of(put(api, 2, "pallet").json())["errors"] == []


def test_stock_counts_base_units_and_is_never_oversold(api, shop, pal):
    pal.stock = 431
    pal.save()
    line = line_of(put(api, 3, "case").json())
    assert [e["code"] for e in line["errors"]] == ["insufficient_stock"]
    body = {"payment_method": "TRANSFER"}
    refused = api.post("/api/v1/checkout", body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="s1")
    assert refused.status_code == 422
    assert refused.json()["code"] == "insufficient_stock"
    pal.stock = 432
    pal.save()
    put(api, 3, "case")
    placed = api.post("/api/v1/checkout", body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="s2")
    assert placed.status_code == 201, placed.content
    pal.refresh_from_db()
    assert pal.stock == 0


def test_quick_order_takes_sku_quantity_and_unit(client, shop, pal):
    client.force_login(shop.buyer)
    page = client.post(
        "/quick-order/", {"lines": "PAL-1 3 case\nSCR-100 2 crate\nPAL-1 1 crate"}
    ).content.decode()
    assert "SCR-100 is not sold in crate" in page
    assert "PAL-1: the packaging crate is not offered." in page
    line = CartLine.objects.get(product=pal)
    assert (line.quantity, line.packaging.unit) == (3, "case")
    assert "(432\xa0pieces)" in client.get("/cart/").content.decode()


def test_quick_order_csv_takes_an_optional_unit_column(api, pal, shop):
    body = b"sku,qty,unit\nPAL-1,2,box\nSCR-100,5\n"
    rows = api.post("/api/v1/cart/import", body, content_type="text/csv").json()["rows"]
    assert [row["status"] for row in rows] == ["added", "added"]
    cart = api.get(CART).json()
    assert (line_of(cart)["unit"], line_of(cart)["base_qty"]) == ("box", 24)
    assert line_of(cart, "SCR-100")["unit"] == shop.products["SCR-100"].unit


def test_api_rows_name_their_unit_and_bad_units_are_line_errors(api, pal):
    body = {
        "lines": [
            {"sku": "PAL-1", "qty": 2, "unit": "cases"},
            {"sku": "PAL-1", "qty": 1, "unit": "box"},
            {"sku": "PAL-1", "qty": 1, "unit": "crate"},
            {"sku": "PAL-1", "qty": 1, "unit": "barrel"},
        ]
    }
    answer = api.post("/api/v1/cart/lines", body, content_type=JSON).json()
    assert [(row["status"], row["code"]) for row in answer["rows"]] == [
        ("added", None),
        ("error", "unit_conflict"),
        ("error", "unit_not_enabled"),
        ("error", "unknown_unit"),
    ]
    assert line_of(answer["cart"])["base_qty"] == 288


@pytest.mark.parametrize(
    ("unit", "status", "code"),
    [
        ("barrel", 422, "unknown_unit"),
        ("crate", 422, "unit_not_enabled"),
        (12, 400, "invalid_request"),
        ("x" * 21, 400, "invalid_request"),
    ],
)
def test_a_bad_unit_is_refused_and_nothing_is_written(api, pal, unit, status, code):
    response = put(api, 1, unit)
    assert response.status_code == status
    problem = response.json()
    assert problem["code"] == code
    if code != "invalid_request":
        assert problem["errors"][0]["sku"] == "PAL-1"
    assert not CartLine.objects.exists()


def test_a_line_keeps_its_unit_when_only_the_quantity_changes(api, pal):
    put(api, 2, "case")
    line = line_of(put(api, 3).json())
    assert (line["unit"], line["base_qty"]) == ("case", 432)
    line = line_of(put(api, 3, "piece").json())
    assert (line["unit"], line["base_qty"]) == ("piece", 3)


def test_a_packaging_switched_off_after_it_was_added_blocks_the_line(api, pal):
    put(api, 1, "case")
    pal.packagings.filter(unit="case").update(enabled=False)
    line = line_of(api.get(CART).json())
    assert [e["code"] for e in line["errors"]] == ["not_purchasable"]


def test_reorder_keeps_the_packaging(api, shop, pal):
    put(api, 3, "case")
    body = {"payment_method": "TRANSFER"}
    number = api.post(
        "/api/v1/checkout", body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="r1"
    ).json()["number"]
    viewer = viewer_for(get_store(), shop.buyer)
    results = order_reorder(viewer=viewer, order=Order.objects.get(number=number))
    assert [r.status for r in results] == ["added"]
    line = CartLine.objects.get(product=pal)
    assert (line.quantity, line.packaging.unit) == (3, "case")


def queries(api, method, path, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(api, method)(path, **kwargs)
    assert response.status_code in (200, 201), response.content
    return len(captured)


def test_cart_queries_do_not_grow_with_packaged_lines(api, shop):
    products = []
    for n in range(50):
        product = ProductFactory(sku=f"PK-{n:03d}", unit="piece", stock=1000)
        PriceEntryFactory(price_list=shop.store.base_price_list, product=product)
        Packaging.objects.create(product=product, unit="box", factor=10)
        products.append(product)
    viewer = viewer_for(get_store(), shop.buyer)
    cart_add_lines(viewer=viewer, rows=[(1, products[0].sku, 1, "box")])
    api.get(CART)  # the store's settings and price lists, read once and kept
    one = queries(api, "get", CART)
    cart_add_lines(viewer=viewer, rows=[(n, p.sku, 1, "box") for n, p in enumerate(products)])
    assert CartLine.objects.filter(packaging__unit="box").count() == 50
    fifty = queries(api, "get", CART)
    assert one == fifty
    rows = [{"sku": p.sku, "qty": 1, "unit": "box"} for p in products]
    assert queries(
        api, "post", "/api/v1/cart/lines", data={"lines": rows[:1]}, content_type=JSON
    ) == queries(api, "post", "/api/v1/cart/lines", data={"lines": rows}, content_type=JSON)


def test_a_checkout_request_places_packaged_lines_through_the_service(shop, pal):
    viewer = viewer_for(get_store(), shop.buyer)
    cart_add_lines(viewer=viewer, rows=[(1, "PAL-1", "1 pallet")])
    order = order_place(viewer=viewer, request=CheckoutRequest(payment_method="TRANSFER")).order
    line = order.lines.get()
    # 1,267.4563 → gross 1,267.46; 20 % VAT = 253.492 → 253.49
    assert (line.unit, line.base_quantity, line.base_unit) == ("pallet", 2880, "piece")
    assert (order.subtotal, order.tax_total, order.total) == (
        Decimal("1267.46"),
        Decimal("253.49"),
        Decimal("1520.95"),
    )


def test_a_line_never_counts_more_than_a_billion_base_units(api, pal):
    # 1,000,000,000 // 2,880 = 347,222 pallets at most
    refused = put(api, 347_223, "pallet")
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_quantity"
    assert not CartLine.objects.exists()
    assert put(api, 347_222, "pallet").status_code == 200
    rows = [{"sku": "PAL-1", "qty": 1_000_000, "unit": "pallet"}]
    api.post("/api/v1/cart/lines", {"lines": rows}, content_type=JSON)
    assert CartLine.objects.get().quantity == 347_222


def test_the_price_endpoint_explains_a_packaging(api, pal):
    answer = api.get("/api/v1/products/PAL-1/price?qty=2&unit=pallet").json()
    assert {k: answer[k] for k in ("quantity", "unit", "base_qty", "unit_price", "line_total")} == {
        "quantity": 2,
        "unit": "pallet",
        "base_qty": 5760,
        "unit_price": "1267.4563",
        "line_total": "2534.91",
    }
    assert [step["step"] for step in answer["explanation"]] == ["list_price", "packaging"]
    plain = api.get("/api/v1/products/PAL-1/price?qty=3").json()
    assert (plain["unit"], plain["base_qty"], plain["unit_price"]) == ("piece", 3, "0.4537")
    refused = api.get("/api/v1/products/PAL-1/price?qty=1&unit=crate")
    assert (refused.status_code, refused.json()["code"]) == (422, "unit_not_enabled")
    too_many = api.get("/api/v1/products/PAL-1/price?qty=400000&unit=pallet")
    assert (too_many.status_code, too_many.json()["code"]) == (422, "invalid_quantity")


def test_a_quote_asked_from_a_packaged_cart_counts_base_units(shop, pal):
    from comptoir.quotes.services import quote_request_from_cart

    viewer = viewer_for(get_store(), shop.buyer)
    cart_add_lines(viewer=viewer, rows=[(1, "PAL-1", "3 case")])
    quote = quote_request_from_cart(viewer=viewer)
    assert [(line.sku, line.quantity) for line in quote.lines.all()] == [("PAL-1", 432)]


def test_cancelling_a_packaged_order_puts_its_base_units_back(api, shop, pal):
    from comptoir.ordering.order_status import order_set_status

    put(api, 3, "case")
    body = {"payment_method": "TRANSFER"}
    number = api.post(
        "/api/v1/checkout", body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="c1"
    ).json()["number"]
    pal.refresh_from_db()
    assert pal.stock == 10_000 - 432
    order = Order.objects.get(number=number)
    order.lines.update(stock_taken=None)  # as an order loaded from a bundle has it
    order_set_status(order=order, status="cancelled")
    pal.refresh_from_db()
    assert pal.stock == 10_000


def test_the_product_api_lists_the_packagings_it_may_be_ordered_in(api, pal):
    """An ERP or a buyer's script finds the units to order by; a packaging switched off is
    not offered, and a change of packagings shows on the next request."""
    expected = [
        {"unit": "box", "factor": 12, "min_qty": None, "max_qty": None, "qty_step": None},
        {"unit": "case", "factor": 144, "min_qty": None, "max_qty": None, "qty_step": None},
        {"unit": "pallet", "factor": 2880, "min_qty": None, "max_qty": None, "qty_step": None},
    ]
    assert api.get("/api/v1/products/PAL-1").json()["packagings"] == expected
    listed = api.get("/api/v1/products?search=PAL-1").json()["items"]
    assert [item["packagings"] for item in listed] == [expected]

    case = Packaging.objects.get(product=pal, unit="case")
    case.qty_step = 2
    case.save()
    box = Packaging.objects.get(product=pal, unit="box")
    box.enabled = False
    box.save()
    assert [p["unit"] for p in api.get("/api/v1/products/PAL-1").json()["packagings"]] == [
        "case",
        "pallet",
    ]
    assert api.get("/api/v1/products/PAL-1").json()["packagings"][0]["qty_step"] == 2


def test_entered_items_carry_their_packaging_and_a_foreign_one_is_refused(shop, pal):
    viewer = viewer_for(get_store(), shop.buyer)
    case = Packaging.objects.get(product=pal, unit="case")
    other = Packaging.objects.create(
        product=ProductFactory(sku="OTHER-1", unit="piece"), unit="case", factor=10
    )

    with pytest.raises(BusinessRuleError) as refused:
        order_place(
            viewer=viewer,
            request=CheckoutRequest(payment_method="TRANSFER", items=((pal.pk, 2, other.pk),)),
        )
    assert refused.value.code == "unknown_unit"
    assert not Order.objects.exists()

    order = order_place(
        viewer=viewer,
        request=CheckoutRequest(payment_method="TRANSFER", items=((pal.pk, 2, case.pk),)),
    ).order
    line = order.lines.get()
    # 0.4537 × 144 = 65.3328 a case; 2 cases = 130.6656 → 130.67; stock 10,000 − 288
    assert (line.quantity, line.unit, line.base_quantity, line.net) == (
        2,
        "case",
        288,
        Decimal("130.67"),
    )
    pal.refresh_from_db()
    assert pal.stock == 9_712
