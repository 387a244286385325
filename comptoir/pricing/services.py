"""Writes of the pricing area: price list import from CSV."""

from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Literal

from django.db import connection, transaction
from django.utils.translation import ngettext

from comptoir.core.errors import BusinessRuleError
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
        existing = {
            (product_id, min_qty): (entry_id, price)
            for entry_id, product_id, min_qty, price in PriceEntry.objects.filter(
                price_list=price_list
            )
            .values_list("id", "product_id", "min_qty", "price")
            .iterator(chunk_size=10 * BATCH)
        }
        inserts = [
            (price_list.pk, product_id, min_qty, price)
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
            if mode == "replace"
            else []
        )
        _write(stale, inserts, updates)
    return ImportResult(
        created=len(inserts),
        updated=len(updates),
        deleted=len(stale),
        unchanged=len(wanted) - len(inserts) - len(updates),
    )


def _write(
    stale: list[int],
    inserts: list[tuple[int, int, int, Decimal]],
    updates: list[tuple[Decimal, int]],
) -> None:
    """Deletes, inserts and updates price entries in batches of plain statements.

    Building 100,000 model instances for `bulk_create`/`bulk_update` costs several times
    what the statements do (see comptoir/bundle/sync.py, which writes tiers the same way).
    """
    for start in range(0, len(stale), BATCH):
        PriceEntry.objects.filter(id__in=stale[start : start + BATCH]).delete()
    table = connection.ops.quote_name(PriceEntry._meta.db_table)
    with connection.cursor() as cursor:
        if inserts:
            cursor.executemany(
                f"INSERT INTO {table} (price_list_id, product_id, min_qty, price) "
                "VALUES (%s, %s, %s, %s)",
                inserts,
            )
        if updates:
            cursor.executemany(f"UPDATE {table} SET price = %s WHERE id = %s", updates)
