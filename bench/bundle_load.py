"""Benchmark of the store bundle loader (API.md §1: "100,000 products, 1,000 companies and
4 million price entries load in minutes with bounded memory").

Not a test: it generates a synthetic bundle, then times in subprocesses, against a fresh
database, `manage.py load_store FILE -v2`, a second load of the same file (the idempotent
reload) and `manage.py dump_store -o`, and prints a table of figures. See bench/README.md.

    .venv/bin/python bench/bundle_load.py --products 10000 --entries 400000
    .venv/bin/python bench/bundle_load.py \
        --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench
"""

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MANAGE = ROOT / "manage.py"
DEFAULT_SQLITE = "/tmp/comptoir-bench.sqlite3"
TIER_QUANTITIES = (1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
REGIONS_FR = ("IDF", "ARA", "NAQ", "OCC", "HDF", "GES", "PAC", "BRE")


# --------------------------------------------------------------------------- generation


def password_hash() -> str:
    """One Django hash for every user: hashing 1,000 passwords would measure PBKDF2, not us."""
    from django.conf import settings

    if not settings.configured:
        settings.configure()
    from django.contrib.auth.hashers import make_password

    return make_password("bench-password")


def fr_vat_number(n: int) -> str:
    """A valid French VAT number: FR + key + a SIREN whose last digit is its Luhn check."""
    body = f"{100_000_00 + n:08d}"
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    siren = int(body + str((10 - total % 10) % 10))
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren:09d}"


def tiers_per_product(args) -> int:
    if args.entries_per_product_per_list:
        return min(args.entries_per_product_per_list, len(TIER_QUANTITIES))
    per_list = args.entries / args.price_lists
    return max(1, min(len(TIER_QUANTITIES), round(per_list / args.products)))


