"""Benchmark of pricing (issue 3): the catalogue API page and the pricing engine at scale.

Not a test. It creates a fresh database, migrates it (`manage.py migrate` in a subprocess)
and fills it in-process with `bulk_create`: 100,000 products, 1,000 companies, 10 groups,
50 group price lists, 200 company (contract) price lists and the store's base list, every
entry with 3 quantity tiers. Then it measures, in-process with `django.test.Client`:

- the queries and the median server time of `GET /api/v1/products?page_size=50` over
  varied pages, for a company with a contract list (bearer token) and for a guest, and the
  query count at page_size 1 and 100;
- the engine throughput: `quote_line` and `price_cart` over 10,000 lines, data preloaded.

It measures again after adding groups until there are 5,000 of them, each with a list of
its own, since pricing cost must not grow with the number of groups or lists. See
bench/README.md.

    .venv/bin/python bench/pricing.py
    .venv/bin/python bench/pricing.py --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench_pricing
"""

import argparse
import cProfile
import io
import math
import os
import pstats
import random
import statistics
import sys
import time
import timeit
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from bundle_load import Database, migrate  # noqa: E402  (bench/bundle_load.py: fresh databases)

MANAGE = ROOT / "manage.py"
DEFAULT_SQLITE = "/tmp/comptoir-bench-pricing.sqlite3"
TOKEN = "bench-pricing-token-0123456789"
COMPANY = "CO00000"  # company 0: group 0, contract list CL0000
TIERS = ((1, 100), (10, 95), (50, 90))  # (min_qty, % of the list's 1-unit price)
QUANTITIES = (1, 2, 5, 10, 12, 24, 50, 60, 100, 250)
CHUNK = 20_000


# --------------------------------------------------------------------------- generation


