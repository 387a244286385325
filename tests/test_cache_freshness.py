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
from comptoir.catalog.models import Product
from comptoir.core import versioned_cache
from comptoir.core.models import Store
from comptoir.customers.models import Company
from comptoir.pricing.models import PriceList
from comptoir.pricing.services import price_list_import_csv
from tests.factories import (
    CompanyFactory,
    CustomerGroupFactory,
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
    with django_assert_num_queries(2):  # version, token
        assert price(client, headers) == "8.00"
    versioned_cache.bump()
    with django_assert_num_queries(9):  # and the store, lists, promotions, tiers, categories
        assert price(client, headers) == "8.00"
