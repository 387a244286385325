"""Requisition lists as the API shows them: each line with today's price and the rules it
breaks, as the cart would say; a product the caller may no longer see is `available: false`
with its SKU only."""

from comptoir.catalog.availability import availability
from comptoir.core.money import format_decimal as dec
from comptoir.lists import rules
from comptoir.ordering.json_views import without_prices
from comptoir.ordering.rules import NOT_PURCHASABLE


def summary_json(viewer, requisition_list) -> dict:
    return {
        "id": requisition_list.pk,
        "name": requisition_list.name,
        "sharing": requisition_list.sharing,
        "location": requisition_list.location.code if requisition_list.location_id else None,
        "owner": requisition_list.owner.email,
        "entered_by": (
            requisition_list.entered_by.get_full_name() if requisition_list.entered_by_id else None
        ),
        "line_count": requisition_list.line_count,
        "updated_at": requisition_list.updated_at.isoformat(),
        "manageable": rules.may_manage(
            requisition_list.facts, user_id=viewer.user.pk, access=viewer.access
        ),
    }


def detail_json(viewer, requisition_list, lines, quote) -> dict:
    data = summary_json(viewer, requisition_list) | {
        "currency": quote.currency,
        "lines": [
            _line_json(line, quoted) for line, quoted in zip(lines, quote.lines, strict=True)
        ],
    }
    return data if viewer.sees_prices else without_prices(data)


def is_available(quoted) -> bool:
    """The caller may still see the product (a product without a price for them is visible)."""
    return not any(
        violation.code == NOT_PURCHASABLE and violation.params["withdrawn"]
        for violation in quoted.violations
    )


def _line_json(line, quoted) -> dict:
    available = is_available(quoted)
    product = line.product
    label = availability(product.stock, product.backorder) if available else None
    return {
        "sku": product.sku,
        "name": product.translated("name") if available else None,
        "qty": line.quantity,
        "unit": line.unit,
        "base_qty": line.base_quantity,
        "note": line.note,
        "available": available,
        "availability": {"status": label.status, "left": label.left} if label else None,
        "unit_price": dec(quoted.unit_price),
        "line_total": dec(quoted.net) if quoted.priced else None,
        "errors": [
            {"code": violation.code, "message": message, "sku": product.sku}
            for violation, message in zip(quoted.violations, quoted.messages, strict=True)
        ],
    }
