"""Benchmark of the ERP's bulk stock update (issue 19): `PUT /api/v1/erp/stock` with 10,000
SKUs, target under 5 s on PostgreSQL.

Not a test. It creates a fresh database, migrates it (`manage.py migrate` in a subprocess),
fills a catalogue with `bulk_create` (`--products`, 100,000 by default: the SKUs sent are
spread over it) and an integration key, then times in-process with `django.test.Client`,
as a server's view would run it (JSON parsing, validation, SKU look-up, locks, writes):

- a PUT that changes all 10,000 stocks;
- the same PUT again, which changes nothing (the idempotent retry);
- a PUT with one unknown SKU, refused whole (422) after every check.

    .venv/bin/python bench/erp_stock.py \
        --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench_erp
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from bundle_load import Database, migrate  # noqa: E402  (bench/bundle_load.py: fresh databases)

DEFAULT_SQLITE = "/tmp/comptoir-bench-erp.sqlite3"
SENT = 10_000


def fill(products: int) -> str:
    """The catalogue and a key with the write_stock scope; returns the key."""
    from comptoir.catalog.models import Product
    from comptoir.integrations.keys import api_key_create

    Product.objects.bulk_create(
        (Product(sku=f"SKU-{n:06d}", name=f"Product {n}", stock=10) for n in range(products)),
        batch_size=5_000,
    )
    _key, plain = api_key_create(name="bench", scopes=["write_stock"])
    return plain


def timed_put(client, key: str, items: list[dict]) -> tuple[float, int, dict]:
    body = json.dumps({"items": items})
    start = time.perf_counter()
    response = client.put(
        "/api/v1/erp/stock", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    return time.perf_counter() - start, response.status_code, response.json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT_SQLITE}")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    database = Database(args.database_url)
    database.recreate()
    print(f"database: {database.kind}; migrate {migrate(database):.1f} s")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"
    import django

    django.setup()
    from django.test import Client

    start = time.perf_counter()
    key = fill(args.products)
    print(f"catalogue: {args.products:,} products in {time.perf_counter() - start:.1f} s")
    step = max(args.products // SENT, 1)
    skus = [f"SKU-{n:06d}" for n in range(0, step * SENT, step)][:SENT]
    client = Client()
    rows = []
    for run in range(args.runs):
        changed = [{"sku": sku, "stock": 100 + run * 7 + n % 50} for n, sku in enumerate(skus)]
        rows.append(("all changed", *timed_put(client, key, changed)))
        rows.append(("same again", *timed_put(client, key, changed)))
        refused = [*changed[:-1], {"sku": "NOPE-0", "stock": 1}]
        rows.append(("one unknown", *timed_put(client, key, refused)))
    print(f"\nPUT /api/v1/erp/stock, {len(skus):,} items ({args.runs} runs)")
    for label in ("all changed", "same again", "one unknown"):
        runs = [row for row in rows if row[0] == label]
        seconds = [row[1] for row in runs]
        status, body = runs[-1][2], runs[-1][3]
        answer = body.get("changed", body.get("code"))
        print(
            f"  {label:12} median {statistics.median(seconds):6.2f} s  "
            f"max {max(seconds):6.2f} s  -> {status} {answer}"
        )


if __name__ == "__main__":
    main()
