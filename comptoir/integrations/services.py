"""What an ERP writes (issue 19): stock levels in bulk, price list entries, credit limits.

Each call is all or nothing: every item is checked first (rules.py), the SKUs looked up, and
only a call without a single error writes, in one transaction. Writing what is already there
changes nothing, `updated_at` included, so a repeated PUT leaves the sync quiet.
"""

from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.catalog.models import Product
from comptoir.catalog.selectors import sku_key, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.versioned_cache import bump
from comptoir.customers.models import Company
from comptoir.integrations import rules
from comptoir.pricing.models import PriceList
from comptoir.pricing.services import ImportResult, price_entries_sync

BATCH = 1000


def _messages() -> dict[str, str]:
    return {
        "too_many_items": _("At most 10,000 items a call."),
        "invalid_sku": _("The SKU must be a non-empty string."),
        "duplicate_sku": _("This SKU is sent more than once."),
        "duplicate_tier": _("This SKU and minimum quantity are sent more than once."),
        "invalid_stock": _("The stock must be a whole number from 0."),
        "invalid_quantity": _("The minimum quantity must be a whole number from 1."),
        "invalid_price": _(
            'The price must be a decimal string from 0 such as "12.50", 4 decimal places at most.'
        ),
        "unknown_sku": _("There is no product with this SKU."),
    }


def _refuse(errors: list[tuple[str | None, str]]) -> None:
    if errors:
        messages = _messages()
        raise BusinessRuleError(
            "invalid_items",
            ngettext(
                "Nothing was written: %(count)d item is wrong.",
                "Nothing was written: %(count)d items are wrong.",
                len(errors),
            )
            % {"count": len(errors)},
            [{"sku": sku, "code": code, "message": messages[code]} for sku, code in errors],
        )


def _product_ids(skus: list[str]) -> dict[str, int]:
    """SKU key → product id, inactive products included; unknown SKUs are refused."""
    found: dict[str, int] = {}
    for start in range(0, len(skus), BATCH):
        chunk = with_skus(Product.objects.all(), skus[start : start + BATCH])
        found.update((sku_key(sku), pk) for sku, pk in chunk.values_list("sku", "id"))
    _refuse([(sku, "unknown_sku") for sku in skus if sku_key(sku.strip()) not in found])
    return found


def stock_put(*, items: list[tuple[object, object]]) -> int:
    """Sets the stock of up to 10,000 products by SKU; returns how many changed.

    Rows are locked in id order, as order placement locks them (ordering/placement.py), so a
    bulk update and a checkout wait for each other and never deadlock. Stock is read live
    under the cached pages (core/versioned_cache.py): no version bump is needed, and none is
    made, so the ERP's frequent syncs do not empty every cached page.
    """
    _refuse(rules.stock_errors(items))
    ids = _product_ids([sku for sku, _stock in items])
    wanted = {ids[sku_key(sku.strip())]: stock for sku, stock in items}
    with transaction.atomic():
        changed = 0
        for batch in _batches(sorted(wanted)):
            list(
                Product.objects.select_for_update()
                .filter(pk__in=batch)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            changed += _write_stock([(pk, wanted[pk]) for pk in batch])
    return changed


def _write_stock(rows: list[tuple[int, int]]) -> int:
    """One statement per batch: UPDATE ... FROM (VALUES ...) on PostgreSQL, else one
    executemany; only rows whose stock differs (and so their `updated_at`)."""
    table = connection.ops.quote_name(Product._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::integer, %s::integer)"] * len(rows))
            cursor.execute(
                f"UPDATE {table} AS p SET stock = v.stock, updated_at = %s "
                f"FROM (VALUES {values}) AS v(id, stock) "
                "WHERE p.id = v.id AND p.stock <> v.stock",
                [now, *(value for row in rows for value in row)],
            )
            return cursor.rowcount
        cursor.executemany(
            f"UPDATE {table} SET stock = %s, updated_at = %s WHERE id = %s AND stock <> %s",
            [(stock, now, pk, stock) for pk, stock in rows],
        )
        return cursor.rowcount


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def price_entries_put(*, price_list: PriceList, rows: list[tuple]) -> ImportResult:
    """Creates or updates these tiers of the list (others are kept): the CSV import's merge,
    with the same checks as the store bundle's prices. Prices are copied in cached pages:
    the version is bumped when something changed."""
    entries, errors = rules.parse_entries(rows)
    _refuse(errors)
    ids = _product_ids([entry.sku for entry in entries])
    wanted = {(ids[sku_key(e.sku)], e.min_qty): e.price for e in entries}
    with transaction.atomic():
        result = price_entries_sync(list_id=price_list.pk, wanted=wanted, delete_missing=False)
        if result.created or result.updated:
            bump()
    return result


def company_credit_set(*, company: Company, value) -> Company:
    """Sets the company's credit limit (null: no invoice terms); the same value twice
    changes nothing."""
    try:
        limit = rules.parse_credit_limit(value)
    except ValueError:
        message = _('The credit limit must be a decimal string from 0 such as "5000.00", or null.')
        raise BusinessRuleError(
            "invalid_credit_limit",
            message,
            [{"field": "credit_limit", "code": "invalid_credit_limit", "message": message}],
        ) from None
    if company.credit_limit != limit:
        company.credit_limit = limit
        company.save(update_fields=["credit_limit", "updated_at"])
    return company
