"""Benchmark of customer segmentation (issue 8): company profiles and a rules run at scale.

Not a test. It creates a fresh database, migrates it (`manage.py migrate` in a subprocess)
and fills it: 10,000 companies in 5 groups and 500,000 order lines in 100,000 orders placed
over the last 540 days (a third of them before the 12 months), 4 % cancelled, in 100
categories under 10 top ones. Companies and groups go through `bulk_create`; orders and
lines are inserted with `COPY` on PostgreSQL and `executemany` on SQLite.

Then a separate process (so that its peak memory is its own, not the generator's) measures,
each run timed and the median kept:

- `company_profiles`: every profile computed and read (one query, streamed);
- `segmentation_preview`: the profiles plus the rules (5 rules, 4 active);
- `segmentation_apply` with moves: the groups of the generation are put back before each
  run (untimed), so every run moves the same companies and writes their audit trail;
- `segmentation_apply` again, when nothing moves.

It prints the peak RSS (`resource.getrusage`) after Django's set-up and after each phase:
memory must stay flat, whatever the number of orders. Target: profiles and apply under
30 s on PostgreSQL. See bench/README.md.

    .venv/bin/python bench/segmentation.py
    .venv/bin/python bench/segmentation.py --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench_segmentation
    .venv/bin/python bench/segmentation.py --companies 1000 --lines 50000   # quick
"""

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from array import array
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from bundle_load import Database, migrate  # noqa: E402  (bench/bundle_load.py: fresh databases)

