"""A list line keeps the packaging it was typed in ("3 case"): shown as 3 cases (432 pieces)
on the page and the API, priced per case, and put back in the cart in cases.

PAL-1 costs 0.4537 a piece; a box holds 12 and a case 144."""

from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.catalog.models import Packaging, TaxClass
from comptoir.core.selectors import get_store
from comptoir.lists.models import ListLine
from comptoir.lists.services import (
    list_add_lines,
    list_copy_lines,
    list_create,
    list_from_cart,
    list_set_line,
    list_to_cart,
)
from comptoir.ordering.models import CartLine
from comptoir.ordering.services import cart_add_lines
from tests.factories import PriceEntryFactory, ProductFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def plugs(shop):
    product = ProductFactory(
        sku="PAL-1", name="Wall plugs", unit="piece", stock=10_000, tax_class=TaxClass.STANDARD
    )
    PriceEntryFactory(
        price_list=shop.store.base_price_list, product=product, price=Decimal("0.4537")
    )
    Packaging.objects.create(product=product, unit="box", factor=12)
    case = Packaging.objects.create(product=product, unit="case", factor=144)
    return product, case


def viewer(shop):
    return viewer_for(get_store(), shop.buyer)


def line_of(requisition_list):
    line = ListLine.objects.select_related("packaging").get(requisition_list=requisition_list)
    return line.quantity, line.packaging.unit if line.packaging else None


def test_a_line_typed_in_cases_stays_in_cases_and_goes_to_the_cart_in_cases(shop, plugs):
    restock = list_create(viewer=viewer(shop), name="Plugs")
    results = list_add_lines(
        viewer=viewer(shop), requisition_list=restock, rows=[(1, "PAL-1", "2 case")]
    )
    assert [(r.status, r.quantity) for r in results] == [("added", 2)]
    list_add_lines(viewer=viewer(shop), requisition_list=restock, rows=[(1, "PAL-1", "1 case")])
    assert line_of(restock) == (3, "case")

    list_to_cart(viewer=viewer(shop), requisition_list=restock)

    cart_line = CartLine.objects.select_related("packaging").get()
    assert (cart_line.quantity, cart_line.packaging.unit) == (3, "case")


def test_two_units_of_one_product_add_up_in_the_product_s_unit(shop, plugs):
    restock = list_create(viewer=viewer(shop), name="Plugs")
    list_add_lines(viewer=viewer(shop), requisition_list=restock, rows=[(1, "PAL-1", "3 case")])
    results = list_add_lines(
        viewer=viewer(shop),
        requisition_list=restock,
        rows=[(1, "PAL-1", "2 box"), (2, "PAL-1", "1 vat")],
    )
    assert [(r.status, r.quantity, r.code) for r in results] == [
        ("added", 2, None),
        ("error", None, "unknown_unit"),
    ]
    # 3 × 144 + 2 × 12 = 456 pieces
    assert line_of(restock) == (456, None)


def test_a_list_saved_from_the_cart_and_copied_keeps_the_packaging(shop, plugs):
    cart_add_lines(viewer=viewer(shop), rows=[(1, "PAL-1", "3 case")])
    saved = list_from_cart(viewer=viewer(shop), name="Plugs")
    assert line_of(saved) == (3, "case")
    other = list_create(viewer=viewer(shop), name="Copy")
    list_copy_lines(viewer=viewer(shop), source=saved, target=other, skus=["PAL-1"])
    assert line_of(other) == (3, "case")
    list_set_line(viewer=viewer(shop), requisition_list=other, sku="PAL-1", quantity="5")
    assert line_of(other) == (5, "case")


def test_the_page_and_the_api_show_the_packaging_and_its_base_units(client, shop, plugs):
    client.force_login(shop.buyer)
    created = client.post(
        "/api/v1/lists",
        {"name": "Plugs", "lines": [{"sku": "PAL-1", "qty": 3, "unit": "case"}]},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    (line,) = created.json()["list"]["lines"]
    # 0.4537 × 144 = 65.3328 a case; 3 cases = 195.9984 → 196.00
    assert (line["qty"], line["unit"], line["base_qty"]) == (3, "case", 432)
    assert (line["unit_price"], line["line_total"]) == ("65.3328", "196.00")

    page = client.get(f"/lists/{created.json()['list']['id']}/").content.decode()
    assert "cases (432\u00a0pieces)" in page


def test_an_unknown_unit_over_the_api_is_a_row_error(client, shop, plugs):
    client.force_login(shop.buyer)
    created = client.post(
        "/api/v1/lists",
        {"name": "Plugs", "lines": [{"sku": "PAL-1", "qty": 3, "unit": "vat"}]},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    assert [(r["status"], r["code"]) for r in created.json()["rows"]] == [("error", "unknown_unit")]
    assert not ListLine.objects.exists()
