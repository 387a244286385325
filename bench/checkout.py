"""Benchmark of the checkout: pricing a cart (`quote_cart`) and placing it (`order_place`).

Not a test. It creates a fresh database, migrates it (`manage.py migrate` in a subprocess)
and fills it in-process: a store with 600 products in 50 categories, a base list with 3
quantity tiers for every product, a group list derived from it, a contract list, a group
promotion, volume tiers and group order rules, and one buyer. Then, for carts of 1, 50
and 500 lines, it measures in-process:

- `quote_cart(viewer, cart_items(user))`, what the cart page and `GET /api/v1/cart` run:
  its queries and the median of several runs;
- `order_place(...)` with an Idempotency-Key, what `POST /api/v1/checkout` runs, the
  order confirmation e-mail included (it is sent on commit, in the request): its queries
  and the median of several runs, the cart being filled again, untimed, before each run.

Targets: queries that do not grow with the number of lines, and a 500-line order placed in
under 1 s on PostgreSQL. See bench/README.md.

    .venv/bin/python bench/checkout.py
    .venv/bin/python bench/checkout.py --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench_checkout
"""

import argparse
import os
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
DEFAULT_SQLITE = "/tmp/comptoir-bench-checkout.sqlite3"
BUYER_EMAIL = "buyer@acme-bench.example"
TIERS = ((1, 100), (10, 95), (50, 90))  # (min_qty, % of the product's 1-unit price)
STOCK = 1_000_000  # enough for every run: the bench places thousands of units
CHECKOUT = {"shipping_method": "STD", "payment_method": "TRANSFER", "po_number": "PO-BENCH"}


# --------------------------------------------------------------------------- set-up


def setup_django(url: str) -> None:
    """Django set up as `comptoir.wsgi` sets it up for a server (`gc.freeze()` included).

    The confirmation e-mails go to Django's in-memory outbox: rendered and "sent" as a
    server would, without printing 500-line mails to the console.
    """
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import comptoir.wsgi  # noqa: F401


def base_cents(n: int) -> int:
    """The 1-unit BASE price of product n, in cents: 1.00 to 199.99."""
    return 100 + (n * 7919) % 19_900


def cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def step_of(n: int) -> int:
    """Product n's selling step: every 25th sells by 12, every 40th by 6 for the group."""
    return 12 if n % 25 == 3 else 6 if n % 40 == 11 else 1