MANAGE = ROOT / "manage.py"
DEFAULT_SQLITE = "/tmp/comptoir-bench-segmentation.sqlite3"
PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")
GROUPS = ("RETAIL", "PRO", "WHOLESALE", "KEY", "NONPROFIT")
COUNTRIES = ("FR",) * 6 + ("BE", "BE", "DE", "US")
HISTORY_DAYS = 540
ORDER_CHUNK = 5_000


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"
    import django

    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- generation


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Inserter:
    """Rows straight into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, model):
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.column for field in self.fields]
        # Columns the generator does not name (added since) take their model default.
        self.defaults = {field.column: _plain(field.get_default()) for field in self.fields}

    def row(self, values: dict) -> tuple:
        return tuple(values.get(column, self.defaults[column]) for column in self.columns)

    def write(self, rows: list[tuple]) -> None:
        quoted = ", ".join(f'"{column}"' for column in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                sql = f'COPY "{self.table}" ({quoted}) FROM STDIN'
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                ops = self.connection.ops
                prepared = [
                    tuple(
                        ops.adapt_datetimefield_value(value)
                        if isinstance(value, datetime.datetime)
                        else str(value)
                        if isinstance(value, Decimal)
                        else value
                        for value in row
                    )
                    for row in rows
                ]
                marks = ", ".join("?" for _ in self.columns)
                cursor.cursor.executemany(
                    f'INSERT INTO "{self.table}" ({quoted}) VALUES ({marks})', prepared
                )


def _plain(value):
    return json.dumps(value) if isinstance(value, dict | list) else value


def populate(args, rng: random.Random) -> dict:
    """The store, groups, categories, products, companies, orders and lines; one
    transaction. Returns counts."""
    from django.db import connection, transaction

    from comptoir.catalog.models import Category, Product
    from comptoir.core.models import Store
    from comptoir.core.selectors import store_today
    from comptoir.customers.models import (
        Company,
        CompanyStatus,
        CustomerGroup,
        SegmentationCondition,
        SegmentationRule,
    )
    from comptoir.ordering.models import Order, OrderLine, OrderStatus

    counts = {}
    with transaction.atomic():
        groups = {
            code: CustomerGroup.objects.create(code=code, name=code.title()) for code in GROUPS
        }
        store = Store.objects.create(
            id=1,
            name="Bench store",
            currency="EUR",
            country="FR",
            default_group=groups["RETAIL"],
            time_zone="Europe/Paris",
        )
        today = store_today(store)
        tops = Category.objects.bulk_create(
            Category(code=f"cat-{n:02d}", name=f"Category {n}", position=n) for n in range(10)
        )
        leaves = Category.objects.bulk_create(
            Category(code=f"cat-{n:02d}", name=f"Category {n}", parent=tops[n % 10], position=n)
            for n in range(10, 100)
        )
        products = Product.objects.bulk_create(
            Product(
                sku=f"SKU-{n:05d}",
                name=f"Product {n}",
                category=leaves[n % len(leaves)],
                stock=1000,
            )
            for n in range(args.products)
        )
        product_rows = [
            (p.pk, p.sku, p.name, leaves[n % len(leaves)].code, Decimal(100 + (n * 7919) % 5900))
            for n, p in enumerate(products)
        ]
        group_list = list(groups.values())
        companies = Company.objects.bulk_create(
            (
                Company(
                    code=f"CO{n:05d}",
                    name=f"Company {n}",
                    group=group_list[n % len(group_list)],
                    pinned_group=n % 50 == 0,
                    status=CompanyStatus.APPROVED if n % 20 else CompanyStatus.SUSPENDED,
                    country=(country := COUNTRIES[n % len(COUNTRIES)]),
                    region=("NY", "CA")[n % 2] if country == "US" else "",
                )
                for n in range(args.companies)
            ),
            batch_size=2000,
        )
        counts["companies"] = len(companies)
        counts["groups"] = len(groups)

        rules = [
            (10, "WHOLESALE", True, [("order_volume_12m", ">=", "50000")]),
            (
                20,
                "KEY",
                True,
                [("order_count_12m", ">=", "24"), ("avg_days_between_orders", "<=", "15")],
            ),
            (
                30,
                "NONPROFIT",
                True,
                [
                    ("country", "in", "FR,BE"),
                    ("categories_bought", "in", "cat-00,cat-01"),
                    ("order_volume_12m", "<", "2000"),
                ],
            ),
            (40, "PRO", True, [("order_count_12m", ">=", "6")]),
            (50, "RETAIL", False, [("days_since_last_order", ">", "180")]),
        ]
        for position, group, active, conditions in rules:
            rule = SegmentationRule.objects.create(
                position=position, group=groups[group], active=active
            )
            SegmentationCondition.objects.bulk_create(
                SegmentationCondition(rule=rule, field=f, op=o, value=v) for f, o, v in conditions
            )

        # Orders per company: a long tail (a few big buyers, many small ones).
        orders_total = args.lines // args.lines_per_order
        weights = [rng.paretovariate(1.2) for _ in companies]
        scale = orders_total / sum(weights)
        per_company = [int(w * scale) for w in weights]
        short = orders_total - sum(per_company)
        for i in rng.sample(range(len(companies)), k=min(short, len(companies))):
            per_company[i] += 1
        # Lines per order: 1 each, the rest spread at random (5 on average, exactly `lines`).
        lines_per_order = array("H", [1]) * orders_total
        for _ in range(args.lines - orders_total):
            lines_per_order[rng.randrange(orders_total)] += 1
        order_inserter, line_inserter = Inserter(Order), Inserter(OrderLine)
        end = datetime.datetime.combine(today, datetime.time(18, 0), tzinfo=PARIS)
        address = json.dumps({"line1": "1 rue du Banc", "city": "Lyon", "country": "FR"})
        order_id = line_id = 0
        orders, lines = [], []

        def flush():
            order_inserter.write(orders)
            line_inserter.write(lines)
            orders.clear()
            lines.clear()

        for company, count in zip(companies, per_company, strict=True):
            for _ in range(count):
                order_id += 1
                placed_at = end - datetime.timedelta(seconds=rng.randrange(HISTORY_DAYS * 86400))
                n_lines = lines_per_order[order_id - 1]
                subtotal = discount = Decimal("0.00")
                for position in range(n_lines):
                    line_id += 1
                    product_id, sku, name, category, cents = rng.choice(product_rows)
                    quantity = rng.randint(1, 24)
                    unit_price = cents / 100
                    gross = round2(unit_price * quantity)
                    volume = round2(gross * Decimal("0.03")) if quantity >= 12 else Decimal("0")
                    subtotal += gross
                    discount += volume
                    values = {
                        "id": line_id,
                        "order_id": order_id,
                        "position": position,
                        "product_id": product_id,
                        "sku": sku,
                        "name": name,
                        "category_code": category,
                        "quantity": quantity,
                        "unit_price": unit_price,
                        "gross": gross,
                        "promotion_percent": None,
                        "promotion_amount": Decimal("0.00"),
                        "volume_percent": Decimal("3") if volume else None,
                        "volume_amount": volume,
                        "net": gross - volume,
                        "tax_class": "standard",
                        "tax_rate": Decimal("20"),
                        "explanation": "[]",
                    }
                    lines.append(line_inserter.row(values))
                shipping = Decimal("15.00")
                tax = round2((subtotal - discount + shipping) * Decimal("0.2"))
                values = {
                    "id": order_id,
                    "number": f"B{order_id:08d}",
                    "company_id": company.pk,
                    "buyer_id": None,
                    "status": OrderStatus.CANCELLED if rng.random() < 0.04 else "delivered",
                    "payment_status": "paid",
                    "placed_at": placed_at,
                    "currency": "EUR",
                    "customer_group_code": "",
                    "po_number": "",
                    "comment": "",
                    "payment_method_code": "TRANSFER",
                    "payment_method_name": "Bank transfer",
                    "payment_instructions": "",
                    "shipping_method_code": "STD",
                    "shipping_method_name": "Standard",
                    "shipping_address": address,
                    "billing_address": address,
                    "subtotal": subtotal,
                    "discount_total": discount,
                    "shipping_total": shipping,
                    "tax_total": tax,
                    "total": subtotal - discount + shipping + tax,
                    "tax_mention": "",
                }
                orders.append(order_inserter.row(values))
                if len(orders) >= ORDER_CHUNK:
                    flush()
        flush()
        counts["orders"], counts["lines"] = order_id, line_id
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Order, OrderLine):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT MAX(id) FROM "{table}"))'
                    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


# --------------------------------------------------------------------------- measurement


def measure(runs: int) -> dict:
    """In its own process: times and peak memory of profiles, preview and apply."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comptoir.core.selectors import get_store, store_today
    from comptoir.customers.models import Company, GroupMove
    from comptoir.customers.profiles import company_profiles
    from comptoir.customers.segmentation_services import segmentation_apply, segmentation_preview

    store = get_store()
    today = store_today(store)
    rss_start = peak_rss_mb()
    initial = {}
    for pk, group_id in Company.objects.values_list("pk", "group_id").iterator(chunk_size=5000):
        initial.setdefault(group_id, []).append(pk)
    result = {"rss_start_mb": rss_start, "today": today.isoformat()}

    def timed(function):
        times, value = [], None
        for _ in range(runs):
            start = time.perf_counter()
            value = function()
            times.append(time.perf_counter() - start)
        return statistics.median(times), min(times), max(times), value

    def read_profiles():
        count = 0
        for _ in company_profiles(today=today, time_zone=store.time_zone):
            count += 1
        return count

    with CaptureQueriesContext(connection) as queries:
        read_profiles()
    result["profile_queries"] = len(queries)
    median, best, worst, count = timed(read_profiles)
    result["profiles"] = {"median": median, "min": best, "max": worst, "companies": count}
    result["rss_profiles_mb"] = peak_rss_mb()

    median, best, worst, plan = timed(lambda: segmentation_preview(today=today))
    result["preview"] = {
        "median": median,
        "min": best,
        "max": worst,
        "moves": len(plan.moves),
        "approved": plan.companies,
        "pinned_held": plan.pinned_held,
        "by_rule": [
            [outcome.rule.describe() if outcome.rule else "default", outcome.moves]
            for outcome in plan.outcomes(listed=0)
        ],
    }
    result["rss_preview_mb"] = peak_rss_mb()

    def reset():
        GroupMove.objects.all().delete()
        for group_id, pks in initial.items():
            for start in range(0, len(pks), 900):
                Company.objects.filter(pk__in=pks[start : start + 900]).update(group_id=group_id)

    times, moved = [], 0
    for _ in range(runs):
        reset()
        start = time.perf_counter()
        moved = segmentation_apply(today=today).moved
        times.append(time.perf_counter() - start)
    result["apply"] = {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "moved": moved,
        "trail_rows": GroupMove.objects.count(),
    }
    result["rss_apply_mb"] = peak_rss_mb()
    median, best, worst, again = timed(lambda: segmentation_apply(today=today))
    result["apply_again"] = {"median": median, "min": best, "max": worst, "moved": again.moved}
    result["rss_end_mb"] = peak_rss_mb()
    return result


