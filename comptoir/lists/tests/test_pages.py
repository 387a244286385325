"""Requisition lists in the storefront: what a buyer sees and does, and queries that do not
grow with the number of lists or lines."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.models import Product
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.ordering.models import CartLine
from comptoir.pricing.models import PriceEntry
from tests.factories import CompanyFactory, UserFactory, create_order


def logged_in(client, user):
    client.force_login(user)
    return client


def test_create_a_list_fill_it_by_text_and_file_and_read_it_priced(client, shop):
    logged_in(client, shop.buyer)
    created = client.post("/lists/", {"name": "Weekly restock", "sharing": "company"})
    restock = RequisitionList.objects.get()
    assert created["Location"] == f"/lists/{restock.pk}/"

    client.post(f"/lists/{restock.pk}/lines/", {"lines": "SCR-100 120\nNOPE 1"})
    client.post(
        f"/lists/{restock.pk}/lines/",
        {"file": SimpleUploadedFile("l.csv", b"sku;qty\nMNL-1;9\n", "text/csv")},
    )
    page = client.get(f"/lists/{restock.pk}/").content.decode()

    assert "Unknown SKU NOPE." in page
    assert "Shared with the whole company" in page
    assert "Wood screws 4x40" in page and "€420.00" in page
    assert "Only 5 of MNL-1 in stock: 9 requested." in page
    assert "Only 5 left" in page


def test_bad_names_are_told_and_write_nothing(client, shop):
    logged_in(client, shop.buyer)
    page = client.post("/lists/", {"name": " ", "sharing": "private"}, follow=True)
    assert "Give the list a name." in page.content.decode()
    assert not RequisitionList.objects.exists()


def test_the_ticked_lines_go_to_the_cart_which_then_says_what_is_wrong(client, shop):
    logged_in(client, shop.buyer)
    client.post("/lists/", {"name": "Weekly restock"})
    restock = RequisitionList.objects.get()
    client.post(f"/lists/{restock.pk}/lines/", {"lines": "SCR-100 120\nMNL-1 9"})

    answer = client.post(
        f"/lists/{restock.pk}/selected/", {"action": "to_cart", "sku": ["MNL-1"]}, follow=True
    )

    page = answer.content.decode()
    assert answer.redirect_chain[-1][0] == "/cart/"
    assert "1 line added to the cart." in page
    assert "Only 5 of MNL-1 in stock: 9 requested." in page
    assert list(CartLine.objects.values_list("product__sku", "quantity")) == [("MNL-1", 9)]


def test_a_product_that_became_invisible_shows_as_unavailable_without_its_name(client, shop):
    logged_in(client, shop.buyer)
    client.post("/lists/", {"name": "Weekly restock"})
    restock = RequisitionList.objects.get()
    client.post(f"/lists/{restock.pk}/lines/", {"lines": "GLV-12 24"})
    Product.objects.filter(sku="GLV-12").update(active=False)

    page = client.get(f"/lists/{restock.pk}/").content.decode()

    assert "GLV-12" in page
    assert "Nitrile gloves" not in page
    assert "Unavailable" in page
    assert "GLV-12 is no longer available: remove it from the cart." in page


def test_save_the_cart_as_a_list_and_order_it_again_next_week(client, shop):
    logged_in(client, shop.buyer)
    client.post("/cart/lines/SCR-100/", {"qty": "120"})
    client.post("/cart/lines/MNL-1/", {"qty": "2"})
    assert "Save the cart as a list named" in client.get("/cart/").content.decode()

    saved = client.post("/lists/from-cart/", {"name": "Monday"})
    monday = RequisitionList.objects.get(name="Monday")
    assert saved["Location"] == f"/lists/{monday.pk}/"
    client.post("/cart/clear/")

    client.post(f"/lists/{monday.pk}/selected/", {"action": "to_cart"})

    assert dict(CartLine.objects.values_list("product__sku", "quantity")) == {
        "SCR-100": 120,
        "MNL-1": 2,
    }


def test_add_from_the_product_page_and_from_an_order(client, shop):
    logged_in(client, shop.buyer)
    page = client.get("/p/SCR-100/").content.decode()
    assert "Add to a list" in page

    client.post("/lists/collect/", {"sku": "SCR-100", "qty": "24", "name": "Site B"})
    site_b = RequisitionList.objects.get(name="Site B")
    order = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["MNL-1"], 3, Decimal("12.00"))],
    )
    assert "Keep these lines in a list" in client.get(f"/orders/{order.number}/").content.decode()
    client.post("/lists/collect/", {"order": order.number, "list": str(site_b.pk)})

    assert dict(ListLine.objects.values_list("product__sku", "quantity")) == {
        "SCR-100": 24,
        "MNL-1": 3,
    }
    other = create_order(
        company=CompanyFactory(group=shop.group),
        buyer=UserFactory(email="x@other.example"),
        items=[(shop.products["MNL-1"], 1, Decimal("12.00"))],
    )
    answer = client.post("/lists/collect/", {"order": other.number, "name": "Theirs"})
    assert answer.status_code == 404
    assert not RequisitionList.objects.filter(name="Theirs").exists()


def test_the_product_page_offers_the_smallest_orderable_quantity_for_the_list(client, shop):
    logged_in(client, shop.buyer)

    gloves = client.get("/p/GLV-12/").content.decode()
    screws = client.get("/p/SCR-100/").content.decode()

    assert list_quantity(gloves, "GLV-12") == "12"
    assert list_quantity(screws, "SCR-100") == "1"


def list_quantity(page: str, sku: str) -> str:
    return re.search(rf'id="list-qty-{sku}"[^>]*value="([^"]*)"', page).group(1)


def test_a_back_link_elsewhere_is_ignored(client, shop):
    logged_in(client, shop.buyer)
    answer = client.post("/lists/collect/", {"sku": "SCR-100", "next": "https://evil.example/"})
    assert answer["Location"] == "/lists/"


def test_the_lists_page_and_a_list_read_as_many_queries_for_50_as_for_1(client, shop):
    logged_in(client, shop.buyer)
    base = shop.store.base_price_list
    counts = {}
    for size in (1, 50):
        RequisitionList.objects.all().delete()
        for n in range(size):
            RequisitionList.objects.create(
                company=shop.company, owner=shop.buyer, name=f"List {n}", sharing="company"
            )
        first = RequisitionList.objects.order_by("id").first()
        for n in range(size):
            product, _created = Product.objects.get_or_create(
                sku=f"BULK-{n:03d}", defaults={"name": f"Bulk {n}", "stock": 100}
            )
            PriceEntry.objects.get_or_create(
                price_list=base, product=product, defaults={"price": Decimal("2.00")}
            )
            ListLine.objects.create(requisition_list=first, product=product, quantity=1)
        with CaptureQueriesContext(connection) as index:
            assert client.get("/lists/").status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert client.get(f"/lists/{first.pk}/").status_code == 200
        counts[size] = (len(index), len(detail))
    assert counts[1] == counts[50], counts


def test_the_lists_page_in_french(client, shop):
    logged_in(client, shop.buyer)
    client.post("/lists/", {"name": "Réassort"})
    page = client.get("/fr/lists/").content.decode()
    assert "<h1>Listes d’achat</h1>" in page
    assert "Réassort" in page and "privée" in page.lower()
