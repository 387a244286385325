"""CPU and queries per request of throughput.py's pages, in one process (issue 14).

Not a test. It serves the pages of bench/throughput.py through Django's test client, with
the production settings (`COMPTOIR_ENV=production`, a persistent connection) on the
database throughput.py prepares, and prints per page the worker's own CPU per request
(`time.process_time`, PostgreSQL's not counted) and the queries it ran. On a machine
shared with other work this is steadier than requests per second under gunicorn.

    .venv/bin/python bench/inprocess.py                     # 200 requests a page
    .venv/bin/python bench/inprocess.py --profile listing   # and cProfile of one page
    .venv/bin/python bench/inprocess.py --profile listing --cpu   # its CPU time, not wall

The database must exist (run bench/throughput.py once).
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import load  # noqa: E402
import pricing  # noqa: E402
from bundle_load import Database  # noqa: E402
from throughput import CATEGORY, DEFAULT_URL, SKU  # noqa: E402

PAGES = {
    "listing": ("/api/v1/products?page_size=50", True),
    "product": (f"/api/v1/products/{SKU}", True),
    "price": (f"/api/v1/products/{SKU}/price?qty=10", True),
    "category": (f"/c/{CATEGORY}/", False),
    "product_page": (f"/p/{SKU}/", False),
    "home": ("/", False),
    "healthz": ("/healthz", False),  # not a page of throughput.py: the fixed cost of a request
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--profile", choices=sorted(PAGES), help="cProfile this page")
    parser.add_argument("--only", choices=sorted(PAGES), nargs="+", help="measure these pages")
    parser.add_argument("--sort", default="tottime", help="cProfile sort (tottime, cumulative)")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="profile the process's CPU time rather than wall time (a loaded machine's waits)",
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="comptoir-inprocess-"))
    env = load.app_environment(
        argparse.Namespace(conn_max_age=60, redis_db=0), Database(args.database_url), workdir
    )
    del env["REDIS_URL"]
    env["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    load.manage(env, "collectstatic", "--noinput", "-v0")
    for key in [key for key in os.environ if key.startswith(("COMPTOIR_", "DATABASE_"))]:
        del os.environ[key]
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    buyer = {"HTTP_AUTHORIZATION": f"Bearer {pricing.TOKEN}"}
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def get(path: str, as_buyer: bool):
        response = client.get(path, **(buyer if as_buyer else {}))
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
        return response

    print(f"{'page':<14} {'queries':>7} {'CPU ms':>8}   load average {os.getloadavg()[0]:.1f}")
    for name, (path, as_buyer) in PAGES.items():
        if args.only and name not in args.only:
            continue
        for _ in range(5):
            get(path, as_buyer)
        queries.clear()
        with connection.execute_wrapper(count):
            get(path, as_buyer)
        per_request = len(queries)
        started = time.process_time()
        for _ in range(args.requests):
            get(path, as_buyer)
        cpu_ms = (time.process_time() - started) * 1000 / args.requests
        print(f"{name:<14} {per_request:>7} {cpu_ms:>8.2f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")

    if args.profile:
        path, as_buyer = PAGES[args.profile]
        profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            get(path, as_buyer)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
    subprocess.run(["rm", "-rf", str(workdir)], check=False)


if __name__ == "__main__":
    main()
