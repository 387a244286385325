"""The per-process copies (core/versioned_cache.py) never serve a price older than the last
change, whichever writer made it: the back office, the bundle loader, the CSV import, a
service. Real commits (`transaction=True`): each read is a request as a server runs it.

The same across two gunicorn instances: tests/scaleout/test_cache_across_processes.py.
"""

import copy
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction

from comptoir.bundle.loader import load_store
from comptoir.catalog.models import Product, Visibility
from comptoir.core import versioned_cache
from comptoir.core.models import Store
from comptoir.customers.models import Company
from comptoir.pricing.models import PriceEntry, PriceList
from comptoir.pricing.services import price_list_import_csv
from tests.factories import (
    CompanyFactory,
    CustomerGroupFactory,
    GroupOrderRuleFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    StoreFactory,
)
from tests.scaleout.stack import PLENTY, buyer_email, store_bundle
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Fresh-Prices-2026"


def bearer(client, company) -> dict:
    from tests.factories import UserFactory

    user = UserFactory(company=company, email=f"buyer@{company.code.lower()}.example")
    user.set_password(PASSWORD)
    user.save()
    response = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def price(client, headers, sku="P1") -> str | None:
    response = client.get(f"/api/v1/products/{sku}/price?qty=1", **headers)
    return response.json()["unit_price"] if response.status_code == 200 else response.json()["code"]


@pytest.fixture
def contract_shop():
    """P1: 10.00 in BASE, 8.00 in ACME's contract list."""
    store = StoreFactory()
    acme = CompanyFactory(code="ACME")
    contract = PriceListFactory(code="ACME-CONTRACT", companies=[acme])
    product = ProductFactory(sku="P1")
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("10.00"))
    PriceEntryFactory(price_list=contract, product=product, price=Decimal("8.00"))
    return store, acme, contract


def test_a_price_list_closed_in_the_back_office_stops_pricing_at_once(
    client, admin_client, contract_shop
):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert [price(client, headers), price(client, headers)] == ["8.00", "8.00"]

    url = admin_url(PriceList, "change", contract.pk)
    data = form_data(admin_client.get(url), PriceList)
    data["valid_until"] = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    data["valid_from"] = ""
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    assert price(client, headers) == "10.00"


def test_a_list_assigned_by_a_service_prices_the_next_request(client, contract_shop):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    assert price(client, headers) == "8.00"

    better = PriceListFactory(code="ACME-2027", priority=-1)
    PriceEntryFactory(
        price_list=better,
        product=ProductFactory.build().__class__.objects.get(sku="P1"),
        price=Decimal("7.00"),
    )
    better.companies.add(acme)  # many-to-many: no post_save, an m2m_changed

    assert price(client, headers) == "7.00"


def test_a_csv_import_prices_the_next_request(client, contract_shop):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert price(client, headers) == "8.00"

    price_list_import_csv(
        price_list=contract, stream=io.StringIO("sku,min_qty,price\nP1,1,7.25\n"), mode="replace"
    )

    assert price(client, headers) == "7.25"


def test_a_segmentation_move_prices_the_next_request_at_the_new_group(client, contract_shop):
    _store, acme, contract = contract_shop
    contract.companies.clear()
    gold = CustomerGroupFactory(code="GOLD")
    gold_list = PriceListFactory(code="GOLD-LIST", customer_groups=[gold])
    PriceEntryFactory(
        price_list=gold_list, product=Product.objects.get(sku="P1"), price=Decimal("9.00")
    )
    headers = bearer(client, acme)
    assert price(client, headers) == "10.00"

    Company.objects.filter(pk=acme.pk).update(group=gold)  # as segmentation_apply moves it

    assert price(client, headers) == "9.00"