def report(database: Database, notes: dict, result: dict, runs: int) -> None:
    print()
    print(f"segmentation bench — {database.kind}, {notes.get('generated', 'reused database')}")
    print(f"  store today {result['today']}; median of {runs} runs (min–max)")

    def row(label, key, extra=""):
        item = result[key]
        print(
            f"  {label:<34} {item['median']:8.2f} s  ({item['min']:.2f}–{item['max']:.2f}){extra}"
        )

    row(
        "company_profiles",
        "profiles",
        f"  {result['profiles']['companies']:,} profiles, {result['profile_queries']} queries",
    )
    row(
        "segmentation_preview",
        "preview",
        f"  {result['preview']['moves']:,} moves of {result['preview']['approved']:,} approved, "
        f"{result['preview']['pinned_held']} pinned held",
    )
    row(
        "segmentation_apply (moves)",
        "apply",
        f"  {result['apply']['moved']:,} moved, {result['apply']['trail_rows']:,} trail rows",
    )
    row("segmentation_apply (nothing moves)", "apply_again")
    for label, moves in result["preview"]["by_rule"]:
        print(f"    {label}: {moves:,}")
    print(
        "  peak RSS (MB): after set-up {rss_start_mb:.0f}, profiles {rss_profiles_mb:.0f}, "
        "preview {rss_preview_mb:.0f}, apply {rss_apply_mb:.0f}, end {rss_end_mb:.0f}".format(
            **result
        )
    )
    if database.kind == "postgres":
        seconds = result["apply"]["median"]
        verdict = "met" if seconds < 30 else "NOT met"
        print(
            f"  target: profiles computed and rules applied under 30 s on PostgreSQL: "
            f"{seconds:.2f} s -> {verdict}"
        )
    size = database.size_mb()
    if size is not None:
        print(f"  database size {size:,.0f} MB")


