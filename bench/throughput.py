"""Throughput of Comptoir's pages against a bare Django floor, served side by side (issue 14).

Not a test (`make test` does not run it). It

1. prepares a PostgreSQL database with bench/load.py's store (bench/pricing.py's catalogue,
   30,000 products by default, plus buyers, stock and methods) when it is missing;
2. writes a bare Django 5.2 project (`startproject`, three views: 50 items as JSON, a
   400-byte page and a 50-row template) into a temporary folder;
3. serves both with gunicorn, 2 sync workers each, on 127.0.0.1 (Comptoir in the production
   profile of docs/deployment.md, as bench/load.py starts it);
4. runs wrk on each page, the floor page it is compared with right before it, and prints
   requests per second, the ratio to the floor and the targets of issue 14; with `--rounds`,
   the median of several such runs.

    .venv/bin/python bench/throughput.py                      # 10 s per page, CONN_MAX_AGE=60
    .venv/bin/python bench/throughput.py --conn-max-age 0 --duration 5
    .venv/bin/python bench/throughput.py --rounds 3 --duration 5 --only listing product
    # A/B: another checkout served beside this one, the pages of both interleaved
    .venv/bin/python bench/throughput.py --rounds 3 --against /tmp/before

A machine shared with other work makes absolute figures noisy; the ratio to the floor
measured the moment before is what the targets are about. See bench/README.md ("Throughput").
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import load  # noqa: E402  (bench/load.py: the prepared store, the production environment)
import pricing  # noqa: E402  (bench/pricing.py: the buyer's token)
from bundle_load import Database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/comptoir_perf_bench"
SKU = "SKU-0000042"
CATEGORY = "cat-010"

FLOOR_VIEWS = """
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

ITEMS = [
    {"sku": f"SKU-{n:07d}", "name": f"Product {n}", "unit": "piece",
     "price": {"unit": f"{n}.50", "currency": "EUR"}, "stock": n * 3}
    for n in range(50)
]
PAGE = "<!doctype html><title>Floor</title><p>" + "x" * 360 + "</p>"
ROWS = [
    {"sku": item["sku"], "name": item["name"], "price": item["price"]["unit"]} for item in ITEMS
]


def items(request):
    return HttpResponse(json.dumps({"count": 50, "items": ITEMS}), content_type="application/json")


def page(request):
    return HttpResponse(PAGE)


def table(request):
    return render(request, "rows.html", {"rows": ROWS})