def test_a_reload_of_the_bundle_prices_the_next_request(client, tmp_path):
    bundle = store_bundle(buyers=1, scarce_stock=10)
    bundle["companies"][0]["users"][0]["password_hash"] = make_password(PASSWORD)
    path = tmp_path / "store.json"
    path.write_text(json.dumps(bundle))
    load_store(path)
    headers = _token(client)
    assert price(client, headers, PLENTY) == "7.35"

    changed = copy.deepcopy(bundle)
    changed["price_lists"].append(
        {
            "code": "BASE-2027",
            "currency": "EUR",
            "entries": [{"sku": PLENTY, "min_qty": 1, "price": "6.90"}],
        }
    )
    changed["store"]["base_price_list"] = "BASE-2027"  # the cached store row changes
    path.write_text(json.dumps(changed))
    load_store(path)

    assert Store.objects.get().base_price_list.code == "BASE-2027"
    assert price(client, headers, PLENTY) == "6.90"


def _token(client) -> dict:
    from comptoir.accounts.models import User

    user = User.objects.get(email=buyer_email(0))
    response = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_change_rolled_back_leaves_no_copy_behind(client, contract_shop):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert price(client, headers) == "8.00"

    with pytest.raises(RuntimeError), transaction.atomic():
        contract.valid_until = datetime.date(2000, 1, 1)
        contract.save()
        # read inside the transaction: its own change, not kept as a copy
        assert price(client, headers) == "10.00"
        raise RuntimeError("rolled back")

    assert price(client, headers) == "8.00"
    contract.valid_until = datetime.date(2000, 1, 1)
    contract.save()
    assert price(client, headers) == "10.00"


def test_the_copies_are_used_between_changes(client, contract_shop, django_assert_num_queries):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    price(client, headers)
    with django_assert_num_queries(1):  # the token, with the version
        assert price(client, headers) == "8.00"
    versioned_cache.bump()
    # and the store, product, lists, entries, promotions, tiers, categories
    with django_assert_num_queries(8):
        assert price(client, headers) == "8.00"


# The API's listing, product and price are copied whole per version and caller's catalogue
# (pricing/api.py): every path that writes prices, products, visibility or order rules must
# make the next request see the change; stock is never copied.


def catalogue(client, headers) -> tuple[int, dict[str, str | None]]:
    """The listing's count and each item's unit price, then the same from the other two
    endpoints, which must agree with it."""
    body = client.get("/api/v1/products?page_size=50", **headers).json()
    prices = {
        item["sku"]: item["price"]["unit_price"] if item["price"] else None
        for item in body["items"]
    }
    for sku, unit_price in prices.items():
        detail = client.get(f"/api/v1/products/{sku}", **headers).json()
        assert (detail["price"]["unit_price"] if detail["price"] else None) == unit_price
    return body["count"], prices


def test_an_entry_changed_in_the_back_office_reprices_the_listing_product_and_price(
    client, admin_client, contract_shop
):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert catalogue(client, headers) == (1, {"P1": "8.00"})

    entry = contract.entries.get()
    url = admin_url(PriceEntry, "change", entry.pk)
    data = form_data(admin_client.get(url), PriceEntry)
    data["price"] = "7.40"
    assert admin_client.post(url, data).status_code == 302

    assert catalogue(client, headers) == (1, {"P1": "7.40"})
    assert price(client, headers) == "7.40"


def test_an_entry_deleted_in_the_back_office_reprices_at_once(client, admin_client, contract_shop):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert (catalogue(client, headers), price(client, headers)) == ((1, {"P1": "8.00"}), "8.00")

    entry = contract.entries.get()
    response = admin_client.post(admin_url(PriceEntry, "delete", entry.pk), {"post": "yes"})
    assert response.status_code == 302

    assert (catalogue(client, headers), price(client, headers)) == ((1, {"P1": "10.00"}), "10.00")


