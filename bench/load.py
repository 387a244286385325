"""Load test (issue 9, point 3): gunicorn instances on loopback ports, locust users against them.

Not a test (`make test` does not run it). It

1. prepares a PostgreSQL database with bench/pricing.py's catalogue (100,000 products, 1,000
   companies, 10 groups, 251 price lists) plus what buying needs: a buyer per company whose
   password is known (`buyer@co00042.example` / `bench-load-password`), an address `HQ` per
   company, shipping methods STD and EXPRESS, payment methods TRANSFER and PO, French VAT,
   and 10,000,000 units of every product in stock. Only with `--prepare` or when the database
   is missing or not prepared: it takes minutes;
2. starts 1 or 2 app instances like `make serve` (gunicorn `comptoir.wsgi:application`,
   `--workers N`, COMPTOIR_ENV=production with a generated SECRET_KEY, collectstatic into a
   temporary STATIC_ROOT, Redis for cache and sessions in a database number of its own) on
   loopback ports, waits for `/healthz`, and stops them at the end;
3. runs locust headless in a subprocess (bench/load_users.py) with 50 users by default:
   buyers through the API (token, listing, product, price, cart, checkout), buyers through the
   storefront (login form, product and category pages) and visitors; with 2 instances the
   users are spread round-robin;
4. prints, for each scenario, per endpoint group and per endpoint: requests, throughput,
   p50/p95/p99 as the client saw them and as the server logged them, errors and expected
   business answers; the CPU each party used; the targets.

    .venv/bin/python bench/load.py                    # 1 then 2 instances, 50 users, 60 s each
    .venv/bin/python bench/load.py --prepare          # rebuild the database first
    .venv/bin/python bench/load.py --instances 2 --users 50 --run-time 120 --wait 0,0

See bench/README.md ("Load test") and docs/reliability.md.
"""

import argparse
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from argparse import Namespace
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import pricing  # noqa: E402  (bench/pricing.py: the catalogue generator)
from bundle_load import Database  # noqa: E402  (bench/bundle_load.py: fresh databases)

MANAGE = ROOT / "manage.py"
PASSWORD = "bench-load-password"  # of every buyer, buyer@co00000.example to buyer@co00999...
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/comptoir_bench_load"
STOCK = 10_000_000
TARGET_P95_MS = 250
TARGET_GROUPS = ("listing", "product page")
GROUP_ORDER = ("listing", "product page", "price", "cart", "checkout", "token", "login (form)")


# --------------------------------------------------------------------------- database


