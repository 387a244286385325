"""Writes of the pricing area: price-list tiers, from a CSV file or a store bundle."""

from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Literal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from comptoir.core.errors import BusinessRuleError
from comptoir.core.versioned_cache import bump
from comptoir.pricing.models import PriceEntry, PriceList
from comptoir.pricing.price_csv import read_price_csv

BATCH = 1000

ImportMode = Literal["replace", "merge"]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    deleted: int
    unchanged: int


def price_list_import_csv(
    *, price_list: PriceList, stream: IO[str], mode: ImportMode = "replace"
) -> ImportResult:
    """Loads a CSV of tiers (`sku,min_qty,price`) into a price list, all or nothing.

    "replace" makes the list's entries exactly the file's; "merge" creates or updates the
    file's tiers and keeps the others. A file with any bad row raises `BusinessRuleError`
    ("invalid_csv", one error per problem with its line) and writes nothing. Only what
    differs is written, so importing the same file twice changes nothing the second time.
    """
    if mode not in ("replace", "merge"):
        raise ValueError(f"unknown import mode {mode!r}")
    wanted, errors = read_price_csv(stream)
    if errors:
        raise BusinessRuleError(
            "invalid_csv",
            ngettext(
                "The file has %(count)d problem; nothing was written.",
                "The file has %(count)d problems; nothing was written.",
                len(errors),
            )
            % {"count": len(errors)},
            errors=errors,
        )
    with transaction.atomic():
        # Two imports of the same list wait for each other rather than interleave.
        list(PriceList.objects.select_for_update().filter(pk=price_list.pk).values_list("pk"))
        result = price_entries_sync(
            list_id=price_list.pk, wanted=wanted, delete_missing=mode == "replace"
        )
        if result.created or result.updated or result.deleted:
            bump()
        return result


def price_entries_sync(
    *, list_id: int, wanted: dict[tuple[int, int], Decimal], delete_missing: bool = True
) -> ImportResult:
    """Writes a price list's tiers ((product id, min_qty) → price), only what differs.

    With `delete_missing` the list's entries become exactly `wanted`. Catalogues carry
    millions of entries (bundle loads, CSV imports): rows are compared as tuples and written
    with plain statements — COPY on PostgreSQL — a fraction of the cost of model instances.
    They send no signal: the caller bumps the cache version (core/versioned_cache.py) in
    the same transaction, once, as the CSV import and the bundle loader do.
    """
    existing = {
        (product_id, min_qty): (entry_id, price)
        for entry_id, product_id, min_qty, price in PriceEntry.objects.filter(price_list_id=list_id)
        .values_list("id", "product_id", "min_qty", "price")
        .iterator(chunk_size=10 * BATCH)
    }
    inserts = [
        (list_id, product_id, min_qty, price)
        for (product_id, min_qty), price in wanted.items()
        if (product_id, min_qty) not in existing
    ]
    updates = [
        (price, existing[key][0])
        for key, price in wanted.items()
        if key in existing and existing[key][1] != price
    ]
    stale = (
        [entry_id for key, (entry_id, _price) in existing.items() if key not in wanted]
        if delete_missing
        else []
    )
    _write(list_id, stale, inserts, updates)
    return ImportResult(
        created=len(inserts),
        updated=len(updates),
        deleted=len(stale),
        unchanged=len(wanted) - len(inserts) - len(updates),
    )


def _write(
    list_id: int,
    stale: list[int],
    inserts: list[tuple[int, int, int, Decimal]],
    updates: list[tuple[Decimal, int]],
) -> None:
    """Plain statements, so `updated_at` is written here: the integrations' sync reads it on
    the entries, and on their list, which also tells that entries were deleted (issue 19)."""
    if not (stale or inserts or updates):
        return
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    for start in range(0, len(stale), BATCH):
        PriceEntry.objects.filter(id__in=stale[start : start + BATCH]).delete()
    table = connection.ops.quote_name(PriceEntry._meta.db_table)
    columns = "(price_list_id, product_id, min_qty, price, updated_at)"
    with connection.cursor() as cursor:
        if inserts and connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in inserts:
                    copy.write_row((*row, stamp))
        elif inserts:
            cursor.executemany(
                f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s)",
                [(*row, stamp) for row in inserts],
            )
        if updates:
            cursor.executemany(
                f"UPDATE {table} SET price = %s, updated_at = %s WHERE id = %s",
                [(price, stamp, entry_id) for price, entry_id in updates],
            )
    PriceList.objects.filter(pk=list_id).update(updated_at=now)