def test_entries_deleted_by_the_back_office_action_reprice_at_once(
    client, admin_client, contract_shop
):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    assert price(client, headers) == "8.00"

    response = admin_client.post(
        admin_url(PriceEntry, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(PriceEntry.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not PriceEntry.objects.exists()

    assert catalogue(client, headers) == (1, {"P1": None})
    assert price(client, headers) == "not_purchasable"


def test_an_entry_deleted_from_its_price_list_page_reprices_at_once(
    client, admin_client, contract_shop
):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert price(client, headers) == "8.00"

    url = admin_url(PriceList, "change", contract.pk)
    data = form_data(admin_client.get(url), PriceList)
    (delete_field,) = [name for name in data if name.endswith("-0-id")]
    data[delete_field.replace("-id", "-DELETE")] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert not contract.entries.exists()

    assert (catalogue(client, headers), price(client, headers)) == ((1, {"P1": "10.00"}), "10.00")


def test_an_entry_written_by_a_service_and_a_csv_import_reprice_the_listing(client, contract_shop):
    _store, acme, contract = contract_shop
    headers = bearer(client, acme)
    assert catalogue(client, headers) == (1, {"P1": "8.00"})

    entry = PriceEntry.objects.filter(price_list=contract).get()
    entry.price = Decimal("7.90")
    entry.save()  # post_save
    assert catalogue(client, headers) == (1, {"P1": "7.90"})
    PriceEntryFactory(
        price_list=contract,
        product=Product.objects.get(sku="P1"),
        min_qty=5,
        price=Decimal("7.50"),
    )
    tiers = client.get("/api/v1/products/P1", **headers).json()["price"]["tiers"]
    assert tiers == [{"min_qty": 1, "unit_price": "7.90"}, {"min_qty": 5, "unit_price": "7.50"}]

    price_list_import_csv(
        price_list=contract, stream=io.StringIO("sku,min_qty,price\nP1,1,6.95\n"), mode="merge"
    )
    assert catalogue(client, headers) == (1, {"P1": "6.95"})
    price_list_import_csv(
        price_list=contract,
        stream=io.StringIO("sku,min_qty,price\nP1,1,6.80\nP1,10,6.10\n"),
        mode="replace",
    )
    assert catalogue(client, headers) == (1, {"P1": "6.80"})
    tiers = client.get("/api/v1/products/P1", **headers).json()["price"]["tiers"]
    assert tiers == [{"min_qty": 1, "unit_price": "6.80"}, {"min_qty": 10, "unit_price": "6.10"}]
    assert client.get("/api/v1/products/P1/price?qty=10", **headers).json()["unit_price"] == (
        "6.10"
    )


def test_the_listing_count_follows_every_catalogue_write(client, admin_client, contract_shop):
    store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    assert catalogue(client, headers) == (1, {"P1": "8.00"})

    p2 = ProductFactory(sku="P2")  # created (post_save)
    PriceEntryFactory(price_list=store.base_price_list, product=p2, price=Decimal("3.00"))
    assert catalogue(client, headers) == (2, {"P1": "8.00", "P2": "3.00"})

    response = admin_client.post(  # the back office's action: a queryset update and a bump
        admin_url(Product, "changelist"),
        {"action": "deactivate", "_selected_action": [p2.pk]},
    )
    assert response.status_code == 302
    assert catalogue(client, headers) == (1, {"P1": "8.00"})

    p2.active = True
    p2.visibility = Visibility.COMPANIES
    p2.save()
    assert catalogue(client, headers) == (1, {"P1": "8.00"})  # visible to listed companies
    p2.visible_companies.add(acme)  # many-to-many: m2m_changed
    assert catalogue(client, headers) == (2, {"P1": "8.00", "P2": "3.00"})
    assert client.get("/api/v1/products/P2/price?qty=1", **headers).json()["unit_price"] == ("3.00")

    p2.delete()
    assert catalogue(client, headers) == (1, {"P1": "8.00"})
    assert client.get("/api/v1/products/P2", **headers).status_code == 404


def test_a_group_order_rule_changes_the_listing_rules_at_once(client, contract_shop):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    rules = client.get("/api/v1/products", **headers).json()["items"][0]["rules"]
    assert rules == {"min_qty": 1, "max_qty": None, "qty_step": 1}

    rule = GroupOrderRuleFactory(
        customer_group=acme.group, product=Product.objects.get(sku="P1"), min_qty=6, qty_step=6
    )
    for path in ("/api/v1/products", "/api/v1/products/P1"):
        body = client.get(path, **headers).json()
        item = body["items"][0] if "items" in body else body
        assert item["rules"] == {"min_qty": 6, "max_qty": None, "qty_step": 6}

    rule.delete()
    assert client.get("/api/v1/products/P1", **headers).json()["rules"]["min_qty"] == 1


def test_stock_is_read_live_under_the_copies(client, contract_shop):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    Product.objects.filter(sku="P1").update(stock=500, backorder=False)
    client.get("/api/v1/products", **headers)
    version = versioned_cache.current_version()

    # orders move stock with a queryset update and no bump (ordering/placement.py)
    Product.objects.filter(sku="P1").update(stock=3)
    listing = client.get("/api/v1/products", **headers).json()["items"][0]
    detail = client.get("/api/v1/products/P1", **headers).json()
    assert listing["availability"] == detail["availability"] == {"status": "low_stock", "left": 3}
    Product.objects.filter(sku="P1").update(stock=0)
    assert client.get("/api/v1/products/P1", **headers).json()["availability"] == {
        "status": "out_of_stock",
        "left": None,
    }
    assert versioned_cache.current_version() == version


def test_the_storefront_pages_follow_prices_and_the_catalogue_and_read_stock_live(
    client, contract_shop
):
    """The category and product pages are copied like the API (storefront/views/catalog.py)."""
    from tests.factories import CategoryFactory, UserFactory

    _store, acme, contract = contract_shop
    category = CategoryFactory(code="GLOVES", name="Gloves")
    Product.objects.filter(sku="P1").update(category=category, stock=500, backorder=False)
    versioned_cache.bump()  # a queryset update: the writer bumps
    client.force_login(UserFactory(company=acme, email="buyer@acme.example"))

    def pages() -> list[str]:
        return [client.get(path).content.decode() for path in ("/c/GLOVES/", "/p/P1/")]

    assert all("8.00" in page and "In stock" in page for page in pages())
    assert "1 product<" in pages()[0]

    entry = contract.entries.get()
    entry.price = Decimal("7.40")
    entry.save()
    assert all("7.40" in page and "8.00" not in page for page in pages())

    Product.objects.filter(sku="P1").update(stock=3)  # as an order does: no bump
    assert all("Only 3 left" in page for page in pages())

    ProductFactory(sku="P2", category=category)
    assert "2 products<" in pages()[0]
    Product.objects.filter(sku="P1").update(active=False)
    versioned_cache.bump()
    listing = client.get("/c/GLOVES/").content.decode()
    assert "1 product<" in listing and 'href="/p/P2/"' in listing
    assert 'href="/p/P1/"' not in listing
    assert client.get("/p/P1/").status_code == 404


def _erp_put(client, path, body):
    from comptoir.integrations.keys import api_key_create

    _key, plain = api_key_create(name="ERP", scopes=["write_stock", "write_prices"])
    response = client.put(
        path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {plain}"
    )
    assert response.status_code == 200, response.content
    return response


def test_an_erp_stock_update_shows_on_the_next_page_and_empties_no_copy(client, contract_shop):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    Product.objects.filter(sku="P1").update(stock=500, backorder=False)
    client.get("/api/v1/products", **headers)
    version = versioned_cache.current_version()

    _erp_put(client, "/api/v1/erp/stock", {"items": [{"sku": "p1", "stock": 2}]})
    listing = client.get("/api/v1/products", **headers).json()["items"][0]
    detail = client.get("/api/v1/products/P1", **headers).json()
    assert listing["availability"] == detail["availability"] == {"status": "low_stock", "left": 2}
    assert versioned_cache.current_version() == version  # stock is read live under the copies


def test_erp_price_entries_price_the_next_request(client, contract_shop):
    _store, acme, _contract = contract_shop
    headers = bearer(client, acme)
    assert price(client, headers) == "8.00"
    body = {"entries": [{"sku": "P1", "min_qty": 1, "price": "7.25"}]}
    _erp_put(client, "/api/v1/erp/price-lists/ACME-CONTRACT/entries", body)
    assert price(client, headers) == "7.25"
    listing = client.get("/api/v1/products", **headers).json()["items"][0]
    assert listing["price"]["unit_price"] == "7.25"
