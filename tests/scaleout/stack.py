"""A production-like Comptoir on this machine, for the scale-out test and the fault drills.

`Stack` runs what docs/deployment.md describes, each as a process of its own: gunicorn
instances (production settings, the same `SECRET_KEY`, one PostgreSQL database, one Redis)
and one task worker (`rqworker` for `TASKS_BACKEND=rq`, `db_worker` for `database`). It
makes the database afresh, migrates it and loads a small store bundle (`store_bundle`).
Every process is started in a session of its own and stopped, with its children, when the
stack closes, whatever happened.

`OwnPostgres` and `OwnRedis` are servers started here, on other ports and in a temporary
folder, for the drills that stop or restart them: the shared servers of 127.0.0.1:5432 and
:6379 are never touched. The checks read the database with plain SQL (psycopg).
"""

import atexit
import base64
import contextlib
import hashlib
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn") if (VENV_BIN / "gunicorn").exists() else "gunicorn"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SECRET_KEY = "scale-out-and-drills-only-" + "k" * 40  # the same on every instance
PASSWORD = "Scale-out-2026"
SCARCE, PLENTY = "CBL-SCARCE", "GLV-PLENTY"
# collectstatic's output (WhiteNoise, compressed, hashed names), shared by the stacks of one
# process: the files are the same for all of them.
STATIC_ROOT = Path(tempfile.gettempdir()) / f"comptoir-stack-static-{os.getpid()}"
_static_lock = threading.Lock()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def password_hash(password: str = PASSWORD) -> str:
    """Django's PBKDF2 format with its default cost, computed once for every buyer of the
    bundle (load_store would hash each plain password again: 0.2 s each)."""
    iterations, salt = 1_000_000, "scaleoutsalt2026"
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def buyer_email(n: int) -> str:
    return f"buyer{n:03d}@company{n:03d}.example"


def store_bundle(buyers: int, scarce_stock: int, plenty_stock: int = 1_000_000) -> dict:
    """A store with two products (one scarce, one plentiful) and `buyers` companies of one
    buyer each, who pay by transfer and ship by STD; invoices are issued on placement."""
    no_conditions = {
        "countries": None,
        "groups": None,
        "companies": None,
        "min_total": None,
        "max_total": None,
    }
    hashed = password_hash()
    return {
        "store": {
            "name": "Scale-out store",
            "currency": "EUR",
            "country": "FR",
            "region": None,
            "access_mode": "public",
            "min_order_amount": "0.00",
            "default_group": "RETAIL",
            "base_price_list": "BASE",
            "time_zone": "Europe/Paris",
            "invoice_on": "placed",
            "legal_address": "Scale-out store SAS\n1 rue du Test\n69007 Lyon",
        },
        "tax_rates": [{"country": "FR", "region": None, "tax_class": "standard", "rate": "20.00"}],
        "categories": [{"code": "supplies", "name": "Supplies", "parent": None}],
        "products": [
            {
                "sku": SCARCE,
                "name": "Copper cable, 100 m reel",
                "description": "The product everybody wants.",
                "category": "supplies",
                "stock": scarce_stock,
                "backorder": False,
            },
            {
                "sku": PLENTY,
                "name": "Nitrile gloves, box of 100",
                "description": "Always in stock.",
                "category": "supplies",
                "stock": plenty_stock,
                "backorder": False,
            },
        ],
        "price_lists": [
            {
                "code": "BASE",
                "currency": "EUR",
                "entries": [
                    {"sku": SCARCE, "min_qty": 1, "price": "149.90"},
                    {"sku": PLENTY, "min_qty": 1, "price": "7.35"},
                ],
            }
        ],
        "groups": [{"code": "RETAIL", "name": "Retail"}],
        "promotions": [],
        "companies": [
            {
                "code": f"C{n:03d}",
                "name": f"Company {n:03d}",
                "group": "RETAIL",
                "status": "approved",
                "country": "FR",
                "region": None,
                "addresses": [
                    {
                        "code": "HQ",
                        "line1": f"{n + 1} rue des Acheteurs",
                        "city": "Lyon",
                        "postal_code": "69003",
                        "country": "FR",
                        "region": None,
                    }
                ],
                "users": [{"email": buyer_email(n), "password_hash": hashed, "role": "admin"}],
            }
            for n in range(buyers)
        ],
        "payment_methods": [
            {
                "code": "TRANSFER",
                "type": "bank_transfer",
                "name": "Bank transfer",
                "net_days": None,
                "conditions": no_conditions,
            }
        ],
        "shipping_methods": [
            {
                "code": "STD",
                "name": "Standard",
                "price": "15.00",
                "free_above": None,
                "conditions": no_conditions,
            }
        ],
        "segmentation_rules": [],
    }