def child(database: Database, *options: str) -> dict:
    """Run this script again with `options`; its last line of output is JSON."""
    argv = [sys.executable, __file__, "--database-url", database.url, *options]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{options[0]} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{DEFAULT_SQLITE}",
        help="fresh database; a postgres:// one is dropped and created with psql "
        f"(default sqlite:///{DEFAULT_SQLITE})",
    )
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--lines-per-order", type=int, default=5)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per phase (median)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument(
        "--reuse-database", action="store_true", help="measure a database kept by a former run"
    )
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench-segmentation-not-secret")
    database = Database(args.database_url)

    if args.measure_only:
        setup_django(database.url)
        print(json.dumps(measure(args.runs)))
        return
    if args.generate_only:
        setup_django(database.url)
        start = time.monotonic()
        counts = populate(args, random.Random(args.seed))
        counts["seconds"] = time.monotonic() - start
        counts["rss_mb"] = peak_rss_mb()
        print(json.dumps(counts))
        return

    # This process stays small (no Django): a child's peak RSS starts from its parent's RSS
    # at fork time on Linux, so the generator and the measure each run in a child of their own.
    notes = {}
    if not args.reuse_database:
        print(f"fresh database {database.url}", flush=True)
        database.recreate()
        print(f"migrated in {migrate(database):.1f} s", flush=True)
        counts = child(
            database,
            "--generate-only",
            "--companies",
            str(args.companies),
            "--lines",
            str(args.lines),
            "--lines-per-order",
            str(args.lines_per_order),
            "--products",
            str(args.products),
            "--seed",
            str(args.seed),
        )
        notes["generated"] = (
            f"{counts['companies']:,} companies, {counts['orders']:,} orders, "
            f"{counts['lines']:,} lines, generated in {counts['seconds']:.1f} s "
            f"(generator peak RSS {counts['rss_mb']:.0f} MB)"
        )
        print(notes["generated"], flush=True)
    result = child(database, "--measure-only", "--runs", str(args.runs))
    report(database, notes, result, args.runs)
    if not args.keep_database:
        database.drop()


if __name__ == "__main__":
    main()