def psql_value(database: Database, sql: str, dbname: str | None = None) -> str | None:
    """One value from psql, or None when the query fails (no database, no table)."""
    parts = urlsplit(database.url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    argv = ["psql", "-X", "-At", "-d", dbname or database.name]
    argv += ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        argv += ["-U", unquote(parts.username)]
    result = subprocess.run([*argv, "-c", sql], capture_output=True, text=True, env=env)
    return result.stdout.strip() if result.returncode == 0 else None


def database_state(database: Database, companies: int) -> str:
    """`ready` when the database holds a prepared load-test store, else why not."""
    exists = psql_value(
        database, f"SELECT 1 FROM pg_database WHERE datname = '{database.name}'", "postgres"
    )
    if exists != "1":
        return "missing"
    buyers = psql_value(
        database,
        "SELECT count(*) FROM accounts_user u JOIN payments_shippingmethod s ON s.code = 'STD' "
        "WHERE u.email LIKE 'buyer@co%' AND u.password LIKE 'pbkdf2%'",
    )
    if buyers is None or int(buyers) < companies:
        return f"not prepared ({buyers or 0} buyers with a password)"
    return "ready"


def prepare(database: Database, args) -> None:
    """bench/pricing.py's catalogue, then buyers, addresses, methods, taxes and stock."""
    print(f"preparing {database.url} (drop, create, migrate, generate)", flush=True)
    started = time.monotonic()
    database.recreate()
    os.environ["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
    print(f"  migrate: {pricing.migrate(database):.1f} s", flush=True)
    pricing.setup_django(database.url, gc_freeze=False)
    generator = Namespace(
        products=args.products,
        companies=args.companies,
        groups=10,
        group_lists=50,
        group_list_products=2_000,
        company_lists=200,
        company_list_products=200,
    )
    step = time.monotonic()
    counts = pricing.populate(generator, random.Random(42))
    print(
        f"  bench/pricing.py generator: {counts['products']:,} products, "
        f"{counts['companies']:,} companies, {counts['groups']} groups, {counts['lists']} lists, "
        f"{counts['entries']:,} entries in {time.monotonic() - step:.0f} s",
        flush=True,
    )
    step = time.monotonic()
    extras = add_buying(args.companies)
    print(f"  buying set-up: {extras} in {time.monotonic() - step:.0f} s", flush=True)
    step = time.monotonic()
    pricing.vacuum_analyze()
    print(f"  VACUUM ANALYZE: {time.monotonic() - step:.0f} s", flush=True)
    from django.db import connections

    connections.close_all()
    print(f"prepared in {time.monotonic() - started:.0f} s", flush=True)


def add_buying(companies: int) -> str:
    """What bench/pricing.py does not make: what a buyer needs to log in and to order."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from comptoir.accounts.models import User
    from comptoir.catalog.models import Product, TaxClass
    from comptoir.customers.models import Address, Company
    from comptoir.payments.models import PaymentMethod, PaymentType, ShippingMethod
    from comptoir.tax.models import TaxRate

    hashed = make_password(PASSWORD)  # one hash for all: 1,000 would take minutes of PBKDF2
    with transaction.atomic():
        stocked = Product.objects.update(stock=STOCK, backorder=False)
        User.objects.filter(email__startswith="buyer@co").update(password=hashed)
        have = set(User.objects.values_list("company_id", flat=True))
        all_companies = list(Company.objects.order_by("code"))
        User.objects.bulk_create(
            User(email=f"buyer@{c.code.lower()}.example", company=c, role="admin", password=hashed)
            for c in all_companies
            if c.pk not in have
        )
        Address.objects.bulk_create(
            Address(
                company=c,
                code="HQ",
                position=0,
                line1=f"{n + 1} rue de l'Industrie",
                city="Lyon",
                postal_code="69007",
                country="FR",
            )
            for n, c in enumerate(all_companies)
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
    buyers = User.objects.filter(email__startswith="buyer@co").count()
    if buyers < companies:
        sys.exit(f"only {buyers} buyers for {companies} companies")
    return (
        f"{buyers:,} buyers, {len(all_companies):,} addresses, {stocked:,} products with "
        f"{STOCK:,} units, 2 shipping and 2 payment methods, 2 tax rates"
    )


# --------------------------------------------------------------------------- instances


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(args, database: Database, workdir: Path) -> dict[str, str]:
    """The production profile of docs/deployment.md, on loopback and without TLS."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "COMPTOIR_", "DATABASE_", "REDIS_", "TEST_DATABASE"))
    }
    env |= {
        "PYTHONPATH": str(ROOT),
        "COMPTOIR_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "COMPTOIR_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": database.url,
        "CONN_MAX_AGE": str(args.conn_max_age),
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "AXES_FAILURE_LIMIT": "1000000",
        "TOKEN_REQUESTS_PER_MINUTE": "1000000",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "INFO",
    }
    return env


def manage(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(
        [sys.executable, str(MANAGE), *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


@dataclass
class Instance:
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str], workers: int) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        argv = [str(gunicorn), "comptoir.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        argv += ["--workers", str(workers), "--timeout", "30", "--graceful-timeout", "20"]
        argv += ["--max-requests", "2000", "--max-requests-jitter", "200"]
        argv += ["--access-logfile", "-"]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_healthy(self, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn on port {self.port} exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    return json.loads(response.read())
            except OSError:
                time.sleep(0.5)
        sys.exit(f"no /healthz from port {self.port} within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def warm_up(instances: list[Instance], workers: int) -> None:
    """A few pages per worker first, so the measured window does not time first imports."""
    for instance in instances:
        for path in ("/api/v1/products?page_size=50", "/p/SKU-0000001/", "/c/cat-010/"):
            for _ in range(workers * 2):
                with urllib.request.urlopen(instance.url + path, timeout=30) as response:
                    response.read()


# --------------------------------------------------------------------------- scenario


@dataclass
class Scenario:
    instances: int
    users: int
    window: float = 0.0
    samples: list = field(default_factory=list)  # in the measured window
    ramp: list = field(default_factory=list)  # before it: logins of the users starting
    server: dict = field(default_factory=dict)  # request id -> server duration (ms)
    cpu: dict = field(default_factory=dict)
    user_mix: dict = field(default_factory=dict)
    ready_after: float = 0.0
    server_errors: list = field(default_factory=list)
    health: list = field(default_factory=list)
    wall: float = 0.0


def wait_for_quiet(max_load: float, patience: float) -> None:
    """On a shared machine: wait (at most `patience` s) for the 1-minute load average to drop
    under `max_load` before a scenario, and say how it went."""
    if not max_load:
        return
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        time.sleep(10)
    load = os.getloadavg()[0]
    verdict = "under" if load < max_load else "still over, going on"
    print(f"load average {load:.1f} ({verdict} {max_load:.1f})", flush=True)


def run_scenario(args, database: Database, n_instances: int, workdir: Path) -> Scenario:
    wait_for_quiet(args.max_load, args.patience)
    # The checkouts of the previous scenario updated stock rows all over the product table,
    # which takes pages out of the visibility map: the listing's index-only count then reads
    # the heap again (bench/README.md, "Load test"). Every scenario starts as autovacuum
    # leaves the tables (this machine's PostgreSQL runs with autovacuum off).
    if psql_value(database, "VACUUM ANALYZE") is None:
        sys.exit("VACUUM ANALYZE failed")
    env = app_environment(args, database, workdir)
    scenario = Scenario(n_instances, args.users)
    flush_redis(args.redis_db)
    instances = [
        Instance(free_port(), workdir / f"instance-{n_instances}-{k + 1}.log")
        for k in range(n_instances)
    ]
    started = time.monotonic()
    try:
        for instance in instances:
            instance.start(env, args.workers)
        scenario.health = [instance.wait_healthy() for instance in instances]
        warm_up(instances, args.workers)
        out = workdir / f"samples-{n_instances}.json"
        argv = [sys.executable, str(BENCH / "load_users.py")]
        argv += ["--hosts", ",".join(instance.url for instance in instances)]
        argv += ["--users", str(args.users), "--spawn-rate", str(args.spawn_rate)]
        argv += ["--run-time", str(args.run_time), "--wait", args.wait]
        argv += ["--products", str(args.products), "--companies", str(args.companies)]
        argv += ["--seed", str(n_instances), "--password", PASSWORD, "--out", str(out)]
        for instance in instances:
            argv += ["--watch-pid", str(instance.process.pid)]
        print(
            f"[{n_instances} instance(s)] {args.users} users on "
            + ", ".join(i.url for i in instances)
            + f" (gunicorn --workers {args.workers} each)",
            flush=True,
        )
        locust_log = workdir / f"locust-{n_instances}.log"
        with open(locust_log, "w") as log:
            bound = args.users / args.spawn_rate + args.run_time + 300
            result = subprocess.run(
                argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=bound
            )
        if result.returncode:
            sys.exit(f"locust failed ({result.returncode}); see {locust_log}")
        data = json.loads(out.read_text())
    finally:
        for instance in instances:
            instance.stop()
    scenario.wall = time.monotonic() - started
    start, end = data["window"]
    scenario.window = end - start
    scenario.user_mix = data["users"]
    scenario.ready_after = data["ready after"] or 0.0
    for sample in data["samples"]:
        if sample[0] < start:
            scenario.ramp.append(sample)
        elif sample[0] < end:
            scenario.samples.append(sample)
    cpu_start, cpu_end = data["cpu"]
    scenario.cpu = {key: cpu_end[key] - cpu_start[key] for key in cpu_end}
    scenario.cpu["gunicorn"] = sum(
        value for key, value in scenario.cpu.items() if key.startswith("pid ")
    )
    for instance in instances:
        read_server_log(instance.log, scenario)
    return scenario


def read_server_log(path: Path, scenario: Scenario) -> None:
    """Server-side durations by request id (locust sends them), and every 5xx or traceback."""
    for line in path.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            if "Traceback" in line or "[CRITICAL]" in line or "WORKER TIMEOUT" in line:
                scenario.server_errors.append(line[:300])
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "comptoir.request":
            scenario.server[entry.get("request_id")] = entry.get("duration_ms")
            if (entry.get("status") or 0) >= 500:
                scenario.server_errors.append(line[:300])
        elif entry.get("level") in ("ERROR", "CRITICAL"):
            scenario.server_errors.append(line[:300])


# --------------------------------------------------------------------------- report


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def stats_row(label: str, samples: list, server: dict, seconds: float) -> list[str]:
    times = [s[3] for s in samples]
    errors = sum(1 for s in samples if s[5] == "error")
    business = sum(1 for s in samples if s[5] == "business")
    served = [server[s[7]] for s in samples if len(s) > 7 and server.get(s[7]) is not None]
    rate = f"{100 * errors / len(samples):.2f} %" if samples else "-"
    return [
        label,
        f"{len(samples):,}",
        f"{len(samples) / seconds:.1f}",
        f"{percentile(times, 50):.0f}",
        f"{percentile(times, 95):.0f}",
        f"{percentile(times, 99):.0f}",
        f"{max(times):.0f}" if times else "-",
        f"{percentile(served, 50):.0f} / {percentile(served, 95):.0f}" if served else "-",
        str(errors),
        rate,
        str(business),
    ]


HEADER = [
    "",
    "requests",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "server p50/p95",
    "errors",
    "error rate",
    "422 rule",
]


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in rows
    )


def report(scenario: Scenario, args) -> dict:
    samples, seconds = scenario.samples, scenario.window
    by_group, by_name = defaultdict(list), defaultdict(list)
    for sample in samples:
        by_group[sample[2]].append(sample)
        by_name[(sample[2], sample[1])].append(sample)
    print()
    mix = ", ".join(f"{count} {name}" for name, count in sorted(scenario.user_mix.items()))
    print(
        f"=== {scenario.instances} instance(s) x gunicorn --workers {args.workers}, "
        f"{scenario.users} users ({mix}), think time {args.wait} s, "
        f"measured {seconds:.0f} s after the ramp"
    )
    rows = [HEADER]
    for group in sorted(by_group, key=lambda g: GROUP_ORDER.index(g)):
        rows.append(stats_row(group, by_group[group], scenario.server, seconds))
    rows.append(stats_row("overall", samples, scenario.server, seconds))
    print(table(rows))
    print()
    rows = [["endpoint", *HEADER[1:]]]
    for group, name in sorted(by_name, key=lambda k: (GROUP_ORDER.index(k[0]), k[1])):
        rows.append(stats_row(f"  {name}", by_name[(group, name)], scenario.server, seconds))
    print(table(rows))
    ramp_errors = sum(1 for s in scenario.ramp if s[5] == "error")
    ramp_logins = [s for s in scenario.ramp if s[2] in ("token", "login (form)")]
    if scenario.ramp:
        times = [s[3] for s in ramp_logins]
        print(
            f"before the window: {len(scenario.ramp)} requests while the users started "
            f"({args.spawn_rate:g}/s) and logged in (all {scenario.ready_after:.0f} s after "
            f"the start); {len(ramp_logins)} logins, p50 {percentile(times, 50):.0f} ms, "
            f"p95 {percentile(times, 95):.0f} ms, max {max(times or [0]):.0f} ms; "
            f"{ramp_errors} errors"
        )
    cpu = scenario.cpu
    total = cpu["machine total"] or 1
    busy = 100 * cpu["machine busy"] / total
    per_second = {key: value / seconds for key, value in cpu.items()} if seconds else cpu
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    ours = per_second["gunicorn"] + per_second["load generator"] + per_second["postgres"]
    others = per_second["machine busy"] - ours
    print(
        f"CPU over the window ({per_second['machine total']:.1f} cores): machine busy {busy:.0f} %;"
        f" cores used by gunicorn {per_second['gunicorn']:.2f}, by locust "
        f"{per_second['load generator']:.2f}, by PostgreSQL (all databases) "
        f"{per_second['postgres']:.2f}, by other processes {others:.2f}; "
        f"load average {load}"
    )
    print(
        f"CPU per request: gunicorn {1000 * cpu['gunicorn'] / max(1, len(samples)):.1f} ms, "
        f"PostgreSQL {1000 * cpu['postgres'] / max(1, len(samples)):.1f} ms, "
        f"locust {1000 * cpu['load generator'] / max(1, len(samples)):.1f} ms"
    )
    errors = [s for s in samples + scenario.ramp if s[5] == "error"]
    for sample in errors[:10]:
        print(f"  error: {sample[1]}: {sample[6]}")
    for line in scenario.server_errors[:10]:
        print(f"  server log: {line}")
    result = {"instances": scenario.instances, "errors": len(errors)}
    for group in TARGET_GROUPS:
        result[group] = percentile([s[3] for s in by_group.get(group, [])], 95)
    result["throughput"] = len(samples) / seconds if seconds else 0
    result["server errors"] = len(scenario.server_errors)
    return result


def verdict(results: list[dict]) -> None:
    print()
    print("targets (50 concurrent users, this 2-core machine, locust on the same cores):")
    for result in results:
        parts = [
            f"{group} p95 {result[group]:.0f} ms "
            + ("met" if result[group] < TARGET_P95_MS else "MISSED")
            for group in TARGET_GROUPS
        ]
        errors = result["errors"]
        parts.append(f"{errors} errors " + ("met" if errors == 0 else "MISSED"))
        print(f"  {result['instances']} instance(s): " + "; ".join(parts))


# --------------------------------------------------------------------------- main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument(
        "--prepare", action="store_true", help="drop, create and fill the database first"
    )
    parser.add_argument("--prepare-only", action="store_true", help="prepare, then stop")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument(
        "--instances", default="1,2", help="scenarios: instance counts, e.g. 1,2 (default) or 2"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second")
    parser.add_argument("--run-time", type=int, default=60, help="seconds measured per scenario")
    parser.add_argument(
        "--wait", default="1,5", help="think time of each user between requests: MIN,MAX s"
    )
    parser.add_argument("--conn-max-age", type=int, default=0, help="CONN_MAX_AGE of the app")
    parser.add_argument("--redis-db", type=int, default=13, help="Redis database number (flushed)")
    parser.add_argument(
        "--max-load",
        type=float,
        default=0,
        help="before each scenario, wait for the 1-minute load average to drop under this",
    )
    parser.add_argument("--patience", type=float, default=600, help="seconds, for --max-load")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql"):
        sys.exit("a postgres:// database URL is needed")
    if args.users > args.companies:
        sys.exit("one company per user: --users cannot exceed --companies")

    database = Database(args.database_url)
    state = database_state(database, args.companies)
    if args.prepare or state != "ready":
        if not args.prepare:
            print(f"database {database.name}: {state}", flush=True)
        prepare(database, args)
    if args.prepare_only:
        return

    workdir = Path(tempfile.mkdtemp(prefix="comptoir-load-"))
    env = app_environment(args, database, workdir)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v0")
    orders_before = psql_value(database, "SELECT count(*) FROM ordering_order")
    results = []
    try:
        for n in (int(value) for value in args.instances.split(",")):
            scenario = run_scenario(args, database, n, workdir)
            results.append(report(scenario, args))
    finally:
        if args.keep_logs:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    orders_after = psql_value(database, "SELECT count(*) FROM ordering_order")
    print(
        f"\norders in the database: {orders_before} before, {orders_after} after "
        f"(the confirmation tasks wait for a worker: none runs here)"
    )
    verdict(results)


if __name__ == "__main__":
    main()
