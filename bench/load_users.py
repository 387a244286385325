"""The locust side of bench/load.py: simulated buyers and visitors, run headless in a process
of its own (locust patches the standard library with gevent when it is imported, so it never
shares a process with Django or the database set-up).

    .venv/bin/python bench/load_users.py --hosts http://127.0.0.1:18701 --users 50 \
        --run-time 60 --out /tmp/samples.json

It writes every request of the run to `--out` (JSON): the time, the endpoint, the group, the
latency, the status and whether it counts as a success, an expected business answer or an
error. bench/load.py reads the file and prints the tables. The CPU time of the processes given
with `--watch-pid` (and of their children) is sampled at the start and at the end of the
measured window.

Three kinds of users, spread over the hosts round-robin (user 1 on the first host, user 2 on
the second, ...), each buyer with a company of its own (user n logs in as the buyer of
company n-1, so no two users share a cart):

- ApiBuyer (3 in 5): logs in with `POST /api/v1/auth/token`, then browses the catalogue
  (listing pages, categories, searches), opens products, prices quantities, fills its cart
  (`PUT /api/v1/cart/lines/{sku}`, `POST /api/v1/cart/lines`) and checks out
  (`POST /api/v1/checkout` with an Idempotency-Key, now and then sent twice).
- WebBuyer (1 in 5): logs in through the storefront's login form (session cookie), opens
  product pages `/p/<sku>/`, category and search pages, and the API listing with its session.
- Visitor (1 in 5): no login (the store is public): product pages, category pages, the API
  listing and API product.
"""

import argparse
import itertools
import json
import os
import random
import sys
import time
import uuid

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

# --------------------------------------------------------------------------- the catalogue

# bench/pricing.py's catalogue: SKU-0000000 ... ; product n is sold by 12 when n % 50 == 7,
# by 6 to group 0 when n % 100 == 3, and visible to one group only when n % 100 == 99.
# The users pick among the others, so that any quantity keeps the order rules.
QUANTITIES = (1, 1, 2, 3, 5, 10, 12, 20, 24, 50, 100)
SEARCHES = ("vis", "écrou", "rondelle", "clou", "Product 12", "SKU-00042", "vis 77", "99")
EXPECTED_CODES = {"insufficient_stock", "order_below_minimum_amount"}

GROUPS = {
    "listing": "listing",
    "product": "product page",
    "price": "price",
    "cart": "cart",
    "checkout": "checkout",
    "token": "token",
    "login": "login (form)",
}


class Config:
    hosts: list[str] = []
    products = 100_000
    companies = 1_000
    seed = 1
    password = ""
    wait = (1.0, 5.0)
    samples: list[list] = []
    ready = 0  # users past their on_start (logged in)


USER_NUMBER = itertools.count()
REQUEST_NUMBER = itertools.count()


def plain_product(rng: random.Random) -> int:
    while True:
        n = rng.randrange(Config.products)
        if n % 100 not in (3, 99) and n % 50 != 7:
            return n


def sku(n: int) -> str:
    return f"SKU-{n:07d}"


def category_code(rng: random.Random) -> str:
    """A top category (10, ~10,000 products each) or a leaf (190, ~500 each)."""
    return (
        f"cat-{rng.randrange(10):03d}"
        if rng.random() < 0.3
        else f"cat-{rng.randrange(10, 200):03d}"
    )