urlpatterns = [path("json/", items), path("page/", page), path("template/", table)]
"""

FLOOR_TEMPLATE = """<!doctype html><html lang="en">
<head><title>{{ rows|length }} rows</title></head><body><table>{% for row in rows %}
<tr><td>{{ row.sku }}</td><td>{{ row.name }}</td><td>{{ row.price }}</td></tr>{% endfor %}
</table></body></html>
"""


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    floor: str  # the floor path it is compared with
    target: float
    buyer: bool = False


PAGES = (
    Page(
        "GET /api/v1/products?page_size=50 (buyer)",
        "/api/v1/products?page_size=50",
        "json",
        0.3,
        True,
    ),
    Page(f"GET /api/v1/products/{SKU} (buyer)", f"/api/v1/products/{SKU}", "page", 0.2, True),
    Page(
        f"GET /api/v1/products/{SKU}/price?qty=10 (buyer)",
        f"/api/v1/products/{SKU}/price?qty=10",
        "page",
        0.2,
        True,
    ),
    Page(f"/c/{CATEGORY}/ (24 products, guest)", f"/c/{CATEGORY}/", "template", 0.5),
    Page(f"/p/{SKU}/ (guest)", f"/p/{SKU}/", "page", 0.15),
    Page("/ (guest)", "/", "page", 0.3),
)
FLOOR_LABELS = {"json": "50 items as JSON", "page": "400-byte page", "template": "50-row template"}


def write_floor(workdir: Path) -> Path:
    """A bare `startproject` with three views; returns the folder to run gunicorn in."""
    folder = workdir / "floor"
    folder.mkdir()
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run([str(django_admin), "startproject", "floorsite", str(folder)], check=True)
    (folder / "floorsite" / "urls.py").write_text(FLOOR_VIEWS)
    templates = folder / "templates"
    templates.mkdir()
    (templates / "rows.html").write_text(FLOOR_TEMPLATE)
    settings = folder / "floorsite" / "settings.py"
    text = settings.read_text()
    text = text.replace("DEBUG = True", "DEBUG = False")
    text = text.replace("ALLOWED_HOSTS = []", 'ALLOWED_HOSTS = ["127.0.0.1"]')
    text = text.replace("'DIRS': [],", "'DIRS': [BASE_DIR / 'templates'],")
    if "BASE_DIR / 'templates'" not in text:
        sys.exit("the floor's settings.py has no 'DIRS': [] to fill in")
    settings.write_text(text)
    return folder


def start_gunicorn(cwd: Path, module: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    argv = [str(gunicorn), module, "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    argv += ["--timeout", "30", "--max-requests", "0"]
    with open(log, "w") as handle:
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url}: the server exited; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"no answer from {url} within {timeout:.0f} s; see {log}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def workers_cpu(master: subprocess.Popen) -> float:
    """CPU seconds used so far by a gunicorn master's workers (user + system)."""
    ticks = 0
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> dict[str, float]:
    """CPU seconds used so far by each of the PostgreSQL server's processes on this machine
    (the database is on the same host): what a request costs the server, beside the workers."""
    ticks = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if not Path(f"/proc/{pid}/comm").read_text().startswith("postgres"):
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        ticks[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return ticks


def postgres_cpu_since(before: dict[str, float]) -> float:
    """The server's CPU seconds since `before`: of the processes alive now (a backend that
    ended meanwhile took its figures with it)."""
    return sum(max(0.0, spent - before.get(pid, 0.0)) for pid, spent in postgres_cpu().items())


@dataclass
class WrkResult:
    rate: float
    latency_ms: float
    requests: int
    errors: int
    cpu_ms: float = 0.0  # the server's workers' CPU per request: steadier than req/s when
    # other work shares the machine
    postgres_ms: float = 0.0  # PostgreSQL's CPU per request


def wrk(
    url: str, seconds: int, headers: dict[str, str], server: subprocess.Popen | None = None
) -> WrkResult:
    """`wrk -t2 -c8` on one URL: requests/s, mean latency and errors (socket and non-2xx/3xx),
    and the CPU the server's workers spent per request."""
    argv = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    cpu_before = workers_cpu(server) if server else 0.0
    postgres_before = postgres_cpu()
    output = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    cpu = workers_cpu(server) - cpu_before if server else 0.0
    postgres = postgres_cpu_since(postgres_before)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    cpu_ms = cpu * 1000 / requests if requests else 0.0
    postgres_ms = postgres * 1000 / requests if requests else 0.0
    return WrkResult(rate, float(latency.group(1)) * scale, requests, errors, cpu_ms, postgres_ms)


def check_answers(base: str, headers: dict[str, str]) -> None:
    """Each page answers 200 before it is measured (and the buyer gets its prices)."""
    for page in PAGES:
        request = urllib.request.Request(base + page.path, headers=headers if page.buyer else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.status != 200:
                sys.exit(f"{page.path}: HTTP {response.status}")
        if page.path.startswith("/api/v1/products?"):
            items = json.loads(body)["items"]
            if len(items) != 50 or items[0]["price"] is None:
                sys.exit(f"{page.path}: expected 50 priced items")


PAGE_KEYS = ("listing", "product", "price", "category", "product_page", "home")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--products", type=int, default=30_000, help="when preparing")
    parser.add_argument("--companies", type=int, default=1_000, help="when preparing")
    parser.add_argument("--prepare", action="store_true", help="rebuild the database first")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--rounds", type=int, default=1, help="runs of every page; medians")
    parser.add_argument("--only", nargs="+", choices=PAGE_KEYS, help="measure these pages")
    parser.add_argument(
        "--against", type=Path, help="another checkout (its .venv not needed), served as 'before'"
    )
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE of the app")
    parser.add_argument("--port", type=int, default=8200, help="the floor; Comptoir on +1, +2")
    parser.add_argument("--redis-db", type=int, default=None, help="Redis cache (default none)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql"):
        sys.exit("a postgres:// database URL is needed")
    pages = [p for key, p in zip(PAGE_KEYS, PAGES, strict=True) if key in (args.only or PAGE_KEYS)]

    database = Database(args.database_url)
    state = load.database_state(database, args.companies)
    if args.prepare or state != "ready":
        print(f"database {database.name}: {state}; preparing", flush=True)
        load.prepare(database, args)

    workdir = Path(tempfile.mkdtemp(prefix="comptoir-http-"))
    servers: list[subprocess.Popen] = []
    try:
        floor_dir = write_floor(workdir)
        floor_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        floor_env["PYTHONPATH"] = str(floor_dir)
        env = load.app_environment(
            argparse.Namespace(conn_max_age=args.conn_max_age, redis_db=args.redis_db or 0),
            database,
            workdir,
        )
        if args.redis_db is None:
            del env["REDIS_URL"]
        else:
            load.flush_redis(args.redis_db)
        load.manage(env, "migrate", "--noinput")
        load.manage(env, "collectstatic", "--noinput", "-v0")
        floor_log = workdir / "floor.log"
        floor = start_gunicorn(
            floor_dir, "floorsite.wsgi:application", args.port, floor_env, floor_log
        )
        servers.append(floor)
        apps = {"after": ROOT} if args.against is None else {"before": args.against, "after": ROOT}
        started = {}
        for offset, (name, tree) in enumerate(apps.items(), start=1):
            log = workdir / f"{name}.log"
            app_env = dict(env, PYTHONPATH=str(tree))
            server = start_gunicorn(
                tree, "comptoir.wsgi:application", args.port + offset, app_env, log
            )
            servers.append(server)
            started[name] = (f"http://127.0.0.1:{args.port + offset}", server, log)
        floor_base = f"http://127.0.0.1:{args.port}"
        for path in FLOOR_LABELS:
            wait_for(f"{floor_base}/{path}/", floor, floor_log)
        buyer = {"Authorization": f"Bearer {pricing.TOKEN}"}
        for base, server, log in started.values():
            wait_for(f"{base}/healthz", server, log)
            check_answers(base, buyer)
            for page in pages:  # warm-up: every worker imports and fills its caches
                wrk(base + page.path, 1, buyer if page.buyer else {})
        for path in FLOOR_LABELS:
            wrk(f"{floor_base}/{path}/", 1, {})

        # results[name][page label]: one (result, floor result) per round
        results = {name: {page.label: [] for page in pages} for name in started}
        load_before = os.getloadavg()[0]
        for round_number in range(1, args.rounds + 1):
            for page in pages:
                for name, (base, server, _log) in started.items():
                    floor_result = wrk(f"{floor_base}/{page.floor}/", args.duration, {}, floor)
                    result = wrk(
                        base + page.path, args.duration, buyer if page.buyer else {}, server
                    )
                    results[name][page.label].append((result, floor_result))
                    print(
                        f"  round {round_number}, {name}, {page.label}: {result.rate:.0f} req/s "
                        f"against {floor_result.rate:.0f}",
                        flush=True,
                    )
        load_after = os.getloadavg()[0]
    finally:
        for server in reversed(servers):
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\nCONN_MAX_AGE={args.conn_max_age}, wrk -t2 -c8 -d{args.duration}s, "
        f"{args.rounds} round(s), load average {load_before:.1f} before, {load_after:.1f} after"
    )
    print("Each figure is the median over the rounds (range in brackets when more than one).\n")
    figures = []
    for name in started:
        if len(started) > 1:
            print(f"**{name}** ({apps[name]})\n")
        print(
            "| page | Comptoir req/s (mean ms) | floor req/s (same run) | ratio | target "
            "| CPU ms/request, Comptoir / floor | CPU ratio | PostgreSQL CPU ms/request | errors |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for page in pages:
            runs = results[name][page.label]
            ratios = [r.rate / f.rate for r, f in runs]
            cpu_ratios = [f.cpu_ms / r.cpu_ms if r.cpu_ms else 0.0 for r, f in runs]
            ratio = median(ratios)
            spread = f" ({min(ratios):.3f}–{max(ratios):.3f})" if len(runs) > 1 else ""
            verdict = "met" if ratio >= page.target else "missed"
            rate = median([r.rate for r, _f in runs])
            floor_rate = median([f.rate for _r, f in runs])
            latency = median([r.latency_ms for r, _f in runs])
            cpu = median([r.cpu_ms for r, _f in runs])
            floor_cpu = median([f.cpu_ms for _r, f in runs])
            postgres = median([r.postgres_ms for r, _f in runs])
            errors = sum(r.errors + f.errors for r, f in runs)
            print(
                f"| `{page.label}` | {rate:,.0f} ({latency:.1f}) "
                f"| {FLOOR_LABELS[page.floor]}: {floor_rate:,.0f} | {ratio:.3f}{spread} "
                f"| ≥ {page.target} {verdict} | {cpu:.2f} / {floor_cpu:.2f} "
                f"| {median(cpu_ratios):.3f} | {postgres:.3f} | {errors} |"
            )
            figures.append(
                {
                    "app": name,
                    "page": page.label,
                    "ratios": ratios,
                    "ratio": ratio,
                    "cpu_ratios": cpu_ratios,
                    "rate": rate,
                    "floor": floor_rate,
                    "cpu_ms": cpu,
                    "floor_cpu_ms": floor_cpu,
                    "postgres_ms": postgres,
                    "errors": errors,
                }
            )
        print()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