def setup_django(url: str, gc_freeze: bool) -> None:
    """Django set up as `comptoir.wsgi` sets it up for a server (`gc.freeze()` included),
    or with `django.setup()` alone to measure what the freeze is worth."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"
    if gc_freeze:
        import comptoir.wsgi  # noqa: F401
    else:
        import django

        django.setup()


def base_cents(n: int) -> int:
    """The 1-unit BASE price of product n, in cents: 1.00 to 999.99."""
    return 100 + (n * 7919) % 99_900


def cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def write_entries(price_list_id: int, products: list[tuple[int, int]], percent: int) -> int:
    """3 tiers for each (product id, product number), at `percent` % of the BASE price."""
    from comptoir.pricing.models import PriceEntry

    batch, written = [], 0
    for product_id, n in products:
        one = base_cents(n) * percent // 100
        for min_qty, tier_percent in TIERS:
            batch.append(
                PriceEntry(
                    price_list_id=price_list_id,
                    product_id=product_id,
                    min_qty=min_qty,
                    price=cents(one * tier_percent // 100),
                )
            )
        if len(batch) >= CHUNK:
            PriceEntry.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    PriceEntry.objects.bulk_create(batch)
    return written + len(batch)


def populate(args, rng: random.Random) -> dict[str, int]:
    """The store, in one transaction; returns what it wrote."""
    from django.db import transaction

    from comptoir.accounts.models import ApiToken, User
    from comptoir.accounts.services import token_digest
    from comptoir.catalog.models import Category, Product, Visibility
    from comptoir.core.models import AccessMode, Store
    from comptoir.customers.models import Company, CompanyStatus, CustomerGroup
    from comptoir.ordering.models import GroupOrderRule
    from comptoir.pricing.models import PriceList, Promotion, VolumeDiscountTier

    counts = Counter()
    with transaction.atomic():
        tops = Category.objects.bulk_create(
            Category(code=f"cat-{n:03d}", name=f"Category {n}", position=n) for n in range(10)
        )
        leaves = Category.objects.bulk_create(
            Category(code=f"cat-{n:03d}", name=f"Category {n}", parent=tops[n % 10], position=n)
            for n in range(10, 200)
        )
        groups = CustomerGroup.objects.bulk_create(
            CustomerGroup(code=f"G{n:05d}", name=f"Group {n}") for n in range(args.groups)
        )
        counts["groups"] = len(groups)

        products = Product.objects.bulk_create(
            (
                Product(
                    sku=f"SKU-{n:07d}",
                    name=f"Product {n} {('vis', 'écrou', 'rondelle', 'clou')[n % 4]}",
                    description=f"Synthetic product {n} of the pricing benchmark.",
                    category=leaves[n % len(leaves)],
                    unit="box" if n % 2 else "piece",
                    pack_size=(1, 10, 50, 100)[n % 4],
                    # every 50th product is sold by 12: listings show its 12-unit price
                    min_qty=12 if n % 50 == 7 else 1,
                    qty_step=12 if n % 50 == 7 else 1,
                    stock=n % 5000,
                    visibility=Visibility.GROUPS if n % 100 == 99 else Visibility.ALL,
                )
                for n in range(args.products)
            ),
            batch_size=5000,
        )
        ids = [product.pk for product in products]
        counts["products"] = len(ids)
        Product.visible_groups.through.objects.bulk_create(
            Product.visible_groups.through(product_id=ids[n], customergroup_id=groups[n % 10].pk)
            for n in range(99, args.products, 100)
        )
        GroupOrderRule.objects.bulk_create(
            GroupOrderRule(customer_group=groups[0], product_id=ids[n], min_qty=6, qty_step=6)
            for n in range(3, args.products, 100)
        )

        base = PriceList.objects.create(code="BASE", name="Base prices", priority=0)
        counts["entries"] += write_entries(
            base.pk, list(zip(ids, range(args.products), strict=True)), 100
        )
        counts["lists"] += 1

        # Group lists: list g belongs to group g % groups, with priority g // groups. The last
        # list of every odd group derives from BASE (-5 %), so a guest (default group 1)
        # goes through a parent for the products its own lists do not price.
        group_links = []
        per_group = math.ceil(args.group_lists / len(groups))
        for g in range(args.group_lists):
            owner, rank = g % len(groups), g // len(groups)
            derived = owner % 2 == 1 and rank == per_group - 1
            price_list = PriceList.objects.create(
                code=f"GL{g:04d}",
                name=f"Group list {g}",
                priority=rank,
                parent=base if derived else None,
                adjustment_percent=Decimal(-5) if derived else None,
            )
            group_links.append((price_list.pk, groups[owner].pk))
            chosen = rng.sample(range(args.products), min(args.group_list_products, args.products))
            counts["entries"] += write_entries(
                price_list.pk, [(ids[n], n) for n in chosen], 92 - rank
            )
            counts["lists"] += 1
        PriceList.customer_groups.through.objects.bulk_create(
            PriceList.customer_groups.through(pricelist_id=list_id, customergroup_id=group_id)
            for list_id, group_id in group_links
        )

        companies = Company.objects.bulk_create(
            (
                Company(
                    code=f"CO{n:05d}",
                    name=f"Company {n} SARL",
                    group=groups[n % len(groups)],
                    status=CompanyStatus.APPROVED,
                    country="FR",
                    region="IDF",
                    credit_limit=Decimal("10000.00") if n % 2 else None,
                )
                for n in range(args.companies)
            ),
            batch_size=1000,
        )
        counts["companies"] = len(companies)

        # Company lists: one per company, for the first `company_lists` companies spread
        # evenly (company 0 is the measured one); every fourth derives from BASE (-10 %).
        step = max(1, args.companies // max(1, args.company_lists))
        company_links = []
        for c in range(min(args.company_lists, args.companies)):
            derived = c % 4 == 3
            price_list = PriceList.objects.create(
                code=f"CL{c:04d}",
                name=f"Contract {c}",
                priority=0,
                parent=base if derived else None,
                adjustment_percent=Decimal(-10) if derived else None,
            )
            company_links.append((price_list.pk, companies[c * step].pk))
            chosen = rng.sample(
                range(args.products), min(args.company_list_products, args.products)
            )
            counts["entries"] += write_entries(price_list.pk, [(ids[n], n) for n in chosen], 85)
            counts["lists"] += 1
        PriceList.companies.through.objects.bulk_create(
            PriceList.companies.through(pricelist_id=list_id, company_id=company_id)
            for list_id, company_id in company_links
        )

        for group, (code, category) in zip(
            groups[:2], (("PROMO-G0", 0), ("PROMO-G1", 1)), strict=False
        ):
            promotion = Promotion.objects.create(code=code, percent=Decimal(5))
            promotion.customer_groups.add(group)
            promotion.categories.add(tops[category])
            VolumeDiscountTier.objects.bulk_create(
                VolumeDiscountTier(customer_group=group, min_total_qty=qty, percent=Decimal(pc))
                for qty, pc in ((100, 2), (500, 5), (5000, 8))
            )

        Store.objects.create(
            id=1,
            name="Bench store",
            currency="EUR",
            country="FR",
            access_mode=AccessMode.PUBLIC,
            default_group=groups[1 % len(groups)],
            base_price_list=base,
        )
        user = User.objects.create_user("buyer@co00000.example", company=companies[0], role="admin")
        ApiToken.objects.create(user=user, digest=token_digest(TOKEN))
    return counts


def add_groups(target: int, per_list: int, rng: random.Random) -> int:
    """Groups up to `target`, each with a list of its own of `per_list` products; entries."""
    from django.db import transaction

    from comptoir.catalog.models import Product
    from comptoir.customers.models import CustomerGroup
    from comptoir.pricing.models import PriceList

    existing = CustomerGroup.objects.count()
    if existing >= target:
        return 0
    ids = list(Product.objects.order_by("sku").values_list("pk", flat=True))
    written = 0
    with transaction.atomic():
        groups = CustomerGroup.objects.bulk_create(
            CustomerGroup(code=f"G{n:05d}", name=f"Group {n}") for n in range(existing, target)
        )
        lists = PriceList.objects.bulk_create(
            PriceList(code=f"XL{n:05d}", name=f"Own list of group {n}", priority=0)
            for n in range(existing, target)
        )
        PriceList.customer_groups.through.objects.bulk_create(
            PriceList.customer_groups.through(pricelist_id=pl.pk, customergroup_id=group.pk)
            for pl, group in zip(lists, groups, strict=True)
        )
        for price_list in lists:
            chosen = rng.sample(range(len(ids)), min(per_list, len(ids)))
            written += write_entries(price_list.pk, [(ids[n], n) for n in chosen], 80)
    return written


def set_jit(database: Database, jit: str) -> None:
    """PostgreSQL's JIT for this database only (`off`), or back to the server's setting."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        action = "SET jit = off" if jit == "off" else "RESET jit"
        cursor.execute(f'ALTER DATABASE "{database.name}" {action}')
    connection.close()  # the setting applies to the sessions opened after it


