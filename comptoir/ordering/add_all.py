"""Add many lines at once, all or none: the table view of a listing and a family's grid
(issue 20, ordering views).

Each row goes through `cart_add_lines`, the quick order's service (visibility, quantity,
packaging), then each line the cart would hold is judged by `quote_cart`, the one place
that applies the order rules (minimum, maximum, multiple, price, stock). A buyer who fills
twenty boxes means one order: when one row is refused, none is added, and every refused row
says why, next to the quantity typed.
"""

from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.catalog.selectors import sku_key
from comptoir.core.errors import BusinessRuleError
from comptoir.ordering.quotes import quote_cart
from comptoir.ordering.services import (
    RowResult,
    cart_add_lines,
    cart_contents,
    require_buyer,
)

NOTHING_TYPED = "nothing_typed"


def cart_add_all(*, viewer: Viewer, rows: list[tuple]) -> list[RowResult]:
    """Add every row (row number, sku, quantity as typed, unit or None) or none of them.

    The results are quick order's, with a row refused also when the line it would make
    breaks an order rule (its code and message). Nothing is written unless every row is
    "added". An empty list is refused whole (`nothing_typed`).
    """
    require_buyer(viewer)
    if not rows:
        raise BusinessRuleError(NOTHING_TYPED, _("Type a quantity on at least one line."))
    with transaction.atomic():
        results = cart_add_lines(viewer=viewer, rows=rows)
        if any(result.status != "added" for result in results):
            transaction.set_rollback(True)
            return results
        results = _judged(viewer, results)
        if any(result.status != "added" for result in results):
            transaction.set_rollback(True)
    return results


def _judged(viewer: Viewer, results: list[RowResult]) -> list[RowResult]:
    """The results with each row whose cart line now breaks an order rule refused."""
    touched = {sku_key(result.sku) for result in results}
    items, packagings = cart_contents(viewer.user)
    items = [(product, quantity) for product, quantity in items if sku_key(product.sku) in touched]
    quote = quote_cart(viewer, items, packagings=packagings)
    broken = {sku_key(line.product.sku): line for line in quote.lines if line.violations}
    judged = []
    for result in results:
        line = broken.get(sku_key(result.sku))
        if line is None:
            judged.append(result)
        else:
            judged.append(
                replace(
                    result,
                    status="error",
                    code=line.violations[0].code,
                    message=" ".join(line.messages),
                )
            )
    return judged
