"""Per-process copies of what every request reads and the back office rarely changes: the
store row, a buyer's candidate price lists, the category tree... (issue 14, bench/README.md
"Throughput").

Correctness rests on one number, `core_cacheversion.version`, in the database:

- every write to a model registered with `track()` bumps it in the writer's own transaction
  (post_save, post_delete and m2m_changed signals); writers that bypass signals
  (`queryset.update()`, `bulk_create`, the bundle loader) call `bump()` themselves. The new
  number becomes visible to other processes exactly when the change does, at commit, and a
  rolled-back change takes its number back with it;
- a request reads the number once, at its first cached read (one primary-key query, or a
  statement the request runs anyway that reads it in the same snapshot: the API token's,
  `note_version`; a copied storefront page's stock, `read_version_with`), and uses a copy
  only if it was built under that number. Whatever a copy holds was read after
  the number, so it is never older than the number it is filed under.

A connection that has bumped inside a transaction not yet committed reads around the cache
(and does not fill it): what it sees is not what other processes see yet, and may be rolled
back.

The bump locks the version row until the writer commits, so writers of copied data (the
back office, the loaders) take turns; orders, carts, stock, companies and tokens are never
copied and never bump. The bundle loader bumps once, at the end of its transaction, to hold
the row for an instant rather than for the whole load; the CSV price import once, when it
changed something. Price entries bump on save but not on delete (a delete signal would make
Django fetch every entry a cascade deletes): their deleters bump (pricing/apps.py).

Why the number is read from the database on every request rather than pushed to each
process (`LISTEN`/`NOTIFY`) or kept in Redis: a notification reaches a worker some time after
the writer's commit has returned, with nothing bounding that time (measured: 913 times in
2,000 the next request would have been served a stale copy), and a Redis number is neither
cheaper to read (one round trip as well) nor written in the writer's transaction
(bench/README.md, "Fifth pass").

What is copied since the third pass (bench/README.md): whole priced pages of the API and
of the storefront's listings, per caller's catalogue, with the stock read live beside them.
"""

import contextlib
import threading
from collections.abc import Callable, Hashable

from django.core.signals import request_finished, request_started
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save

from comptoir.core.compiled_sql import prepared_cursor

# A copy serves one version only (the next read of its key rebuilds it); past this many keys
# (companies, groups, categories) the oldest half goes, so memory stays bounded however
# many buyers call between two changes.
MAX_ENTRIES = 20_000
# Copies of whole pages (a listing's 50 priced items, some 75 KB each) are kept apart and
# fewer: about 75 MB per process at most.
MAX_PAGES = 1_000

_entries: dict[Hashable, tuple[int, object]] = {}
_pages: dict[Hashable, tuple[int, object]] = {}
_memories: list[dict] = []
_local = threading.local()


def _version_model():
    from comptoir.core.models import CacheVersion

    return CacheVersion


def current_version() -> int:
    """The committed version as this request sees it: read once per request."""
    version = getattr(_local, "version", None)
    if version is None and getattr(_local, "reader", None) is not None:
        reader, _local.reader = _local.reader, None
        version = reader()
        if getattr(_local, "in_request", False):
            _local.version = version
    if version is None:
        # One constant statement on every request: written once rather than compiled by
        # the ORM each time (bench/README.md, "Third pass").
        table = connection.ops.quote_name(_version_model()._meta.db_table)
        with prepared_cursor(connection) as cursor:
            cursor.execute(f"SELECT version FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        version = row[0] if row else 0
        if getattr(_local, "in_request", False):
            _local.version = version
    return version


def note_version(version: int | None) -> None:
    """The committed version as another statement of this request read it (the API token's):
    used as `current_version()` would, so that the request spares that round trip. Only
    before the request has read the version itself."""
    if getattr(_local, "in_request", False) and getattr(_local, "version", None) is None:
        _local.version = version or 0


def read_version_with(reader: Callable[[], int]) -> None:
    """Lets the request's first read of the version be `reader()`: a statement that reads
    the committed version (the row `bump()` writes, in the same snapshot as anything else it
    reads) together with what the request needs next (catalog/stock_prefetch.py). Only
    before the request has read the version."""
    if getattr(_local, "in_request", False) and getattr(_local, "version", None) is None:
        _local.reader = reader


def cached(key: Hashable, build: Callable[[], object], *, page: bool = False):
    """`build()`'s value, built at most once per process and version. A `page` (a whole
    listing's items) is kept among fewer copies than the rest."""
    if _in_transaction():
        if getattr(_local, "dirty", False):
            return build()
    else:
        _local.dirty = False
    entries, limit = (_pages, MAX_PAGES) if page else (_entries, MAX_ENTRIES)
    version = current_version()
    entry = entries.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    if len(entries) >= limit:
        for old in list(entries)[: limit // 2]:
            entries.pop(old, None)
    entries[key] = (version, value)
    return value


def bump() -> None:
    """Makes every copy stale once the current transaction commits (at once without one)."""
    model = _version_model()
    if not model.objects.filter(pk=1).update(version=models.F("version") + 1):
        model.objects.get_or_create(pk=1, defaults={"version": 1})
    _local.version = None
    _local.dirty = _in_transaction()


def _in_transaction() -> bool:
    """Inside a transaction of our own. The atomic blocks that Django's TestCase opens around
    a test are not counted: for the test they hold committed data."""
    return any(not block._from_testcase for block in connection.atomic_blocks)


def cleared_with_copies(memory: dict) -> dict:
    """`memory`, a process's own record beside the copies, emptied by `clear()` with them."""
    _memories.append(memory)
    return memory


def clear() -> None:
    """Drops every copy (tests: a database flushed or rolled back reuses version numbers)."""
    _entries.clear()
    _pages.clear()
    for memory in _memories:
        memory.clear()
    _local.version = None
    _local.reader = None
    _local.dirty = False


def _on_write(sender, **kwargs) -> None:
    bump()


def _on_m2m(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        bump()


def track(*tracked: type[models.Model], deletes: bool = True) -> None:
    """Bumps the version on every signalled write of these models and of their many-to-many
    tables. Called from the apps' `ready()`.

    `deletes=False` leaves deletions to the writers: a delete signal makes Django fetch
    every row it deletes, also those a cascade deletes (a price list's 100,000 entries)."""
    for model in tracked:
        uid = f"versioned_cache:{model._meta.label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid)
        if deletes:
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=uid)


def _start(**kwargs) -> None:
    _local.in_request = True
    _local.version = None
    _local.reader = None


def _finish(**kwargs) -> None:
    _local.in_request = False
    _local.version = None
    _local.reader = None


@contextlib.contextmanager
def request_scope():
    """Reads the version once for the whole block, as a request does (tasks, tests)."""
    _start()
    try:
        yield
    finally:
        _finish()


request_started.connect(_start, dispatch_uid="versioned_cache.start")
request_finished.connect(_finish, dispatch_uid="versioned_cache.finish")
