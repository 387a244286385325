"""Which packaging a buyer means by a unit ("3 case", `{"unit": "case"}`): one function for
every channel (storefront, API, quick order text and CSV, reorder), docs/units-of-measure.md.

A unit names the product's own unit (the base unit: no packaging) or one of its packagings,
by code ("case") or by its name in the buyer's language ("cases", "cartons"), without regard
to case. An unknown unit and a disabled packaging are refused with stable codes.
"""

from collections.abc import Iterable

from django.db.models import Aggregate, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONArray
from django.utils.translation import gettext as _

from comptoir.catalog.models import Packaging, Product
from comptoir.core.errors import BusinessRuleError
from comptoir.core.units import unit_name

UNKNOWN_UNIT = "unknown_unit"
UNIT_NOT_ENABLED = "unit_not_enabled"
MAX_QUANTITY = 1_000_000
MAX_BASE_QUANTITY = 1_000_000_000
"""A line counts at most this many base units (1,000,000 pallets of 2,880 would not fit)."""


def max_quantity(packaging: Packaging | None) -> int:
    """The largest quantity a line may hold in this packaging (None: the base unit)."""
    if packaging is None:
        return MAX_QUANTITY
    return min(MAX_QUANTITY, MAX_BASE_QUANTITY // packaging.factor)


def packagings_of(product_ids: Iterable[int]) -> dict[int, list[Packaging]]:
    """Every packaging of these products, enabled or not, by product id (one query)."""
    found: dict[int, list[Packaging]] = {}
    for packaging in Packaging.objects.filter(product_id__in=list(product_ids)):
        found.setdefault(packaging.product_id, []).append(packaging)
    return found


class JSONList(Aggregate):
    """The values of a group as one JSON array: JSON_GROUP_ARRAY on SQLite, JSONB_AGG on
    PostgreSQL (jsonb, which Django's JSONField reads back)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


ROW_FIELDS = ("id", "unit", "factor", "min_qty", "max_qty", "qty_step")
"""What `with_enabled_packagings` reads of each packaging: what an ordering row and an API
item show (not its price: pricing reads `packaging_data`)."""


def with_enabled_packagings(rows: QuerySet, product: str = "pk") -> QuerySet:
    """The rows (products, or rows whose `product` field names one) with their product's
    enabled packagings (`enabled_packagings`, for `loaded_packagings`), read by the same query
    as the rows: a listing's table view or a family takes no query more for them (issue 14)."""
    found = (
        Packaging.objects.filter(product_id=OuterRef(product), enabled=True)
        .order_by()
        .values("product_id")
        .annotate(rows=JSONList(JSONArray(*ROW_FIELDS)))
        .values("rows")
    )
    return rows.annotate(enabled_packagings=Subquery(found, output_field=JSONField()))


def loaded_packagings(products: list[Product]) -> dict[int, list[Packaging]]:
    """The enabled packagings, smallest first, of products read `with_enabled_packagings`, by
    product id (no query); they hold the `ROW_FIELDS` only."""
    return {
        product.pk: sorted(
            (
                Packaging(
                    product_id=product.pk, enabled=True, **dict(zip(ROW_FIELDS, row, strict=True))
                )
                for row in rows
            ),
            key=lambda packaging: (packaging.factor, packaging.id),
        )
        for product in products
        if (rows := getattr(product, "enabled_packagings", None))
    }


def _names(unit: str) -> set[str]:
    return {unit.casefold(), unit_name(unit, 1).casefold(), unit_name(unit, 2).casefold()}


def resolve_unit(product: Product, unit: str | None, packagings: list[Packaging]):
    """The packaging `unit` names for `product` (None: the base unit, as is no unit at all).

    Raises BusinessRuleError `unknown_unit` when the product is sold in no such unit and
    `unit_not_enabled` when the merchant has switched that packaging off.
    """
    typed = (unit or "").strip()
    if not typed or typed.casefold() in _names(product.unit):
        return None
    for packaging in packagings:
        if typed.casefold() in _names(packaging.unit):
            if not packaging.enabled:
                _refuse(
                    product,
                    UNIT_NOT_ENABLED,
                    _("%(sku)s: the packaging %(unit)s is not offered.")
                    % {"sku": product.sku, "unit": unit_name(packaging.unit)},
                )
            return packaging
    units = [unit_name(product.unit)] + [unit_name(p.unit) for p in packagings if p.enabled]
    _refuse(
        product,
        UNKNOWN_UNIT,
        _("%(sku)s is not sold in %(unit)s: choose one of %(units)s.")
        % {"sku": product.sku, "unit": typed, "units": ", ".join(units)},
    )


def _refuse(product: Product, code: str, message: str):
    """The refusal as a line error of that SKU (API.md: line errors stay on their line)."""
    raise BusinessRuleError(code, message, [{"sku": product.sku, "code": code, "message": message}])


def split_quantity_unit(typed: str) -> tuple[str, str | None]:
    """ "3 case" as ("3", "case"); "3" as ("3", None): the unit of a quick-order line."""
    parts = typed.split(maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        return parts[0], parts[1].strip()
    return typed, None