def populate(products: int) -> dict[str, int]:
    """The store, in one transaction; returns what it wrote."""
    from django.db import transaction

    from comptoir.accounts.models import User
    from comptoir.catalog.models import Category, Product, TaxClass
    from comptoir.core.models import AccessMode, Store
    from comptoir.customers.models import Address, Company, CompanyStatus, CustomerGroup
    from comptoir.ordering.models import GroupOrderRule
    from comptoir.payments.models import PaymentMethod, PaymentType, ShippingMethod
    from comptoir.pricing.models import PriceEntry, PriceList, Promotion, VolumeDiscountTier
    from comptoir.tax.models import TaxRate

    counts = Counter()
    with transaction.atomic():
        tops = Category.objects.bulk_create(
            Category(code=f"cat-{n:02d}", name=f"Category {n}", position=n) for n in range(10)
        )
        leaves = Category.objects.bulk_create(
            Category(code=f"cat-{n:02d}", name=f"Category {n}", parent=tops[n % 10], position=n)
            for n in range(10, 50)
        )
        retail = CustomerGroup.objects.create(code="RETAIL", name="Retail")
        # "0.00": no minimum order amount for the group, so a 1-line cart can be placed too
        pro = CustomerGroup.objects.create(
            code="PRO", name="Professionals", min_order_amount=Decimal("0.00")
        )
        made = Product.objects.bulk_create(
            Product(
                sku=f"BENCH-{n:05d}",
                name=f"Product {n} {('vis', 'écrou', 'rondelle', 'clou')[n % 4]}",
                description=f"Synthetic product {n} of the checkout benchmark.",
                category=leaves[n % len(leaves)],
                tax_class=TaxClass.REDUCED if n % 10 == 9 else TaxClass.STANDARD,
                unit="case" if step_of(n) == 12 else "box",
                pack_size=12 if step_of(n) == 12 else 100,
                min_qty=12 if step_of(n) == 12 else 1,
                qty_step=12 if step_of(n) == 12 else 1,
                # every 20th product is on backorder: the stock UPDATE takes both branches
                stock=0 if n % 20 == 5 else STOCK,
                backorder=n % 20 == 5,
            )
            for n in range(products)
        )
        ids = [product.pk for product in made]
        counts["products"] = len(ids)
        GroupOrderRule.objects.bulk_create(
            GroupOrderRule(customer_group=pro, product_id=ids[n], min_qty=6, qty_step=6)
            for n in range(products)
            if step_of(n) == 6
        )

        def entries(price_list, chosen, percent):
            PriceEntry.objects.bulk_create(
                PriceEntry(
                    price_list=price_list,
                    product_id=ids[n],
                    min_qty=min_qty,
                    price=cents(base_cents(n) * percent * tier // 10_000),
                )
                for n in chosen
                for min_qty, tier in TIERS
            )
            counts["entries"] += len(chosen) * len(TIERS)
            counts["lists"] += 1

        base = PriceList.objects.create(code="BASE", name="Base prices", priority=1000)
        entries(base, range(products), 100)
        # The group's list has its own prices for a third of the products and derives the
        # others from BASE at -5 %; the contract list prices one product in six.
        group_list = PriceList.objects.create(
            code="PRO", name="Pro prices", priority=10, parent=base, adjustment_percent=-5
        )
        group_list.customer_groups.add(pro)
        entries(group_list, range(0, products, 3), 92)
        contract = PriceList.objects.create(code="CONTRACT-ACME", name="Acme contract", priority=0)
        entries(contract, range(1, products, 6), 85)

        promotion = Promotion.objects.create(code="PROMO-PRO", name="Pro offer", percent=5)
        promotion.customer_groups.add(pro)
        promotion.categories.add(tops[0], tops[1])
        VolumeDiscountTier.objects.bulk_create(
            VolumeDiscountTier(customer_group=pro, min_total_qty=qty, percent=Decimal(pc))
            for qty, pc in ((100, 2), (1000, 4), (10_000, 6))
        )
        TaxRate.objects.bulk_create(
            [
                TaxRate(country="FR", region="", tax_class=TaxClass.STANDARD, rate=20),
                TaxRate(country="FR", region="", tax_class=TaxClass.REDUCED, rate=Decimal("5.5")),
            ]
        )
        ShippingMethod.objects.create(
            code="STD", name="Standard", price=Decimal("15.00"), free_above=Decimal("500.00")
        )
        ShippingMethod.objects.create(code="EXPRESS", name="Express", price=Decimal("29.00"))
        PaymentMethod.objects.create(
            code="TRANSFER", name="Bank transfer", type=PaymentType.BANK_TRANSFER, position=1
        )
        PaymentMethod.objects.create(
            code="PO", name="Purchase order", type=PaymentType.PURCHASE_ORDER, position=2
        )
        Store.objects.create(
            id=1,
            name="Bench store",
            currency="EUR",
            country="FR",
            access_mode=AccessMode.PUBLIC,
            min_order_amount=Decimal("150.00"),
            default_group=retail,
            base_price_list=base,
        )
        company = Company.objects.create(
            code="ACME",
            name="Acme Outillage SARL",
            group=pro,
            status=CompanyStatus.APPROVED,
            country="FR",
            vat_number="FR40303265045",
            credit_limit=Decimal("100000.00"),
        )
        contract.companies.add(company)
        Address.objects.create(
            company=company,
            code="HQ",
            position=0,
            line1="3 quai des Usines",
            city="Lyon",
            postal_code="69007",
            country="FR",
        )
        User.objects.create_user(BUYER_EMAIL, company=company, role="admin")
    return counts


def vacuum_analyze() -> None:
    """PostgreSQL plans from fresh statistics, as autovacuum leaves the tables after a load
    (the server of this machine runs with `autovacuum = off`)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --------------------------------------------------------------------------- measurement


def viewer():
    """The buyer as a request sees it: the store, the user with company and group."""
    from comptoir.accounts.access import viewer_for
    from comptoir.accounts.models import User
    from comptoir.core.selectors import get_store

    user = User.objects.select_related("company__group").get(email=BUYER_EMAIL)
    return viewer_for(get_store(), user)


def cart_rows(lines: int, rng_seed: int = 7) -> list[tuple[int, str, int]]:
    """`lines` (row, sku, quantity) rows: random products, quantities that keep the rules."""
    from comptoir.catalog.models import Product

    skus = list(Product.objects.order_by("sku").values_list("sku", flat=True))
    chosen = sorted(random.Random(rng_seed).sample(range(len(skus)), lines))
    return [(row, skus[n], step_of(n) * (1 + (n * 31) % 7)) for row, n in enumerate(chosen, 1)]


def fill_cart(rows) -> None:
    from comptoir.ordering.services import REPLACE, cart_add_lines

    results = cart_add_lines(viewer=viewer(), rows=rows, mode=REPLACE)
    if any(result.status != "added" for result in results):
        sys.exit(f"cart: {[result for result in results if result.status != 'added'][:3]}")


@dataclass
class Timing:
    seconds: float
    sql_seconds: float
    queries: int
    line_inserts: int = 0
    """`INSERT INTO ordering_orderline` statements: Django sends SQLite at most 999
    parameters a statement, so `bulk_create` writes 500 order lines in 9 of them."""
    mail_seconds: float = 0.0
    mail_queries: int = 0


@dataclass
class Mailbox:
    """Times the order confirmation (run on commit, inside `order_place`) apart."""

    seconds: float = 0.0
    queries: int = 0
    captured: list = field(default_factory=list)

    def install(self) -> None:
        from django.db import connection

        from comptoir.ordering import notifications

        send = notifications.order_placed

        def order_placed(order_id):
            before = len(connection.queries)
            start = time.perf_counter()
            try:
                return send(order_id)
            finally:
                self.seconds = time.perf_counter() - start
                self.queries = len(connection.queries) - before

        notifications.order_placed = order_placed


def timed(call, mailbox: Mailbox | None = None) -> tuple[object, Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sql = []

    def wrapper(execute, statement, params, many, context):
        start = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql.append(time.perf_counter() - start)

    if mailbox is not None:
        mailbox.seconds, mailbox.queries = 0.0, 0
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper):
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
    inserts = sum(
        query["sql"].startswith('INSERT INTO "ordering_orderline"')
        for query in captured.captured_queries
    )
    timing = Timing(elapsed, sum(sql), len(captured), inserts)
    if mailbox is not None:
        timing.mail_seconds, timing.mail_queries = mailbox.seconds, mailbox.queries
    return result, timing


def quote_once():
    from comptoir.ordering.quotes import quote_cart
    from comptoir.ordering.services import cart_items

    buyer = viewer()
    return timed(lambda: quote_cart(buyer, cart_items(buyer.user)))


def place_once(rows, key: str, mailbox: Mailbox):
    from comptoir.ordering.placement import CheckoutRequest, order_place

    fill_cart(rows)
    buyer = viewer()
    request = CheckoutRequest(**CHECKOUT)
    return timed(lambda: order_place(viewer=buyer, request=request, key=key), mailbox)


@dataclass
class SizeResult:
    lines: int
    quote: list[Timing]
    place: list[Timing]
    order_total: Decimal
    quote_total: Decimal

    @staticmethod
    def median(timings: list[Timing], name: str) -> float:
        return statistics.median(getattr(t, name) for t in timings) * 1000


def measure(lines: int, runs: int, mailbox: Mailbox) -> SizeResult:
    from comptoir.catalog.models import Product

    rows = cart_rows(lines)
    fill_cart(rows)
    quote_once()  # warm-up
    quotes = []
    for _ in range(runs):
        quote, timing = quote_once()
        quotes.append(timing)
    if not quote.can_checkout or quote.line_count != lines:
        sys.exit(f"{lines} lines: the cart cannot be checked out: {quote.violations}")
    watched = Product.objects.get(sku=rows[-1][1])
    places = []
    for run in range(runs):
        placement, timing = place_once(rows, f"bench-{lines}-{run}-{time.time_ns()}", mailbox)
        places.append(timing)
        if not placement.created or placement.order.lines.count() != lines:
            sys.exit(f"{lines} lines: the order was not placed whole")
    stock = Product.objects.get(pk=watched.pk).stock
    expected = watched.stock if watched.backorder else watched.stock - runs * rows[-1][2]
    if stock != max(expected, 0):
        sys.exit(f"{lines} lines: stock of {watched.sku} is {stock}, expected {expected}")
    return SizeResult(lines, quotes, places, placement.order.total, quote.total)


def cpu_reference() -> float:
    """Milliseconds for a million additions in a Python loop (best of 5): how fast the
    machine was at the time of the run."""
    return min(timeit.repeat("for i in range(1_000_000): x = i + 1", number=1, repeat=5)) * 1000


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


def report(database: Database, results: list[SizeResult], runs: int, notes: dict) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print()
    print(
        f"{server_version()}, {os.cpu_count()} CPUs (load average {load}), "
        f"Python {sys.version.split()[0]}, CPU reference {cpu_reference():.0f} ms"
    )
    for name, value in notes.items():
        print(f"{name}: {value}")

    def ms(value: float) -> str:
        return f"{value:,.1f} ms"

    rows = [
        ("cart lines", *(f"{r.lines:,}" for r in results)),
        ("quote_cart + cart_items: queries", *(str(r.quote[-1].queries) for r in results)),
        (
            f"quote_cart + cart_items: median of {runs}",
            *(ms(r.median(r.quote, "seconds")) for r in results),
        ),
        ("  of which SQL", *(ms(r.median(r.quote, "sql_seconds")) for r in results)),
        (
            "order_place: queries (of which e-mail)",
            *(f"{r.place[-1].queries} ({r.place[-1].mail_queries})" for r in results),
        ),
        ("  of which INSERTs of order lines", *(str(r.place[-1].line_inserts) for r in results)),
        (f"order_place: median of {runs}", *(ms(r.median(r.place, "seconds")) for r in results)),
        ("  of which SQL", *(ms(r.median(r.place, "sql_seconds")) for r in results)),
        (
            "  of which confirmation e-mail",
            *(ms(r.median(r.place, "mail_seconds")) for r in results),
        ),
        (
            "order_place: fastest / slowest",
            *(
                f"{min(t.seconds for t in r.place) * 1000:,.0f} / "
                f"{max(t.seconds for t in r.place) * 1000:,.0f} ms"
                for r in results
            ),
        ),
        ("order total (= quote total)", *(f"{r.order_total}" for r in results)),
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
    for r in results:
        if r.order_total != r.quote_total:
            print(f"WARNING: {r.lines} lines: order total {r.order_total} != quote {r.quote_total}")

    largest = max(results, key=lambda r: r.lines)
    place_ms = largest.median(largest.place, "seconds")
    print()
    print("targets:")
    for name, label in (("quote", "quote_cart"), ("place", "order_place")):
        timings = [getattr(r, name)[-1] for r in results]
        counts = [t.queries for t in timings]
        # the statements SQLite needs beyond the first to insert the order lines
        batches = [t.queries - max(t.line_inserts - 1, 0) for t in timings]
        if len(set(counts)) == 1:
            verdict = "met"
        elif len(set(batches)) == 1:
            verdict = (
                "MISSED only by the order-line INSERTs: Django sends at most 999 parameters "
                "a statement to SQLite, so bulk_create takes one INSERT per 58 lines"
            )
        else:
            verdict = "MISSED"
        print(
            f"  {label}: queries independent of the line count: "
            f"{' / '.join(map(str, counts))} -> {verdict}"
        )
    verdict = "met" if place_ms < 1000 else "MISSED"
    print(
        f"  {largest.lines}-line order placed in under 1 s (PostgreSQL): {place_ms:,.0f} ms -> "
        f"{verdict}" + ("" if database.kind == "postgres" else " (this is SQLite)")
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{DEFAULT_SQLITE}",
        help="fresh database; a postgres:// one is dropped and created with psql "
        f"(default sqlite:///{DEFAULT_SQLITE})",
    )
    parser.add_argument("--products", type=int, default=600)
    parser.add_argument(
        "--lines",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 50, 500],
        help="cart sizes, comma-separated (default 1,50,500)",
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs per size (median)")
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    args = parser.parse_args(argv)
    if max(args.lines) > min(args.products, 1000):
        parser.error("a cart has at most 1,000 lines and no more lines than products")
    os.environ.setdefault("SECRET_KEY", "bench-checkout-not-secret")

    database = Database(args.database_url)
    notes = {}
    print(f"fresh database {database.url}", flush=True)
    database.recreate()
    notes["migrate"] = f"{migrate(database):.1f} s"
    setup_django(database.url)
    start = time.monotonic()
    counts = populate(args.products)
    vacuum_analyze()
    notes["generated"] = (
        f"{counts['products']:,} products, {counts['lists']} price lists, "
        f"{counts['entries']:,} entries in {time.monotonic() - start:.1f} s"
    )
    print(notes["generated"], flush=True)

    mailbox = Mailbox()
    mailbox.install()
    # The first order of the year creates the order counter: not part of the measure.
    place_once(cart_rows(1), "bench-warm-up", mailbox)
    results = []
    for lines in args.lines:
        results.append(measure(lines, args.runs, mailbox))
        last = results[-1]
        print(
            f"  {lines:>4} lines: quote {last.median(last.quote, 'seconds'):,.1f} ms, "
            f"place {last.median(last.place, 'seconds'):,.1f} ms",
            flush=True,
        )
    report(database, results, args.runs, notes)
    if not args.keep_database:
        from django.db import connections

        connections.close_all()
        database.drop()


if __name__ == "__main__":
    main()