def vacuum_analyze() -> None:
    """PostgreSQL plans from fresh statistics and an up-to-date visibility map, as autovacuum
    leaves the tables soon after a load: without that map, an index-only scan reads the rows
    anyway."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --------------------------------------------------------------------------- measurement


@dataclass
class PageStats:
    times: list[float] = field(default_factory=list)
    sql_times: list[float] = field(default_factory=list)
    queries: Counter = field(default_factory=Counter)
    per_query: dict[int, list[tuple[float, str]]] = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p90_ms(self) -> float:
        return statistics.quantiles(self.times, n=10)[-1] * 1000 if len(self.times) > 1 else 0

    @property
    def sql_median_ms(self) -> float:
        return statistics.median(self.sql_times) * 1000


def get_page(client, headers, page: int, page_size: int, stats: PageStats | None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - start, sql))

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        start = time.perf_counter()
        response = client.get(
            "/api/v1/products", {"page": page, "page_size": page_size}, headers=headers
        )
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        sys.exit(f"GET page {page}: {response.status_code} {response.content[:500]!r}")
    body = response.json()
    if stats is not None:
        stats.times.append(elapsed)
        stats.queries[len(captured)] += 1
        stats.sql_times.append(sum(seconds for seconds, _ in timings))
        for index, timing in enumerate(timings):
            stats.per_query.setdefault(index, []).append(timing)
    return body


def measure_pages(client, headers, pages: list[int], page_size: int, profile=None) -> PageStats:
    for page in pages[:3]:  # warm-up: imports, caches, the token's last_used_at write
        get_page(client, headers, page, page_size, None)
    stats = PageStats()
    if profile is not None:
        profile.enable()
    for page in pages:
        body = get_page(client, headers, page, page_size, stats)
        if not body["items"] or any(item["price"] is None for item in body["items"]):
            sys.exit(f"page {page}: an item has no price")
    if profile is not None:
        profile.disable()
    return stats


def query_count(client, headers, page_size: int) -> int:
    stats = PageStats()
    get_page(client, headers, 2, page_size, stats)
    return next(iter(stats.queries))


@dataclass
class EngineStats:
    lines: int
    context_ms: float
    context_queries: int
    quote_times: list[float]
    cart_times: list[float]
    mix: Counter

    @property
    def quote_rate(self) -> float:
        """Lines per second of the best run, like timeit: the others were slowed by the rest."""
        return self.lines / min(self.quote_times)

    @property
    def cart_rate(self) -> float:
        return self.lines / min(self.cart_times)

    @staticmethod
    def rates(lines: int, times: list[float]) -> str:
        return f"{lines / min(times):,.0f} ({lines / statistics.median(times):,.0f}) /s"


def engine_ids(company, n_lines: int, rng: random.Random) -> list[int]:
    """The company's contract products, up to half from its group's lists, the rest at random."""
    from comptoir.catalog.models import Product
    from comptoir.pricing.models import PriceEntry

    chosen: dict[int, None] = {}
    contract = PriceEntry.objects.filter(price_list__companies=company).values_list(
        "product_id", flat=True
    )
    group = PriceEntry.objects.filter(price_list__customer_groups=company.group_id).values_list(
        "product_id", flat=True
    )
    for product_id in contract:
        chosen[product_id] = None
    group_ids = sorted(set(group) - set(chosen))
    wanted = max(0, min(len(group_ids), n_lines // 2 - len(chosen)))
    for product_id in rng.sample(group_ids, wanted):
        chosen[product_id] = None
    all_ids = list(Product.objects.values_list("pk", flat=True))
    while len(chosen) < min(n_lines, len(all_ids)):
        chosen[rng.choice(all_ids)] = None
    return list(chosen)


def measure_engine(store, company, ids, rng, repeat: int, profile=None) -> EngineStats:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comptoir.catalog.models import Product
    from comptoir.pricing.engine import price_cart, quote_line
    from comptoir.pricing.selectors import category_ancestors, pricing_context, product_data

    products = Product.objects.filter(pk__in=ids).only("pk", "sku", "category_id")
    items = product_data(products, category_ancestors())
    lines = [(item, rng.choice(QUANTITIES)) for item in items]
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        context = pricing_context(store=store, company=company, product_ids=ids)
        context_ms = (time.perf_counter() - start) * 1000
    quote_times, cart_times = [], []
    if profile is not None:
        profile.enable()
    for _ in range(repeat):
        start = time.perf_counter()
        quotes = [quote_line(context, product, quantity) for product, quantity in lines]
        quote_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        cart = price_cart(context, lines)
        cart_times.append(time.perf_counter() - start)
    if profile is not None:
        profile.disable()
    mix = Counter()
    for quote in quotes:
        if quote is None:
            mix["no price"] += 1
            continue
        mix[quote.steps[0].detail.split(" ", 1)[0]] += 1
        if any(step.step == "parent_adjustment" for step in quote.steps):
            mix["via a parent"] += 1
        if quote.promotion_percent:
            mix["promotion"] += 1
    mix["volume %"] = cart.volume_percent or 0
    return EngineStats(
        len(lines),
        context_ms,
        len(captured),
        quote_times,
        cart_times,
        mix,
    )


def check_contract_price(client, headers, company) -> str:
    """One product of the contract list, explained: the company level must win."""
    from comptoir.pricing.models import PriceEntry

    entry = (
        PriceEntry.objects.filter(price_list__companies=company, min_qty=10)
        .select_related("product", "price_list")
        .first()
    )
    response = client.get(
        f"/api/v1/products/{entry.product.sku}/price", {"qty": 10}, headers=headers
    )
    body = response.json()
    first = body["explanation"][0]
    if first["source"] != entry.price_list.code or Decimal(body["unit_price"]) != entry.price:
        sys.exit(f"contract price not applied: {body}")
    return f"{entry.product.sku} × 10 = {body['unit_price']} ({first['detail']})"


def measure(args, label: str, rng_seed: int, profile_prefix: str | None) -> dict:
    from django.test import Client

    from comptoir.accounts.models import ApiToken
    from comptoir.catalog.models import Product
    from comptoir.core.selectors import get_store
    from comptoir.customers.models import Company, CustomerGroup
    from comptoir.pricing.models import PriceEntry, PriceList

    store = get_store()
    company = Company.objects.select_related("group").get(code=COMPANY)
    client = Client()
    buyer = {"Authorization": f"Bearer {TOKEN}"}
    guest: dict[str, str] = {}
    visible = client.get("/api/v1/products", {"page_size": 1}).json()["count"]
    last_page = max(1, visible // args.page_size)
    rng = random.Random(rng_seed)  # the same pages for every run
    pages = rng.sample(range(1, last_page + 1), min(args.requests, last_page))
    result = {
        "label": label,
        "groups": CustomerGroup.objects.count(),
        "lists": PriceList.objects.count(),
        "entries": PriceEntry.objects.count(),
        "products": Product.objects.count(),
        "visible": visible,
        "check": check_contract_price(client, buyer, company),
    }
    print(f"[{label}] {result['groups']:,} groups, {result['lists']:,} price lists", flush=True)
    # A token notes its last use once a minute: that write is part of some pages too.
    ApiToken.objects.update(last_used_at=None)
    result["queries first use"] = query_count(client, buyer, args.page_size)
    for who, headers in (("company", buyer), ("guest", guest)):
        for size in (1, args.page_size, 100):
            result[f"queries {who} {size}"] = query_count(client, headers, size)
        result[f"pages {who}"] = measure_pages(client, headers, pages, args.page_size)
        result[f"first page {who}"] = measure_pages(
            client, headers, [1] * args.requests, args.page_size
        )
        print(f"  pages, {who}: {result[f'pages {who}'].median_ms:.1f} ms", flush=True)

    result["cpu reference"] = cpu_reference()
    ids = engine_ids(company, args.engine_lines, random.Random(rng_seed))
    for who, buyer_company in (("company", company), ("guest", None)):
        result[f"engine {who}"] = measure_engine(
            store, buyer_company, ids, random.Random(rng_seed), args.repeat
        )
        print(f"  engine, {who}: {result[f'engine {who}'].quote_rate:,.0f} prices/s", flush=True)

    if profile_prefix:  # a pass of its own: the profiler slows everything down
        profile = cProfile.Profile()
        measure_pages(client, buyer, pages, args.page_size, profile)
        dump_profile(profile, f"{profile_prefix}-page.prof", f"{label}: company pages")
        profile = cProfile.Profile()
        measure_engine(store, company, ids, random.Random(rng_seed), 1, profile)
        dump_profile(profile, f"{profile_prefix}-engine.prof", f"{label}: engine, company")
    return result


def cpu_reference() -> float:
    """Milliseconds for a million additions in a Python loop (best of 5): the machine's speed
    at the time, to compare runs made on a busy or a different machine."""
    return min(timeit.repeat("for i in range(1_000_000): x = i + 1", number=1, repeat=5)) * 1000


def dump_profile(profile: cProfile.Profile, path: str, title: str) -> None:
    profile.dump_stats(path)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(20)
    print(f"\n--- cProfile, {title} (sorted by tottime; saved to {path})")
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
    print()


# --------------------------------------------------------------------------- report


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
            cursor.execute("SHOW jit")
            return f"PostgreSQL {version} (jit {cursor.fetchone()[0]})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def report(database: Database, args, runs: list[dict], generation: dict) -> None:
    print()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    python = sys.version.split()[0]
    freeze = "gc.freeze()" if args.gc_freeze else "no gc.freeze()"
    print(
        f"{server_version()}, {os.cpu_count()} CPUs (load average {load}), Python {python}, "
        f"{freeze}"
    )
    for name, value in generation.items():
        print(f"{name}: {value}")
    for run in runs:
        print(f"[{run['label']}] contract check: {run['check']}")

    def row(name, fn):
        return (name, *(fn(run) for run in runs))

    size = args.page_size
    rows = [
        ("", *(run["label"] for run in runs)),
        row("groups / price lists", lambda r: f"{r['groups']:,} / {r['lists']:,}"),
        row("price entries", lambda r: f"{r['entries']:,}"),
        row("products visible to a guest", lambda r: f"{r['visible']:,}"),
    ]
    for who in ("company", "guest"):
        if who == "company":
            rows.append(
                row(
                    f"company: queries, page_size {size} + token last_used write",
                    lambda r: str(r["queries first use"]),
                )
            )
        rows += [
            row(
                f"{who}: queries, page_size 1 / {size} / 100",
                lambda r, w=who: (
                    f"{r[f'queries {w} 1']} / {r[f'queries {w} {size}']} / {r[f'queries {w} 100']}"
                ),
            ),
            row(
                f"{who}: page median (p90), {len(runs[0][f'pages {who}'].times)} pages",
                lambda r, w=who: (
                    f"{r[f'pages {w}'].median_ms:.1f} ({r[f'pages {w}'].p90_ms:.1f}) ms"
                ),
            ),
            row(
                f"{who}:   of which SQL (median)",
                lambda r, w=who: f"{r[f'pages {w}'].sql_median_ms:.1f} ms",
            ),
            row(
                f"{who}: page 1 median",
                lambda r, w=who: f"{r[f'first page {w}'].median_ms:.1f} ms",
            ),
        ]
    rows.append(row("CPU reference: 1M-addition loop", lambda r: f"{r['cpu reference']:.1f} ms"))
    for who in ("company", "guest"):
        rows += [
            row(
                f"engine, {who}: context ({runs[0][f'engine {who}'].lines:,} products)",
                lambda r, w=who: (
                    f"{r[f'engine {w}'].context_ms:.0f} ms, "
                    f"{r[f'engine {w}'].context_queries} queries"
                ),
            ),
            row(
                f"engine, {who}: quote_line, best (median)",
                lambda r, w=who: r[f"engine {w}"].rates(
                    r[f"engine {w}"].lines, r[f"engine {w}"].quote_times
                ),
            ),
            row(
                f"engine, {who}: price_cart, best (median)",
                lambda r, w=who: r[f"engine {w}"].rates(
                    r[f"engine {w}"].lines, r[f"engine {w}"].cart_times
                ),
            ),
        ]
    widths = [max(len(str(cells[i])) for cells in rows) for i in range(len(rows[0]))]
    print()
    for cells in rows:
        print(
            "  ".join(
                f"{cell:<{widths[i]}}" if i == 0 else f"{cell:>{widths[i]}}"
                for i, cell in enumerate(cells)
            )
        )
    print()
    for run in runs:
        for who in ("company", "guest"):
            mix = run[f"engine {who}"].mix
            print(
                f"[{run['label']}] engine lines, {who}: "
                + ", ".join(f"{name} {count:,}" for name, count in sorted(mix.items()))
            )
    print()
    for run in runs:
        stats = run["pages company"]
        print(f"[{run['label']}] company page, median time of each query:")
        for index, timings in sorted(stats.per_query.items()):
            sql = " ".join(timings[0][1].split())
            median = statistics.median(time for time, _ in timings) * 1000
            print(f"  {index + 1}. {median:6.2f} ms  {sql[:110]}")
    largest = max(
        max(run[f"queries {w} {s}"] for w in ("company", "guest") for s in (1, size, 100))
        for run in runs
    )
    first_use = max(run["queries first use"] for run in runs)
    page_ms = max(run["pages company"].median_ms for run in runs)
    engine = min(run["engine company"].quote_rate for run in runs)
    cart = min(run["engine company"].cart_rate for run in runs)
    print()
    print("targets:")
    print(
        f"  at most 8 queries per page: {largest} ({first_use} on a token's first use in a "
        f"minute) -> {'met' if max(largest, first_use) <= 8 else 'MISSED'}"
    )
    print(
        f"  page median under 50 ms (PostgreSQL): {page_ms:.1f} ms -> "
        f"{'met' if page_ms < 50 else 'MISSED'}"
        + ("" if database.kind == "postgres" else " (this is SQLite)")
    )
    for name, rate in (("quote_line", engine), ("price_cart", cart)):
        verdict = "met" if rate >= 100_000 else "MISSED"
        print(f"  engine at least 100,000 prices/s, {name}: {rate:,.0f} -> {verdict}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{DEFAULT_SQLITE}",
        help="fresh database; a postgres:// one is dropped and created with psql "
        f"(default sqlite:///{DEFAULT_SQLITE})",
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument("--groups", type=int, default=10, help="groups of the first run")
    parser.add_argument("--group-lists", type=int, default=50)
    parser.add_argument("--group-list-products", type=int, default=2_000)
    parser.add_argument("--company-lists", type=int, default=200)
    parser.add_argument("--company-list-products", type=int, default=200)
    parser.add_argument(
        "--many-groups",
        type=int,
        default=5_000,
        help="groups of the second run, each added one with a list of its own (0: no second run)",
    )
    parser.add_argument("--extra-list-products", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--requests", type=int, default=30, help="timed pages per buyer")
    parser.add_argument("--engine-lines", type=int, default=10_000)
    parser.add_argument(
        "--repeat", type=int, default=7, help="engine runs: the best is reported, then the median"
    )
    parser.add_argument(
        "--pg-jit",
        choices=("default", "off"),
        default="default",
        help="PostgreSQL: keep the server's JIT setting (on by default) or turn it off "
        "for the bench database (ALTER DATABASE ... SET jit = off)",
    )
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="set Django up without the gc.freeze() that comptoir/wsgi.py makes",
    )
    parser.add_argument(
        "--reuse-database", action="store_true", help="measure an existing bench database"
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument(
        "--profile", metavar="PREFIX", help="cProfile the company pages and the engine"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench-pricing-not-secret")

    database = Database(args.database_url)
    generation = {}
    if not args.reuse_database:
        print(f"fresh database {database.url}", flush=True)
        database.recreate()
        generation["migrate"] = f"{migrate(database):.1f} s"
    setup_django(database.url, args.gc_freeze)
    set_jit(database, args.pg_jit)
    rng = random.Random(42)
    if not args.reuse_database:
        start = time.monotonic()
        counts = populate(args, rng)
        vacuum_analyze()
        seconds = time.monotonic() - start
        generation["generated"] = (
            f"{counts['products']:,} products, {counts['companies']:,} companies, "
            f"{counts['groups']:,} groups, {counts['lists']:,} price lists, "
            f"{counts['entries']:,} entries in {seconds:.1f} s"
        )
        print(generation["generated"], flush=True)

    from comptoir.customers.models import CustomerGroup

    runs = [measure(args, f"{CustomerGroup.objects.count():,} groups", 7, args.profile)]
    if args.many_groups > CustomerGroup.objects.count():
        start = time.monotonic()
        written = add_groups(args.many_groups, args.extra_list_products, rng)
        vacuum_analyze()
        generation["added groups"] = (
            f"up to {args.many_groups:,}, {written:,} entries in {time.monotonic() - start:.1f} s"
        )
        print(generation["added groups"], flush=True)
        profile = f"{args.profile}-many" if args.profile else None
        runs.append(measure(args, f"{args.many_groups:,} groups", 7, profile))
    generation["database size"] = f"{database.size_mb():,.0f} MB"
    report(database, args, runs, generation)
    if not args.keep_database:
        from django.db import connections

        connections.close_all()
        database.drop()


if __name__ == "__main__":
    main()
