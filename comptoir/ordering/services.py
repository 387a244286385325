"""Writes of the cart: set a line, add many (quick order, reorder), import a file, empty it.

Editing is never refused for an order rule (the quote reports those and checkout refuses);
it is refused only for bad input: an unknown or invisible SKU, a quantity that is not a
whole number from 0 to 1,000,000, or a buyer who may not order.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.catalog.models import Packaging, Product
from comptoir.catalog.packagings import (
    max_quantity,
    packagings_of,
    resolve_unit,
    split_quantity_unit,
)
from comptoir.catalog.selectors import sku_key, visible_products, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.sku_lines import MAX_QUANTITY, parse_quantity_text
from comptoir.ordering.locations import location_for
from comptoir.ordering.models import Cart, CartLine

MAX_IMPORT_LINES = 1_000
ADD, REPLACE = "add", "replace"
UNIT_CONFLICT = "unit_conflict"


@dataclass(frozen=True)
class RowResult:
    """What became of one row of a quick order: `status` is "added" or "error"."""

    row: int
    sku: str
    quantity: int | None
    status: str
    code: str | None = None
    message: str | None = None


def require_buyer(viewer: Viewer) -> None:
    """Carts and checkout need a user of an approved company whose role places orders."""
    refusal = viewer.order_refusal()
    if refusal is not None:
        raise BusinessRuleError(*refusal)


def require_account(viewer: Viewer) -> None:
    """The order history needs a user of an approved company, whatever their role."""
    refusal = viewer.company_refusal()
    if refusal is not None:
        raise BusinessRuleError(*refusal)


def parse_quantity(value) -> int | None:
    """A whole number from 0 to 1,000,000 (a JSON integer, or digits typed), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_QUANTITY else None
    return parse_quantity_text(value) if isinstance(value, str) else None


def invalid_quantity_error(limit: int = MAX_QUANTITY) -> BusinessRuleError:
    if limit != MAX_QUANTITY:
        return BusinessRuleError(
            "invalid_quantity",
            _("In this packaging the quantity must be a whole number from 0 to %(max)s.")
            % {"max": limit},
        )
    return BusinessRuleError(
        "invalid_quantity", _("The quantity must be a whole number from 0 to 1,000,000.")
    )


def cart_items(buyer) -> list[tuple[Product, int]]:
    """The cart's (product, quantity) pairs, in the order they were added (one query)."""
    return cart_contents(buyer)[0]


def cart_contents(buyer) -> tuple[list[tuple[Product, int]], dict[int, Packaging]]:
    """The cart's (product, quantity) pairs in the order they were added, and the packaging
    of the lines bought in one, by product id: `quote_cart`'s arguments (one query)."""
    lines = (
        CartLine.objects.filter(cart__buyer=buyer)
        .select_related("product", "packaging")
        .order_by("id")
    )
    items, packagings = [], {}
    for line in lines:
        items.append((line.product, line.quantity))
        if line.packaging is not None:
            packagings[line.product_id] = line.packaging
    return items, packagings


def cart_location(buyer) -> str | None:
    """The code of the location the buyer's cart is for, if they chose one (one query)."""
    return Cart.objects.filter(buyer=buyer).values_list("location__code", flat=True).first()


def cart_set_location(*, viewer: Viewer, code: str | None) -> None:
    """The site the cart is for (None: decided at checkout); refused for a location the buyer
    does not act for."""
    require_buyer(viewer)
    location = location_for(viewer, code) if code else None
    with transaction.atomic():
        cart = _cart(viewer)
        cart.location = location
        cart.save(update_fields=["location", "updated_at"])


def _visible_by_sku(viewer: Viewer, skus: list[str]) -> dict[str, Product]:
    """The visible products among `skus`, by `sku_key`: "scr-100" finds SCR-100."""
    products = with_skus(visible_products(group=viewer.group, company=viewer.company), skus)
    return {sku_key(product.sku): product for product in products}


