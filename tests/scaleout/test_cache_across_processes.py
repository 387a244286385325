"""The per-process copies of two gunicorn instances (2 workers each) follow a change made in
another process at once (issue 14, core/versioned_cache.py).

A third process changes the store's base price list through the ORM, as the back office
does; others change a price entry through the ORM and by a CSV import, seen on the API's
listing, product and price and on a visitor's category and product pages, which are copied
whole; the last reloads the bundle, as the
loader does. Every worker of both instances must
price with the new list on the next request: the copies each worker holds were filed under
a version number that the change raised in the database.

Slow (a database of its own, processes): skipped unless COMPTOIR_SCALEOUT=1.
"""

import json
import os

import pytest

from tests.scaleout.stack import PLENTY, Postgres, Stack, get_token, request, store_bundle

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(
        os.environ.get("COMPTOIR_SCALEOUT") != "1",
        reason="processes on PostgreSQL and Redis: set COMPTOIR_SCALEOUT=1",
    ),
]

POSTGRES = Postgres(os.environ.get("COMPTOIR_SCALEOUT_PG_HOST", "127.0.0.1"), 5432)
DATABASE = os.environ.get("COMPTOIR_SCALEOUT_CACHE_DATABASE", "comptoir_perf_scaleout_cache")
PORT = int(os.environ.get("COMPTOIR_SCALEOUT_CACHE_PORT", "8210"))  # and the next one
PORTS = [PORT, PORT + 1]
REQUESTS_PER_INSTANCE = 12  # enough for both workers of an instance to answer some
NEW_BASE = """
from comptoir.catalog.models import Product
from comptoir.core.models import Store
from comptoir.pricing.models import PriceEntry, PriceList

price_list = PriceList.objects.create(code="BASE-2027", currency="EUR")
PriceEntry.objects.create(
    price_list=price_list, product=Product.objects.get(sku="GLV-PLENTY"), min_qty=1, price="6.90"
)
store = Store.objects.get()
store.base_price_list = price_list
store.save()
"""
# The store's list again, its price changed through the ORM (a signal), then by a CSV import
# (plain statements and an explicit bump): the priced listing, product and price are copied
# whole (pricing/api.py) and must follow both.
NEW_ENTRY_PRICE = """
from comptoir.core.models import Store
from comptoir.pricing.models import PriceEntry, PriceList

store = Store.objects.get()
store.base_price_list = PriceList.objects.get(code="BASE")
store.save()
entry = PriceEntry.objects.get(price_list__code="BASE", product__sku="GLV-PLENTY", min_qty=1)
entry.price = "7.10"
entry.save()
"""
CSV_IMPORT = """
import io

from comptoir.pricing.models import PriceList
from comptoir.pricing.services import price_list_import_csv

price_list_import_csv(
    price_list=PriceList.objects.get(code="BASE"),
    stream=io.StringIO("sku,min_qty,price\\nGLV-PLENTY,1,6.55\\n"),
    mode="merge",
)
"""


def test_every_worker_of_two_instances_prices_with_the_change_at_once(tmp_path):
    stack = Stack(
        database=DATABASE,
        postgres=POSTGRES,
        redis_url="redis://127.0.0.1:6379/9",
        tasks_backend="database",
        workdir=tmp_path,
    )
    bundle = store_bundle(buyers=1, scarce_stock=10)
    stack.prepare(bundle)
    try:
        with stack:
            instances = stack.start_instances(2, ports=PORTS)
            token = get_token(instances[0].base, 0)

            def prices() -> list[tuple[str, str]]:
                answers = []
                for instance in instances:
                    for _ in range(REQUESTS_PER_INSTANCE):
                        answer = request(
                            instance.base,
                            "GET",
                            f"/api/v1/products/{PLENTY}/price?qty=1",
                            token=token,
                        )
                        answers.append((instance.name, answer.json()["unit_price"]))
                return answers

            assert {price for _name, price in prices()} == {"7.35"}

            stack.manage("shell", "-c", NEW_BASE)
            assert {price for _name, price in prices()} == {"6.90"}

            def api_prices() -> set[tuple[str, str, str]]:
                """What each worker answers on the listing, the product and the price."""
                seen = set()
                for instance in instances:
                    for _ in range(REQUESTS_PER_INSTANCE):
                        listing = request(
                            instance.base, "GET", "/api/v1/products?page_size=50", token=token
                        ).json()["items"]
                        (item,) = [item for item in listing if item["sku"] == PLENTY]
                        detail = request(
                            instance.base, "GET", f"/api/v1/products/{PLENTY}", token=token
                        ).json()
                        seen.add(
                            (
                                item["price"]["unit_price"],
                                detail["price"]["unit_price"],
                                request(
                                    instance.base,
                                    "GET",
                                    f"/api/v1/products/{PLENTY}/price?qty=1",
                                    token=token,
                                ).json()["unit_price"],
                            )
                        )
                return seen

            def page_prices() -> set[tuple[str, str]]:
                """What each worker shows a visitor on the category and product pages: copied
                whole, their stock read with the version once an address is known
                (catalog/stock_prefetch.py)."""
                seen = set()
                for instance in instances:
                    for _ in range(REQUESTS_PER_INSTANCE):
                        shown = []
                        for path in ("/c/supplies/", f"/p/{PLENTY}/"):
                            page = request(instance.base, "GET", path).body.decode()
                            if path.startswith("/c/"):
                                page = page.split(f'href="/p/{PLENTY}/"', 1)[1]
                            shown.append(page.split('class="price">', 1)[1].split("<", 1)[0])
                        seen.add(tuple(shown))
                return seen

            assert api_prices() == {("6.90", "6.90", "6.90")}
            before = page_prices()
            stack.manage("shell", "-c", NEW_ENTRY_PRICE)
            assert api_prices() == {("7.10", "7.10", "7.10")}
            after = page_prices()
            assert len(before) == len(after) == 1 and before != after
            assert all("7.10" in price for price in after.pop())
            stack.manage("shell", "-c", CSV_IMPORT)
            assert api_prices() == {("6.55", "6.55", "6.55")}
            after = page_prices()
            assert len(after) == 1 and all("6.55" in price for price in after.pop())

            path = tmp_path / "store-again.json"
            path.write_text(json.dumps(bundle))  # the bundle names BASE as the store's list
            stack.manage("load_store", str(path))
            assert {price for _name, price in prices()} == {"7.35"}
    finally:
        POSTGRES.drop_database(DATABASE)