# --- servers -------------------------------------------------------------------------------


@dataclass
class Postgres:
    """A PostgreSQL server reached over TCP as the superuser `postgres` (trust)."""

    host: str = "127.0.0.1"
    port: int = 5432

    def url(self, database: str) -> str:
        return f"postgres://postgres@{self.host}:{self.port}/{database}"

    def connect(self, database: str = "postgres", **options) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host, port=self.port, user="postgres", dbname=database, **options
        )

    def recreate_database(self, name: str) -> None:
        with self.connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        with self.connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: the server commands run as `postgres` then."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


class OwnPostgres(Postgres):
    """A PostgreSQL cluster of our own (initdb + pg_ctl) in a temporary folder, on a free
    port: the drills restart it without disturbing anyone using the shared server."""

    def __init__(self, port: int | None = None):
        super().__init__(port=port or free_port())
        self.dir = Path(tempfile.mkdtemp(prefix="comptoir-drill-pg-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "postgres.log"
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\nfsync = off\n"
                "max_connections = 100\n"
            )

    def _run(self, *args: str) -> None:
        subprocess.run([*_as_postgres_user(), *args], check=True, capture_output=True, text=True)

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), *args)

    def start(self) -> None:
        self._pg_ctl("-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-w", "-m", mode, "stop")

    def restart(self, mode: str = "fast") -> None:
        self._pg_ctl("-w", "-m", mode, "restart")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class OwnRedis:
    """A redis-server of our own on a free port, without persistence, that a drill stops
    and starts again on the same port (the shared one on 6379 is never touched)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.ping, 10, what=f"redis-server on {self.port}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


# --- the application -----------------------------------------------------------------------


@dataclass
class Instance:
    name: str
    port: int
    process: subprocess.Popen
    logfile: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the master)."""
        return children(self.process.pid)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class Stack:
    """Processes of one deployment; use it as a context manager (`with Stack(...) as s`)."""

    database: str
    postgres: Postgres = field(default_factory=Postgres)
    redis_url: str = "redis://127.0.0.1:6379/11"
    tasks_backend: str = "rq"
    workers_per_instance: int = 2
    extra_env: dict = field(default_factory=dict)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="comptoir-stack-")))
    instances: list[Instance] = field(default_factory=list)
    worker: subprocess.Popen | None = None
    _processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.postgres.url(self.database)

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def env(self) -> dict:
        """Production settings from the environment (docs/deployment.md), nothing else of
        the caller's shell that Comptoir reads."""
        inherited = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER"}
        }
        return {
            **inherited,
            "COMPTOIR_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "BEHIND_PROXY": "1",  # the clients send X-Forwarded-Proto: https, as a proxy would
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "TASKS_BACKEND": self.tasks_backend,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "COMPTOIR_VAR_DIR": str(self.workdir / "var"),
            "STATIC_ROOT": str(STATIC_ROOT),
            "PRIVATE_MEDIA_ROOT": str(self.workdir / "private"),
            "SITE_URL": "https://shop.scaleout.example",
            "TOKEN_REQUESTS_PER_MINUTE": "100000",  # every buyer logs in from 127.0.0.1
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def prepare(self, bundle: dict) -> None:
        """A fresh database, migrated, with the bundle loaded; static files collected."""
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.postgres.recreate_database(self.database)
        started = time.monotonic()
        self.manage("migrate", "--noinput", "-v0")
        path = self.workdir / "store.json"
        path.write_text(json.dumps(bundle))
        self.manage("load_store", str(path))
        with _static_lock:
            if not (STATIC_ROOT / "staticfiles.json").exists():  # once per process: 20 s
                self.manage("collectstatic", "--noinput", "-v0")
                atexit.register(shutil.rmtree, STATIC_ROOT, True)
        log(
            f"database {self.database} migrated, store loaded "
            f"({len(bundle['companies'])} buyers), static collected "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _spawn(self, args: list[str], logfile: Path) -> subprocess.Popen:
        with logfile.open("ab") as out:
            process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped with its children
            )
        self._processes.append(process)
        return process

    def start_instances(self, count: int = 2, ports: list[int] | None = None) -> list[Instance]:
        """`ports`: where a test must stay in a given range of ports; free ones otherwise."""
        for n in range(count):
            port = ports[n] if ports else free_port()
            name = "AB"[n] if n < 2 else str(n)
            logfile = self.workdir / f"gunicorn-{name}.log"
            process = self._spawn(
                [
                    GUNICORN,
                    "comptoir.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(self.workers_per_instance),
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "20",
                    "--max-requests",
                    "2000",
                    "--max-requests-jitter",
                    "200",
                ],
                logfile,
            )
            self.instances.append(Instance(name, port, process, logfile))
        for instance in self.instances:
            wait_until(
                lambda i=instance: self._healthy(i),
                60,
                what=f"instance {instance.name} on {instance.port}",
            )
        log(
            "instances up: "
            + ", ".join(
                f"{i.name} {i.base} (gunicorn pid {i.process.pid}, "
                f"{self.workers_per_instance} workers)"
                for i in self.instances
            )
        )
        return self.instances

    def _healthy(self, instance: Instance) -> bool:
        if instance.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn {instance.name} exited:\n{instance.logfile.read_text()[-3000:]}"
            )
        try:
            return request(instance.base, "GET", "/healthz", timeout=2).status == 200
        except OSError:
            return False

    def start_worker(self) -> subprocess.Popen:
        if self.tasks_backend == "rq":
            args = [PYTHON, "manage.py", "rqworker", "default", "--with-scheduler"]
        else:
            args = [PYTHON, "manage.py", "db_worker", "--interval", "0.2"]
        self.worker = self._spawn(args, self.workdir / "worker.log")
        log(f"task worker up: {' '.join(args[1:])} (pid {self.worker.pid})")
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is not None:
            _stop(self.worker)
            self.worker = None

    def close(self) -> None:
        for process in reversed(self._processes):
            _stop(process)
        self._processes.clear()

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def logs(self, lines: int = 40) -> str:
        out = []
        for path in sorted(self.workdir.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name} ---\n" + "\n".join(tail))
        return "\n".join(out)