def listing_page(rng: random.Random) -> int:
    """Most people look at the first pages; some jump far (about 2,000 pages of 50)."""
    roll = rng.random()
    if roll < 0.6:
        return rng.randint(1, 3)
    if roll < 0.85:
        return rng.randint(4, 20)
    return rng.randint(21, max(21, Config.products // 50 - 30))


def record(
    name: str, group: str, start: float, status: int, outcome: str, detail: str, request_id: str
):
    Config.samples.append(
        [
            round(start, 4),
            name,
            GROUPS[group],
            round((time.time() - start) * 1000, 2),
            status,
            outcome,
            detail[:300],
            request_id,
        ]
    )


class Base(FastHttpUser):
    abstract = True
    network_timeout = 30.0
    connection_timeout = 10.0

    def __init__(self, environment):
        number = next(USER_NUMBER)
        self.number = number
        self.host = Config.hosts[number % len(Config.hosts)]
        self.rng = random.Random(Config.seed * 100_003 + number)
        super().__init__(environment)

    def wait_time(self):
        return between(*Config.wait)(self)

    def call(
        self,
        method: str,
        url: str,
        name: str,
        group: str,
        *,
        expect: tuple[int, ...] = (200,),
        check=None,
        **kwargs,
    ):
        """One request, classified: `ok` (an expected status whose body passes `check`),
        `business` (422 with an expected rule code) or `error` (anything else)."""
        request_id = f"load-{Config.seed}-{self.number}-{next(REQUEST_NUMBER)}"
        kwargs["headers"] = {**kwargs.get("headers", {}), "X-Request-ID": request_id}
        start = time.time()
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as r:
            status = r.status_code or 0
            outcome, detail = "ok", ""
            if status in expect:
                problem = check(r) if check else None
                if problem:
                    outcome, detail = "error", problem
            elif status == 422 and _problem_code(r) in EXPECTED_CODES:
                outcome, detail = "business", _problem_code(r)
            else:
                outcome = "error"
                detail = f"{status} {(r.text or str(r.error or ''))[:200]}"
            if outcome == "error":
                r.failure(detail)
            else:
                r.success()
            record(name, group, start, status, outcome, detail, request_id)
            return r if outcome == "ok" else None


def _problem_code(response) -> str:
    try:
        return response.json().get("code", "")
    except Exception:
        return ""


def _json_check(keys: tuple[str, ...]):
    def check(response):
        try:
            body = response.json()
        except Exception:
            return "not JSON"
        missing = [key for key in keys if key not in body]
        return f"missing {missing}" if missing else None

    return check


def _priced_items(response):
    try:
        items = response.json()["items"]
    except Exception:
        return "not a listing"
    return "an item has no price" if any(item["price"] is None for item in items) else None


def _html_check(text: str):
    def check(response):
        return None if text in (response.text or "") else f"page lacks {text!r}"

    return check


class Browsing:
    """Tasks shared by every kind of user: the API listing and product."""

    def api_listing(self, priced: bool):
        roll = self.rng.random()
        params = {"page_size": 50}
        if roll < 0.55:
            name = "GET /api/v1/products?page"
            params["page"] = listing_page(self.rng)
        elif roll < 0.85:
            name = "GET /api/v1/products?category"
            params["category"] = category_code(self.rng)
            params["page"] = self.rng.choice((1, 1, 1, 2, 3))
        else:
            name = "GET /api/v1/products?search"
            params["search"] = self.rng.choice(SEARCHES)
        query = "&".join(f"{key}={value}" for key, value in params.items())
        self.call(
            "GET",
            f"/api/v1/products?{query}",
            name,
            "listing",
            headers=self.headers(),
            check=_priced_items if priced else _json_check(("items", "count")),
        )

    def api_product(self):
        self.call(
            "GET",
            f"/api/v1/products/{sku(plain_product(self.rng))}",
            "GET /api/v1/products/{sku}",
            "product",
            headers=self.headers(),
            check=_json_check(("sku", "price")),
        )

    def page_product(self):
        code = sku(plain_product(self.rng))
        self.call("GET", f"/p/{code}/", "GET /p/{sku}/", "product", check=_html_check(code))

    def page_category(self):
        self.call(
            "GET",
            f"/c/{category_code(self.rng)}/?page={self.rng.choice((1, 1, 2))}",
            "GET /c/{code}/",
            "listing",
            check=_html_check("</html>"),
        )

    def headers(self) -> dict:
        return {}


class ApiBuyer(Browsing, Base):
    """An API client of a company: bearer token, browsing, prices, cart and checkout."""

    weight = 3

    def on_start(self):
        self.company = self.number % Config.companies
        self.email = f"buyer@co{self.company:05d}.example"
        self.token = None
        self.lines = 0
        self.login()
        Config.ready += 1

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def login(self):
        r = self.call(
            "POST",
            "/api/v1/auth/token",
            "POST /api/v1/auth/token",
            "token",
            json={"email": self.email, "password": Config.password},
            check=_json_check(("token",)),
        )
        if r is not None:
            self.token = r.json()["token"]

    @task(1)
    def relogin(self):
        """A client that starts again: a new token now and then."""
        self.login()

    @task(30)
    def listing(self):
        self.api_listing(priced=True)

    @task(15)
    def product(self):
        self.api_product()

    @task(12)
    def price(self):
        qty = self.rng.choice(QUANTITIES)
        self.call(
            "GET",
            f"/api/v1/products/{sku(plain_product(self.rng))}/price?qty={qty}",
            "GET /api/v1/products/{sku}/price",
            "price",
            headers=self.headers(),
            check=_json_check(("unit_price", "explanation")),
        )

    @task(6)
    def put_line(self):
        r = self.call(
            "PUT",
            f"/api/v1/cart/lines/{sku(plain_product(self.rng))}",
            "PUT /api/v1/cart/lines/{sku}",
            "cart",
            headers=self.headers(),
            json={"qty": self.rng.choice(QUANTITIES)},
            check=_json_check(("lines",)),
        )
        if r is not None:
            self.lines = len(r.json()["lines"])

    @task(3)
    def post_lines(self):
        rows = [
            {"sku": sku(plain_product(self.rng)), "qty": self.rng.choice(QUANTITIES)}
            for _ in range(self.rng.randint(2, 8))
        ]
        r = self.call(
            "POST",
            "/api/v1/cart/lines",
            "POST /api/v1/cart/lines",
            "cart",
            headers=self.headers(),
            json={"lines": rows, "mode": "add"},
            check=_json_check(("rows", "cart")),
        )
        if r is not None:
            self.lines = len(r.json()["cart"]["lines"])

    @task(2)
    def get_cart(self):
        r = self.call(
            "GET",
            "/api/v1/cart",
            "GET /api/v1/cart",
            "cart",
            headers=self.headers(),
            check=_json_check(("lines",)),
        )
        if r is not None:
            self.lines = len(r.json()["lines"])

    @task(2)
    def checkout(self):
        if not self.lines:
            self.put_line()
            if not self.lines:
                return
        key = str(uuid.uuid4())
        body = {"shipping_address": "HQ", "shipping_method": "STD"}
        if self.rng.random() < 0.8:
            body["payment_method"] = "TRANSFER"
        else:
            body |= {"payment_method": "PO", "po_number": f"PO-{self.number}-{key[:8]}"}
        headers = self.headers() | {"Idempotency-Key": key}
        r = self.call(
            "POST",
            "/api/v1/checkout",
            "POST /api/v1/checkout",
            "checkout",
            expect=(201,),
            headers=headers,
            json=body,
            check=_json_check(("number",)),
        )
        if r is None:
            return
        self.lines = 0
        number = r.json()["number"]
        if self.rng.random() < 0.1:  # a client that did not get the answer sends it again
            self.call(
                "POST",
                "/api/v1/checkout",
                "POST /api/v1/checkout (same key)",
                "checkout",
                expect=(201,),
                headers=headers,
                json=body,
                check=lambda again: (
                    None
                    if again.json().get("number") == number
                    else f"replay gave {again.json().get('number')}, not {number}"
                ),
            )


class WebBuyer(Browsing, Base):
    """A buyer on the storefront, logged in through the login form (session)."""

    weight = 1

    def on_start(self):
        self.company = self.number % Config.companies
        self.call("GET", "/account/login/", "GET /account/login/", "login")
        csrf = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        self.call(
            "POST",
            "/account/login/",
            "POST /account/login/",
            "login",
            expect=(302,),
            data={
                "csrfmiddlewaretoken": csrf,
                "username": f"buyer@co{self.company:05d}.example",
                "password": Config.password,
            },
            headers={"Referer": f"{self.host}/account/login/"},
            allow_redirects=False,
        )
        Config.ready += 1

    @task(10)
    def product(self):
        self.page_product()

    @task(5)
    def category(self):
        self.page_category()

    @task(2)
    def search(self):
        term = self.rng.choice(SEARCHES)
        self.call(
            "GET", f"/search/?q={term}", "GET /search/?q=", "listing", check=_html_check("</html>")
        )

    @task(3)
    def listing(self):
        self.api_listing(priced=True)


class Visitor(Browsing, Base):
    """Someone who is not logged in: the store is public, prices included."""

    weight = 1

    def on_start(self):
        Config.ready += 1

    @task(10)
    def product(self):
        self.page_product()

    @task(3)
    def category(self):
        self.page_category()

    @task(5)
    def listing(self):
        self.api_listing(priced=True)

    @task(3)
    def api_product_task(self):
        self.api_product()


# --------------------------------------------------------------------------- CPU accounting


def cpu_seconds(pids: list[int]) -> dict[str, float]:
    """User + system CPU seconds of each process given and its children, of this process,
    of PostgreSQL (every backend, live or exited), and of the whole machine (busy and total,
    from /proc/stat)."""
    import psutil

    def tree(pid: int) -> float:
        try:
            root = psutil.Process(pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0.0
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    result = {f"pid {pid}": tree(pid) for pid in pids}
    me = psutil.Process().cpu_times()
    result["load generator"] = me.user + me.system
    postgres = 0.0
    for process in psutil.process_iter(["name", "ppid"]):
        if (process.info["name"] or "").startswith("postgres"):
            try:
                times = process.cpu_times()
                postgres += times.user + times.system
                if process.info["ppid"] == 1 or not _is_postgres(process.info["ppid"]):
                    # the postmaster: its backends that exited (one per request when
                    # CONN_MAX_AGE=0) are counted in its children's times
                    postgres += times.children_user + times.children_system
            except psutil.Error:
                pass
    result["postgres"] = postgres
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    result["machine busy"] = (sum(fields) - idle) / ticks
    result["machine total"] = sum(fields) / ticks
    return result


def _is_postgres(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).name().startswith("postgres")
    except psutil.Error:
        return False


# --------------------------------------------------------------------------- run


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", required=True, help="comma-separated base URLs")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=float, default=60, help="seconds, after the ramp")
    parser.add_argument(
        "--settle",
        type=float,
        default=5,
        help="seconds between the last user's start and the window",
    )
    parser.add_argument("--wait", default="1,5", help="think time MIN,MAX in seconds")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--password", required=True, help="of every buyer")
    parser.add_argument("--watch-pid", type=int, action="append", default=[])
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    Config.hosts = args.hosts.split(",")
    Config.products, Config.companies, Config.seed = args.products, args.companies, args.seed
    Config.password = args.password
    Config.wait = tuple(float(value) for value in args.wait.split(","))
    if any(not host.startswith(("http://127.", "http://localhost")) for host in Config.hosts):
        sys.exit("loopback hosts only")

    environment = Environment(user_classes=[ApiBuyer, WebBuyer, Visitor], events=events)
    runner = environment.create_local_runner()
    window = {}

    def on_spawning_complete(user_count):
        window["users"] = dict(runner.target_user_classes_count)
        gevent.spawn(settle, user_count)

    def settle(user_count):
        """Wait for every user to have logged in, then for the queue that the logins made
        (PBKDF2: a few hundred ms of CPU each) to drain, then measure."""
        deadline = time.time() + 120
        while Config.ready < user_count and time.time() < deadline:
            gevent.sleep(0.5)
        window["ready"] = time.time() - started
        print(
            f"{Config.ready} of {user_count} users logged in "
            f"{time.time() - started:.0f} s after the start; measuring in {args.settle:.0f} s",
            flush=True,
        )
        gevent.sleep(args.settle)
        begin()

    def begin():
        """The users started last have logged in by now: the measured window starts."""
        window["start"] = time.time()
        window["cpu start"] = cpu_seconds(args.watch_pid)
        print(f"measuring {args.run_time:.0f} s", flush=True)
        gevent.spawn_later(args.run_time, stop)

    def stop():
        window["end"] = time.time()
        window["cpu end"] = cpu_seconds(args.watch_pid)
        runner.quit()

    environment.events.spawning_complete.add_listener(on_spawning_complete)
    started = time.time()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    # a hard bound, whatever happens: ramp + run + 60 s
    bound = args.users / args.spawn_rate + 120 + args.settle + args.run_time + 60
    gevent.spawn_later(bound, runner.quit)
    runner.greenlet.join()
    if "end" not in window:
        sys.exit("the run did not complete")
    with open(args.out, "w") as out:
        json.dump(
            {
                "started": started,
                "window": [window["start"], window["end"]],
                "cpu": [window["cpu start"], window["cpu end"]],
                "users": window["users"],
                "ready after": window.get("ready"),
                "samples": Config.samples,
            },
            out,
        )


if __name__ == "__main__":
    main()
