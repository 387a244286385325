"""Search and faceted listings on 100,000 products (issue 20): how long they take.

Not a test. It creates a fresh database (dropped and created again with psql for a
`postgres://` URL), migrates it, generates the products (categories with four typed
attributes, names and descriptions with accents, prices, stock), writes their search
text, then times in one process, each figure the median of `--runs`, the process's copies
emptied before each (core/versioned_cache.py: the first view since a change):

- `catalog.listing.product_listing` for searches (a SKU, its start, words, a typo, a word
  nothing is near: every product's text compared) and for the big category with and
  without filters: the count with the facets, and a page;
- the same through Django's test client: the storefront's pages and `GET /api/v1/products`,
  cold (copies emptied) and warm (copied), with their queries.

    .venv/bin/python bench/search.py                               # PostgreSQL, 100,000
    .venv/bin/python bench/search.py --products 20000 --database-url sqlite:////tmp/s.db
    .venv/bin/python bench/search.py --reuse                       # the data already there
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import pricing  # noqa: E402  (bench/pricing.py: VACUUM ANALYZE)
from bundle_load import Database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/comptoir_search_bench"
BIG = "VIS-BOIS"
"""The category holding a quarter of the products."""
KINDS = [
    ("Vis à bois", "VB"),
    ("Vis à tête fraisée", "VTF"),
    ("Écrou hexagonal", "ECR"),
    ("Rondelle plate", "RON"),
    ("Boulon tête hexagonale", "BLN"),
    ("Cheville nylon", "CHV"),
    ("Tire-fond", "TF"),
    ("Goujon d'ancrage", "GJ"),
]
MATERIALS = ["Acier zingué", "Inox A2", "Inox A4", "Laiton"]
THREADS = ["Partiel", "Total"]
DIAMETERS = ["3", "3.5", "4", "5", "6", "8", "10", "12"]
LENGTHS = ["16", "20", "25", "30", "40", "50", "60", "80", "100", "120"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    args = parser.parse_args(argv)

    database = Database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if not args.reuse:
        database.recreate()
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, cwd=ROOT
        )
    import django

    django.setup()
    if not args.reuse:
        generate(args.products)
    measure(args.runs)


def generate(count: int) -> None:
    from comptoir.catalog.models import (
        AttributeDefinition,
        Category,
        Product,
        ProductAttributeValue,
    )
    from comptoir.catalog.search import refresh_search_text
    from comptoir.pricing.models import PriceEntry
    from tests.factories import StoreFactory

    rng = random.Random(20)
    store = StoreFactory()
    started = time.perf_counter()
    root = Category.objects.create(code="FIXATION", name="Fixation")
    leaves = [Category.objects.create(code=BIG, name="Vis à bois", parent=root)]
    leaves += [
        Category.objects.create(code=f"CAT-{n:02d}", name=f"Catégorie {n}", parent=root)
        for n in range(30)
    ]
    definitions = [
        AttributeDefinition.objects.create(
            category=root, code="diametre", label="Diamètre", type="number", unit="mm"
        ),
        AttributeDefinition.objects.create(
            category=root, code="longueur", label="Longueur", type="number", unit="mm"
        ),
        AttributeDefinition.objects.create(
            category=root,
            code="matiere",
            label="Matière",
            type="choice",
            choices="\n".join(MATERIALS),
        ),
        AttributeDefinition.objects.create(
            category=root,
            code="filetage",
            label="Filetage",
            type="choice",
            choices="Partiel\nTotal",
        ),
    ]
    chunk = 5000
    for start in range(0, count, chunk):
        products, values = [], []
        for n in range(start, min(start + chunk, count)):
            kind, prefix = KINDS[n % len(KINDS)]
            d, length = rng.choice(DIAMETERS), rng.choice(LENGTHS)
            material, thread = rng.choice(MATERIALS), rng.choice(THREADS)
            category = leaves[0] if n % 4 == 0 else leaves[1 + n % 30]
            products.append(
                Product(
                    sku=f"{prefix}-{n:06d}",
                    name=f"{kind} {d.replace('.', ',')}×{length} {material.lower()}",
                    description=f"{kind} en {material.lower()}, filetage {thread.lower()}.",
                    category=category,
                    stock=rng.choice([0, 0, 3, 40, 250]),
                )
            )
            values.append((d, length, material, thread))
        Product.objects.bulk_create(products)
        ProductAttributeValue.objects.bulk_create(
            ProductAttributeValue(product=product, definition=definition, value=value)
            for product, row in zip(products, values, strict=True)
            for definition, value in zip(definitions, row, strict=True)
        )
        PriceEntry.objects.bulk_create(
            PriceEntry(
                price_list=store.base_price_list,
                product=product,
                min_qty=1,
                price=Decimal(rng.randrange(5, 5000)) / 100,
            )
            for product in products
        )
        refresh_search_text(p.pk for p in products)
    # As autovacuum leaves the tables soon after a load (it is off on some machines: then the
    # planner has no statistics and a facet count takes minutes).
    pricing.vacuum_analyze()
    print(f"generated {count:,} products in {time.perf_counter() - started:.1f} s")


def measure(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from comptoir.accounts.access import Viewer
    from comptoir.catalog.listing import Filters, category_scope, product_listing
    from comptoir.core import versioned_cache
    from comptoir.core.selectors import get_store

    store = get_store()
    buyer = Viewer(store=store, user=None, company=None)
    some = buyer_sku()
    searches = {
        "SKU whole": some,
        "SKU start": some[:6],
        "one word": "ecrou",
        "two words": "vis inox",
        "three words": "boulon 8 laiton",
        "typo": "rondele",
        "typo, two words": "rondele laiton",
        "nothing, not even near": "xqzwk",
    }
    big = category_scope(BIG)
    listings = {
        "big category": {},
        "+ material": {"attributes": (("matiere", ("Inox A2",)),)},
        "+ 2 attributes": {
            "attributes": (("diametre", ("6",)), ("matiere", ("Inox A2", "Inox A4")))
        },
        "+ in stock": {"in_stock": True},
    }

    def timed(build) -> tuple[float, int]:
        times, queries = [], 0
        for _ in range(runs):
            versioned_cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                build()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        return statistics.median(times), queries

    print(f"\n{'in process (selector)':<34} {'ms':>8} {'queries':>8} {'found':>8}")
    for label, text in searches.items():
        found = product_listing(buyer, search=text, sort="relevance")
        ms, queries = timed(
            lambda text=text: product_listing(buyer, search=text, sort="relevance").products(0, 24)
        )
        print(f"search {label:<27} {ms:8.1f} {queries:8d} {found.count:8,d}")
    for label, filters in listings.items():
        wanted = Filters(**filters)
        found = product_listing(buyer, scope=big, filters=wanted, sort="name")
        ms, queries = timed(
            lambda wanted=wanted: product_listing(
                buyer, scope=big, filters=wanted, sort="name"
            ).products(0, 24)
        )
        print(f"{label:<34} {ms:8.1f} {queries:8d} {found.count:8,d}")

    client = Client()
    pages = {
        "page /search/?q=vis inox": "/search/?q=vis+inox",
        "page category": f"/c/{BIG}/",
        "page category + filters": f"/c/{BIG}/?attr.matiere=Inox+A2&attr.diametre=6&in_stock=1",
        "API q=vis inox": "/api/v1/products?q=vis+inox&page_size=50",
        "API category + filters": (
            f"/api/v1/products?category={BIG}&attr.matiere=Inox+A2&in_stock=1&page_size=50"
        ),
    }
    print(f"\n{'test client':<34} {'cold ms':>8} {'queries':>8} {'warm ms':>8} {'queries':>8}")
    for label, url in pages.items():
        cold, cold_queries = timed(lambda url=url: check(client.get(url)))
        warm_times = []
        client.get(url)
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                check(client.get(url))
                warm_times.append((time.perf_counter() - started) * 1000)
        warm_queries = len(captured)
        warm = statistics.median(warm_times)
        print(f"{label:<34} {cold:8.1f} {cold_queries:8d} {warm:8.1f} {warm_queries:8d}")


def buyer_sku() -> str:
    from comptoir.catalog.models import Product

    return Product.objects.order_by("pk").values_list("sku", flat=True)[123]


def check(response):
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response


if __name__ == "__main__":
    main()