def _stop(process: subprocess.Popen, grace: float = 15) -> None:
    """SIGTERM to the process group (gunicorn stops its workers), SIGKILL after `grace`."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    base: str = ""
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self):
        return json.loads(self.body)

    @property
    def code(self) -> str | None:
        if self.content_type.startswith(("application/json", "application/problem+json")):
            with contextlib.suppress(ValueError):
                return self.json().get("code")
        return None


def request(
    base: str,
    method: str,
    path: str,
    body=None,
    token: str | None = None,
    headers: dict | None = None,
    timeout: float = 30,
) -> Response:
    """One HTTP request as a client behind the TLS proxy would send it (raises OSError when
    the connection fails or breaks, http.client errors included)."""
    host, port = base.removeprefix("http://").split(":")
    sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if token:
        sent["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, data, sent)
        answer = connection.getresponse()
        payload = answer.read()
    except http.client.HTTPException as error:
        raise ConnectionError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()
    return Response(
        answer.status,
        {k.lower(): v for k, v in answer.getheaders()},
        payload,
        base,
        time.monotonic() - started,
    )


def get_token(base: str, n: int) -> str:
    credentials = {"email": buyer_email(n), "password": PASSWORD}
    answer = request(base, "POST", "/api/v1/auth/token", credentials)
    if answer.status != 200:
        raise AssertionError(f"token for buyer {n}: {answer.status} {answer.body[:300]!r}")
    return answer.json()["token"]


CHECKOUT = {"shipping_address": "HQ", "shipping_method": "STD", "payment_method": "TRANSFER"}


def fill_cart(base: str, token: str, lines: dict[str, int]) -> None:
    answer = request(
        base,
        "POST",
        "/api/v1/cart/lines",
        {"lines": [{"sku": sku, "qty": qty} for sku, qty in lines.items()], "mode": "replace"},
        token,
    )
    if answer.status != 200:
        raise AssertionError(f"cart: {answer.status} {answer.body[:300]!r}")


def checkout(base: str, token: str, key: str, timeout: float = 30) -> Response:
    return request(
        base, "POST", "/api/v1/checkout", CHECKOUT, token, {"Idempotency-Key": key}, timeout
    )


# --- what the database says ------------------------------------------------------------------


@dataclass
class Books:
    """The figures the checks compare, read in one transaction."""

    stock: dict[str, int]
    sold: dict[str, int]
    orders: list[dict]
    lines: dict[int, list[dict]]
    taxes: dict[int, list[dict]]
    invoices: dict[int, str]
    order_counter: dict[int, int]
    invoice_counter: dict[int, int]
    keys: list[tuple[int, str, int | None]]


def read_books(postgres: Postgres, database: str) -> Books:
    with postgres.connect(database) as conn, conn.cursor() as cur:

        def rows(sql: str) -> list[dict]:
            cur.execute(sql)
            names = [column.name for column in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

        stock = {r["sku"]: r["stock"] for r in rows("SELECT sku, stock FROM catalog_product")}
        sold = {
            r["sku"]: int(r["sold"])
            for r in rows("SELECT sku, SUM(quantity) AS sold FROM ordering_orderline GROUP BY sku")
        }
        orders = rows(
            "SELECT id, number, buyer_id, subtotal, discount_total, shipping_total, tax_total,"
            " total, confirmation_sent_at FROM ordering_order ORDER BY number"
        )
        lines: dict[int, list[dict]] = {}
        for line in rows(
            "SELECT order_id, sku, quantity, unit_price, gross, promotion_amount,"
            " volume_amount, net FROM ordering_orderline"
        ):
            lines.setdefault(line["order_id"], []).append(line)
        taxes: dict[int, list[dict]] = {}
        for tax in rows("SELECT order_id, base, amount FROM ordering_ordertaxline"):
            taxes.setdefault(tax["order_id"], []).append(tax)
        invoices = {
            r["order_id"]: r["number"]
            for r in rows("SELECT order_id, number FROM payments_invoice")
        }
        order_counter = {
            r["year"]: r["last"] for r in rows("SELECT year, last FROM ordering_ordercounter")
        }
        invoice_counter = {
            r["year"]: r["last"] for r in rows("SELECT year, last FROM payments_invoicecounter")
        }
        keys = [
            (r["buyer_id"], r["key"], r["order_id"])
            for r in rows("SELECT buyer_id, key, order_id FROM ordering_placementkey")
        ]
    return Books(stock, sold, orders, lines, taxes, invoices, order_counter, invoice_counter, keys)


def consecutive(numbers: list[str], prefix: str) -> list[str]:
    """Problems with a series of numbers PREFIX-YYYY-NNNNNN: duplicates and gaps per year."""
    problems = []
    if len(set(numbers)) != len(numbers):
        problems.append(f"{prefix}: {len(numbers) - len(set(numbers))} duplicate numbers")
    by_year: dict[str, list[int]] = {}
    for number in numbers:
        _prefix, year, serial = number.split("-")
        by_year.setdefault(year, []).append(int(serial))
    for year, serials in by_year.items():
        if sorted(serials) != list(range(1, len(serials) + 1)):
            problems.append(f"{prefix}-{year}: not 1..{len(serials)}: {sorted(serials)}")
    return problems


def book_problems(books: Books, initial_stock: dict[str, int]) -> list[str]:
    """Everything wrong with the books: stock, partial orders, totals, numbering."""
    problems = []
    for sku, initial in initial_stock.items():
        stock, sold = books.stock[sku], books.sold.get(sku, 0)
        if stock < 0:
            problems.append(f"{sku}: negative stock {stock}")
        if stock + sold != initial:
            problems.append(f"{sku}: stock {stock} + sold {sold} != initial {initial}")
    for order in books.orders:
        lines, taxes = books.lines.get(order["id"], []), books.taxes.get(order["id"], [])
        if not lines:
            problems.append(f"{order['number']}: no lines")
            continue
        subtotal = sum((line["gross"] for line in lines), Decimal(0))
        discounts = sum(
            (line["promotion_amount"] + line["volume_amount"] for line in lines), Decimal(0)
        )
        tax_total = sum((tax["amount"] for tax in taxes), Decimal(0))
        expected_total = subtotal - discounts + order["shipping_total"] + tax_total
        if (subtotal, discounts, tax_total, expected_total) != (
            order["subtotal"],
            order["discount_total"],
            order["tax_total"],
            order["total"],
        ):
            problems.append(f"{order['number']}: totals do not add up")
        if order["id"] not in books.invoices:
            problems.append(f"{order['number']}: no invoice")
    order_numbers = [order["number"] for order in books.orders]
    invoice_numbers = list(books.invoices.values())
    problems += consecutive(order_numbers, "CMD")
    problems += consecutive(invoice_numbers, "FAC")
    if sum(books.order_counter.values()) != len(order_numbers):
        problems.append(f"order counters {books.order_counter} != {len(order_numbers)} orders")
    if sum(books.invoice_counter.values()) != len(invoice_numbers):
        problems.append(
            f"invoice counters {books.invoice_counter} != {len(invoice_numbers)} invoices"
        )
    dangling = [key for key in books.keys if key[2] is None]
    if dangling:
        problems.append(f"{len(dangling)} idempotency keys without an order")
    if len(books.keys) != len({key[2] for key in books.keys}):
        problems.append("two idempotency keys share an order")
    return problems


def sent_confirmations(mail_dir: Path) -> list[tuple[str, str]]:
    """(order number, recipient) of every order confirmation the file backend wrote."""
    import email
    import email.policy

    sent = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.lstrip(b"\n"), policy=email.policy.default)
            subject = str(message["Subject"] or "")
            number = next((word for word in subject.split() if word.startswith("CMD-")), None)
            if number:
                sent.append((number, str(message["To"])))
    return sent


class Tally:
    """Thread-safe record of what clients saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events: list[dict] = []

    def add(self, **event) -> None:
        with self.lock:
            self.events.append(event)

    def where(self, **match) -> list[dict]:
        with self.lock:
            return [e for e in self.events if all(e.get(k) == v for k, v in match.items())]


def rq_failures(redis_url: str) -> list[str]:
    """The failed jobs of the RQ queue `default`: task, arguments, last line of the error."""
    import redis
    from rq import Queue
    from rq.job import Job

    connection = redis.Redis.from_url(redis_url)
    registry = Queue("default", connection=connection).failed_job_registry
    failures = []
    for job in Job.fetch_many(registry.get_job_ids(), connection=connection):
        if job is None:
            continue
        result = job.latest_result()
        error = ((result.exc_string if result else "") or "").strip().splitlines()
        failures.append(f"{job.func_name.rsplit('.', 1)[-1]}{tuple(job.args)}: {error[-1:]}")
    return failures