def _cart(viewer: Viewer) -> Cart:
    """The buyer's cart, locked first: placement locks it first too, so they never deadlock."""
    cart, _created = Cart.objects.select_for_update().get_or_create(buyer=viewer.user)
    return cart


def cart_set_line(*, viewer: Viewer, sku: str, quantity: int, unit: str | None = None) -> None:
    """Set a line's quantity; 0 removes it. An SKU the buyer may not see is not found.

    `unit` names what the quantity counts (the product's unit or one of its packagings,
    `catalog.packagings.resolve_unit`); without one the line keeps the unit it has.
    """
    require_buyer(viewer)
    product = _visible_by_sku(viewer, [sku]).get(sku_key(sku))
    if product is None:
        raise BusinessRuleError("not_found", _("No product %(sku)s.") % {"sku": sku})
    unit_given = bool((unit or "").strip())
    packaging = (
        resolve_unit(product, unit, packagings_of([product.pk]).get(product.pk, []))
        if unit_given
        else None
    )
    with transaction.atomic():
        cart = _cart(viewer)
        if unit_given:
            limit = max_quantity(packaging)
        else:
            line = CartLine.objects.filter(cart=cart, product=product).first()
            limit = max_quantity(line.packaging if line is not None else None)
        if quantity > limit:
            raise invalid_quantity_error(limit)
        if quantity == 0:
            CartLine.objects.filter(cart=cart, product=product).delete()
        else:
            values = {"quantity": quantity}
            if unit_given:
                values["packaging"] = packaging
            CartLine.objects.update_or_create(cart=cart, product=product, defaults=values)
        cart.save(update_fields=["updated_at"])


def cart_add_lines(
    *, viewer: Viewer, rows: list[tuple[int, str, object]], mode: str = ADD
) -> list[RowResult]:
    """Add (or, with REPLACE, swap the cart for) many rows at once; every valid row goes in.

    `rows` are (row number, sku, quantity as given[, unit]); a quantity typed as "3 case"
    carries its unit. Each row gets its own result; a bad row never stops the others, and
    the rows that are good are written in one transaction. Quantities of the same SKU on
    several rows add up; a product has one line, in one unit: a row in another unit than
    the product's line is refused (`unit_conflict`).
    """
    require_buyer(viewer)
    if len(rows) > MAX_IMPORT_LINES:
        raise BusinessRuleError(
            "too_many_lines",
            _("At most %(max)s lines at a time.") % {"max": MAX_IMPORT_LINES},
        )
    products = _visible_by_sku(viewer, [str(row[1]) for row in rows])
    split = [_row_unit(row) for row in rows]
    packagings = (
        packagings_of(product.pk for product in products.values())
        if any(unit for *_row, unit in split)
        else {}
    )
    with transaction.atomic():
        cart = _cart(viewer)
        if mode == REPLACE:
            CartLine.objects.filter(cart=cart).delete()
        existing = {
            line.product_id: line
            for line in CartLine.objects.filter(cart=cart).select_related("packaging")
        }
        results, wanted, units = [], {}, {}
        for row, sku, raw, unit in split:
            result = _row_result(row, sku, raw, unit, products, packagings, existing, units)
            results.append(result)
            if result.status == "added":
                product = products[sku_key(str(sku))]
                wanted[product] = wanted.get(product, 0) + result.quantity
        changed, created = [], []
        for product, quantity in wanted.items():
            line = existing.get(product.pk)
            if line is not None:
                limit = max_quantity(line.packaging)
                line.quantity = min(line.quantity + quantity, limit)
                changed.append(line)
            elif quantity:
                packaging = units[product.pk]
                quantity = min(quantity, max_quantity(packaging))
                created.append(
                    CartLine(cart=cart, product=product, quantity=quantity, packaging=packaging)
                )
        CartLine.objects.bulk_update(changed, ["quantity"])
        CartLine.objects.bulk_create(created)
        cart.save(update_fields=["updated_at"])
    return results