def generate(args) -> dict[str, int]:
    """Writes the bundle item by item (never the whole dict in memory); returns its counts."""
    rng = random.Random(42)
    tiers = tiers_per_product(args)
    per_list = max(1, min(args.products, args.entries // args.price_lists // tiers))
    n_categories_top = 10
    n_categories = n_categories_top + min(200, max(1, args.products // 500))
    groups = [f"G{n:02d}" for n in range(1, 10)]
    lists = ["BASE"] + [f"PL{n:03d}" for n in range(1, args.price_lists)]
    sku = [f"SKU-{n:07d}" for n in range(args.products)]
    hashed = password_hash()
    counts = dict.fromkeys(("products", "price_lists", "entries", "companies"), 0)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", buffering=1 << 20) as out:

        def section(name, items, first=False):
            out.write(("{\n" if first else ",\n") + f' "{name}": [')
            for position, item in enumerate(items):
                out.write(("\n  " if position == 0 else ",\n  ") + item)
            out.write("\n ]")

        store = {
            "name": "Comptoir bench",
            "currency": "EUR",
            "country": "FR",
            "region": None,
            "access_mode": "public",
            "min_order_amount": "0.00",
            "default_group": "RETAIL",
            "base_price_list": "BASE",
            "time_zone": "Europe/Paris",
        }
        out.write('{\n "store": ' + json.dumps(store))
        out.write(',\n "tax_rates": ')
        out.write(
            json.dumps(
                [
                    {"country": "FR", "region": None, "tax_class": "standard", "rate": "20.00"},
                    {"country": "FR", "region": None, "tax_class": "reduced", "rate": "5.50"},
                    {"country": "FR", "region": None, "tax_class": "zero", "rate": "0.00"},
                ]
            )
        )

        def categories():
            for n in range(n_categories):
                parent = None if n < n_categories_top else f"cat-{n % n_categories_top:03d}"
                yield json.dumps(
                    {"code": f"cat-{n:03d}", "name": f"Category {n}", "parent": parent}
                )

        section("categories", categories())

        def group_items():
            yield json.dumps({"code": "RETAIL", "name": "Retail"})
            for n, code in enumerate(groups):
                group = {
                    "code": code,
                    "name": f"Group {code}",
                    "price_lists": [lists[1 + n % (len(lists) - 1)]] if len(lists) > 1 else [],
                    "min_order_amount": f"{100 * (n + 1)}.00",
                    "tax_exempt": False,
                    "catalog_categories": None,
                    "volume_discounts": [
                        {"min_total_qty": 500, "percent": "2"},
                        {"min_total_qty": 1000, "percent": "4"},
                    ],
                    "order_rules": [
                        {"sku": sku[(n * 7 + k) % len(sku)], "min_qty": 10, "qty_step": 10}
                        for k in range(5)
                    ],
                }
                yield json.dumps(group)

        section("groups", group_items())

        def products():
            for n, code in enumerate(sku):
                visibility = "groups" if n % 100 == 99 else "all"
                category = n_categories_top + n % (n_categories - n_categories_top)
                product = {
                    "sku": code,
                    "name": f"Product {n} — {rng.choice(('vis', 'écrou', 'rondelle', 'clou'))}",
                    "description": f"Synthetic product number {n} for the loader benchmark.",
                    "category": f"cat-{category:03d}",
                    "tax_class": "reduced" if n % 10 == 0 else "standard",
                    "unit": "box" if n % 2 else "piece",
                    "pack_size": (1, 10, 50, 100)[n % 4],
                    "stock": rng.randrange(0, 5000),
                    "backorder": n % 3 == 0,
                    "visibility": visibility,
                    "groups": [groups[n % len(groups)]] if visibility == "groups" else [],
                }
                counts["products"] += 1
                yield json.dumps(product, ensure_ascii=False)

        section("products", products())

        out.write(',\n "price_lists": [')
        for index, code in enumerate(lists):
            head = {
                "code": code,
                "name": f"Price list {code}",
                "currency": "EUR",
                "priority": index,
                "parent": "BASE" if index % 4 == 3 else None,
                "adjustment_percent": "-5" if index % 4 == 3 else None,
                "valid_from": None,
                "valid_until": None,
            }
            text = json.dumps(head)[:-1] + ', "entries": ['
            out.write(("\n  " if index == 0 else ",\n  ") + text)
            start = (index * per_list) % args.products
            first = True
            for k in range(per_list):
                n = (start + k) % args.products
                base = 100 + (n * 7919 + index * 104729) % 99_900  # cents, 1.00 to 999.99
                for tier in range(tiers):
                    cents = base * (100 - 3 * tier) // 100
                    out.write(
                        ("\n   " if first else ",\n   ")
                        + f'{{"sku": "{sku[n]}", "min_qty": {TIER_QUANTITIES[tier]}, '
                        f'"price": "{cents // 100}.{cents % 100:02d}"}}'
                    )
                    first = False
                    counts["entries"] += 1
            out.write("]}")
            counts["price_lists"] += 1
        out.write("\n ]")

        def companies():
            for n in range(args.companies):
                company = {
                    "code": f"CO{n:05d}",
                    "name": f"Company {n} SARL",
                    "group": groups[n % len(groups)] if n % 5 else None,
                    "status": "approved",
                    "country": "FR",
                    "region": REGIONS_FR[n % len(REGIONS_FR)],
                    "vat_number": fr_vat_number(n),
                    "pinned_group": False,
                    "price_lists": [lists[-1]] if n % 10 == 0 and len(lists) > 1 else [],
                    "credit_limit": "10000.00" if n % 2 else None,
                    "addresses": [
                        {
                            "code": "HQ",
                            "line1": f"{n % 200 + 1} rue de la Paix",
                            "city": "Paris",
                            "postal_code": f"75{n % 20 + 1:03d}",
                            "country": "FR",
                            "region": None,
                        }
                    ],
                    "tax_certificates": [],
                    "users": [
                        {
                            "email": f"buyer{n:05d}@co{n:05d}.example",
                            "password_hash": hashed,
                            "role": "admin",
                        }
                    ],
                }
                counts["companies"] += 1
                yield json.dumps(company)

        section("companies", companies())

        out.write(',\n "payment_methods": ')
        out.write(
            json.dumps(
                [
                    {"code": "CARD", "type": "card", "name": "Card"},
                    {"code": "INVOICE30", "type": "invoice", "name": "Invoice", "net_days": 30},
                ]
            )
        )
        out.write(',\n "shipping_methods": ')
        out.write(
            json.dumps(
                [{"code": "STD", "name": "Standard", "price": "15.00", "free_above": "1000.00"}]
            )
        )
        out.write("\n}\n")
    return counts


# --------------------------------------------------------------------------- databases


@dataclass
class Database:
    url: str
    kind: str = field(init=False)

    def __post_init__(self):
        scheme = urlsplit(self.url).scheme
        self.kind = "postgres" if scheme.startswith("postgres") else scheme

    def _psql(self, *commands: str) -> None:
        parts = urlsplit(self.url)
        env = dict(os.environ)
        if parts.password:
            env["PGPASSWORD"] = unquote(parts.password)
        argv = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"]
        argv += ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        if parts.username:
            argv += ["-U", unquote(parts.username)]
        for command in commands:
            argv += ["-c", command]
        subprocess.run(argv, check=True, env=env)

    @property
    def name(self) -> str:
        path = urlsplit(self.url).path
        return unquote(path.lstrip("/")) if self.kind == "postgres" else path

    def _sqlite_files(self):
        return [Path(self.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]

    def recreate(self) -> None:
        if self.kind == "postgres":
            self.drop()
            self._psql(f'CREATE DATABASE "{self.name}"')
        elif self.kind == "sqlite":
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)
        else:
            sys.exit(f"unsupported database URL {self.url!r}")

    def drop(self) -> None:
        if self.kind == "postgres":
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)

    def size_mb(self) -> float | None:
        if self.kind == "sqlite":
            return sum(p.stat().st_size for p in self._sqlite_files() if p.exists()) / 1e6
        parts = urlsplit(self.url)
        argv = ["psql", "-X", "-At", "-d", "postgres", "-h", parts.hostname or "127.0.0.1"]
        argv += ["-p", str(parts.port or 5432)]
        if parts.username:
            argv += ["-U", unquote(parts.username)]
        argv += ["-c", f"SELECT pg_database_size('{self.name}')"]
        result = subprocess.run(argv, capture_output=True, text=True)
        return int(result.stdout) / 1e6 if result.returncode == 0 else None


# --------------------------------------------------------------------------- runs


def migrate(database: Database) -> float:
    """`manage.py migrate` on the database, in a child process; its duration in seconds."""
    start = time.monotonic()
    env = dict(os.environ, DATABASE_URL=database.url)
    result = subprocess.run(
        [sys.executable, str(MANAGE), "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"migrate failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - start


@dataclass
class Run:
    seconds: float
    peak_mb: float
    lines: list[tuple[float, str]]


def run_manage(args, database, *argv, profile: str | None = None, echo=True) -> Run:
    """Runs manage.py in a subprocess; wall time and that child's own peak RSS (wait4)."""
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", profile]
    command += [str(MANAGE), *argv]
    env = dict(os.environ, DATABASE_URL=database.url, PYTHONUNBUFFERED="1")
    start = time.monotonic()
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    lines = []
    for line in child.stdout:
        elapsed = time.monotonic() - start
        lines.append((elapsed, line.rstrip("\n")))
        if echo:
            print(f"  [{elapsed:7.1f}s] {line.rstrip()}", flush=True)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        for _, line in lines[-30:]:
            print("  | " + line, file=sys.stderr)
        sys.exit(f"{' '.join(argv)} failed with exit code {child.returncode}")
    # Linux reports ru_maxrss in kilobytes. RUSAGE_CHILDREN would give the maximum over
    # every child waited for so far (migrate, the first load...), hence wait4 per child.
    return Run(seconds, usage.ru_maxrss / 1024, lines)


def phases(run: Run) -> list[tuple[str, float]]:
    """Splits a -v2 load by its progress messages: checking, products, price lists, the rest."""
    marks = {"check": 0.0}
    for elapsed, line in run.lines:
        if line.startswith("products:"):
            marks.setdefault("products", elapsed)
            marks["products_end"] = elapsed
        elif line.startswith("price lists:"):
            marks.setdefault("price_lists", elapsed)
            marks["price_lists_end"] = elapsed
    if "products" not in marks:
        return []
    # the first "products: N" is printed after the first chunk has been written
    check_end = marks["products"]
    products_end = marks["products_end"]
    lists_end = marks.get("price_lists_end", products_end)
    return [
        ("checking (first pass)", check_end),
        ("products", products_end - check_end),
        ("price lists + entries", lists_end - products_end),
        ("companies, m2m, rest, commit", run.seconds - lists_end),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument("--price-lists", type=int, default=20)
    parser.add_argument(
        "--entries",
        type=int,
        default=4_000_000,
        help="about this many price entries in all (default 4,000,000)",
    )
    parser.add_argument(
        "--entries-per-product-per-list",
        type=int,
        default=None,
        metavar="TIERS",
        help="quantity tiers per product in a list (default: entries / products / lists)",
    )
    parser.add_argument("--out", default="/tmp/comptoir-bench-bundle.json")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{DEFAULT_SQLITE}",
        help="fresh database to load into; a postgres:// one is dropped and created with psql "
        f"(default sqlite:///{DEFAULT_SQLITE})",
    )
    parser.add_argument("--reuse-bundle", action="store_true", help="keep an existing --out")
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument("--no-reload", action="store_true")
    parser.add_argument("--no-dump", action="store_true")
    parser.add_argument("--profile", metavar="FILE", help="run the first load under cProfile")
    parser.add_argument("--quiet", action="store_true", help="do not echo progress messages")
    args = parser.parse_args(argv)

    out = Path(args.out)
    if args.reuse_bundle and out.exists():
        print(f"reusing {out}")
        counts = None
    else:
        print(f"generating {out} ...", flush=True)
        start = time.monotonic()
        counts = generate(args)
        print(
            f"  {counts['products']} products, {counts['price_lists']} price lists, "
            f"{counts['entries']} entries, {counts['companies']} companies "
            f"in {time.monotonic() - start:.1f}s",
            flush=True,
        )
    size_mb = out.stat().st_size / 1e6

    database = Database(args.database_url)
    print(f"fresh database {database.url}", flush=True)
    database.recreate()
    migrate = run_manage(args, database, "migrate", "--noinput", echo=False)
    print(f"  migrated in {migrate.seconds:.1f}s", flush=True)

    print("load", flush=True)
    load = run_manage(
        args, database, "load_store", str(out), "-v2", profile=args.profile, echo=not args.quiet
    )
    db_size = database.size_mb()
    reload = dump = None
    if not args.no_reload:
        print("reload (same file)", flush=True)
        reload = run_manage(args, database, "load_store", str(out), "-v2", echo=not args.quiet)
    dump_path = out.with_name(out.stem + "-dump.json")
    if not args.no_dump:
        print(f"dump to {dump_path}", flush=True)
        dump = run_manage(args, database, "dump_store", "-o", str(dump_path), echo=not args.quiet)
    if not args.keep_database:
        database.drop()

    summary = next((line for _, line in reversed(load.lines) if line.startswith("Loaded")), "")
    if counts is None:  # --reuse-bundle: take the counts from the loader's summary
        found = dict(
            (name, int(number))
            for number, name in re.findall(r"(\d+) (products|price entries|companies)\b", summary)
        )
        counts = {name.replace("price entries", "entries"): n for name, n in found.items()}
    print()
    print(f"{database.kind}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    if summary:
        print(summary)
    rows = [
        ("bundle file", f"{size_mb:,.1f} MB"),
        ("products", f"{counts.get('products', 0):,}"),
        ("price entries", f"{counts.get('entries', 0):,}"),
        ("companies", f"{counts.get('companies', 0):,}"),
        ("load", f"{load.seconds:,.1f} s"),
    ]
    rows += [(f"  {name}", f"{seconds:,.1f} s") for name, seconds in phases(load)]
    rows.append(("load peak RSS", f"{load.peak_mb:,.0f} MB"))
    if db_size is not None:
        rows.append(("database size after load", f"{db_size:,.0f} MB"))
    if reload:
        rows.append(("reload (idempotent)", f"{reload.seconds:,.1f} s"))
        rows += [(f"  {name}", f"{seconds:,.1f} s") for name, seconds in phases(reload)]
        rows.append(("reload peak RSS", f"{reload.peak_mb:,.0f} MB"))
    if dump:
        rows.append(("dump_store -o", f"{dump.seconds:,.1f} s"))
        rows.append(("dump peak RSS", f"{dump.peak_mb:,.0f} MB"))
        rows.append(("dump file", f"{dump_path.stat().st_size / 1e6:,.1f} MB"))
    peak = max(run.peak_mb for run in (load, reload, dump) if run)
    rows.append(("peak memory (max of the runs)", f"{peak:,.0f} MB"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows.append(("(RUSAGE_CHILDREN ru_maxrss)", f"{children:,.0f} MB"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>12}")
    if args.profile:
        print(f"\nprofile of the first load: {args.profile}")


if __name__ == "__main__":
    main()