def _row_unit(row: tuple) -> tuple[int, str, object, str | None]:
    """(row, sku, quantity, unit) of a row given with a unit, or with "3 case" typed."""
    number, sku, raw, *rest = row
    unit = rest[0] if rest else None
    if unit is None and isinstance(raw, str):
        raw, unit = split_quantity_unit(raw.strip())
    return number, sku, raw, unit


def _row_result(row, sku, raw, unit, products, packagings, existing, units) -> RowResult:
    """What becomes of one row; `units` gathers the packaging of each product added."""
    quantity = parse_quantity(raw)
    product = products.get(sku_key(str(sku)))
    if product is None:
        message = _("Unknown SKU %(sku)s.") % {"sku": sku}
        return RowResult(row, sku, None, "error", "unknown_sku", message)
    if quantity is None:
        return RowResult(
            row,
            sku,
            None,
            "error",
            "invalid_quantity",
            _("%(quantity)s is not a quantity (a whole number from 0 to 1,000,000).")
            % {"quantity": raw},
        )
    try:
        packaging = resolve_unit(product, unit, packagings.get(product.pk, []))
    except BusinessRuleError as refused:
        return RowResult(row, sku, None, "error", refused.code, refused.message)
    wanted = packaging.pk if packaging else None
    line = existing.get(product.pk)
    if line is not None:
        current = line.packaging_id
    elif product.pk in units:
        current = units[product.pk].pk if units[product.pk] else None
    else:
        units[product.pk], current = packaging, wanted
    if current != wanted:
        return RowResult(
            row,
            sku,
            None,
            "error",
            UNIT_CONFLICT,
            _("%(sku)s is already in the cart in another unit: change that line instead.")
            % {"sku": sku},
        )
    return RowResult(row, sku, quantity, "added")


def parse_cart_csv(content: bytes) -> list[tuple[int, str, str]]:
    """Rows of a `sku,qty[,unit]` file (comma, semicolon or tab; optional header line).

    A unit in the third column is kept with the quantity ("3 case"), as typed in quick order.

    A file that is not UTF-8 text, or empty, is refused whole: its rows cannot be trusted.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BusinessRuleError(
            "invalid_file", _("The file is not UTF-8 text: save it as CSV UTF-8 and send it again.")
        ) from None
    if not text.strip():
        raise BusinessRuleError("invalid_file", _("The file is empty."))
    first = text.partition("\n")[0]
    delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    # newline="": the csv module reads "\r", "\n" and "\r\n" line ends itself (a lone "\r"
    # inside a field was a csv.Error, a 500, before).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if number == 1 and cells[0].lower() in {"sku", "reference", "référence", "ref"}:
                continue
            sku = cells[0]
            quantity = cells[1] if len(cells) > 1 and cells[1] else "1"
            if len(cells) > 2 and cells[2]:
                quantity = f"{quantity} {cells[2]}"
            rows.append((number, sku, quantity))
    except csv.Error as error:  # a field over the csv module's size limit, for one
        raise BusinessRuleError(
            "invalid_file",
            _("Line %(line)s of the file cannot be read as CSV.") % {"line": reader.line_num},
        ) from error
    if len(rows) > MAX_IMPORT_LINES:
        raise BusinessRuleError(
            "too_many_lines", _("At most %(max)s lines at a time.") % {"max": MAX_IMPORT_LINES}
        )
    return rows


def cart_clear(*, viewer: Viewer) -> None:
    require_buyer(viewer)
    with transaction.atomic():
        CartLine.objects.filter(cart=_cart(viewer)).delete()


def order_reorder(*, viewer: Viewer, order) -> list[RowResult]:
    """The order's lines back in the cart, added to what is there; today's prices apply."""
    rows = [
        (line.position, line.sku, line.quantity, line.unit if line.base_quantity else None)
        for line in order.lines.all()
    ]
    return cart_add_lines(viewer=viewer, rows=rows)
