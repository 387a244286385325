"""The JSON shapes of API.md §2 for carts, quick-order rows and orders."""

from comptoir.core.money import format_decimal as dec
from comptoir.core.translatable import translation_of
from comptoir.ordering.models import Order
from comptoir.ordering.quotes import CartQuote
from comptoir.ordering.services import RowResult


def _tax_lines(lines) -> list[dict]:
    return [
        {
            "rate": dec(line.rate),
            "base": dec(line.base),
            "amount": dec(line.amount),
            "reason": line.reason or None,
        }
        for line in lines
    ]


def cart_json(quote: CartQuote) -> dict:
    return {
        "currency": quote.currency,
        "lines": [
            {
                "sku": line.product.sku,
                "name": line.product.translated("name"),
                "qty": line.quantity,
                "unit": line.unit,
                "base_qty": line.base_quantity,
                "unit_price": dec(line.unit_price),
                "gross": dec(line.gross),
                "discount": dec(line.discount),
                "line_total": dec(line.net),
                "tax_rate": dec(line.tax_rate),
                "errors": [
                    {"code": violation.code, "message": message, "sku": line.product.sku}
                    for violation, message in zip(line.violations, line.messages, strict=True)
                ],
            }
            for line in quote.lines
        ],
        "subtotal": dec(quote.subtotal),
        "discount_total": dec(quote.discount_total),
        "shipping_total": dec(quote.shipping_total),
        "tax_lines": _tax_lines(quote.tax_lines),
        "tax_total": dec(quote.tax_total),
        "total": dec(quote.total),
        "errors": [
            {"code": violation.code, "message": message, "sku": None}
            for violation, message in zip(quote.violations, quote.messages, strict=True)
        ],
        "can_checkout": quote.can_checkout,
        "payment_methods": [
            {"code": m.code, "name": translation_of(m, "name")} for m in quote.payment_options
        ],
        "shipping_methods": [
            {"code": method.code, "name": translation_of(method, "name"), "price": dec(price)}
            for method, price in quote.shipping_options
        ],
    }


AMOUNT_KEYS = frozenset(
    {
        "unit_price",
        "gross",
        "discount",
        "line_total",
        "subtotal",
        "discount_total",
        "shipping_total",
        "tax_total",
        "total",
        "price",
    }
)


def without_prices(data):
    """A cart or an order as a user whose role lacks `see_prices` gets it: every amount null,
    no tax lines; quantities, rules and errors stay."""
    if isinstance(data, list):
        return [without_prices(item) for item in data]
    if not isinstance(data, dict):
        return data
    return {
        key: None if key in AMOUNT_KEYS else [] if key == "tax_lines" else without_prices(value)
        for key, value in data.items()
    }


def row_json(result: RowResult) -> dict:
    return {
        "row": result.row,
        "sku": result.sku,
        "qty": result.quantity,
        "status": result.status,
        "code": result.code,
        "message": result.message,
    }


def order_json(order: Order) -> dict:
    address = dict(order.shipping_address)
    address.pop("code", None)
    return {
        "number": order.number,
        "status": order.status,
        "placed_at": order.placed_at.isoformat(),
        "location": order.location.code if order.location_id else None,
        "currency": order.currency,
        "po_number": order.po_number,
        "placed_by": order.placed_by.get_full_name() if order.placed_by_id else None,
        "payment_method": order.payment_method_code,
        "shipping_method": order.shipping_method_code,
        "shipping_address": address,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "qty": line.quantity,
                "unit": line.unit,
                "base_qty": line.base_quantity or line.quantity,
                "unit_price": dec(line.unit_price),
                "gross": dec(line.gross),
                "discount": dec(line.discount),
                "line_total": dec(line.net),
                "tax_rate": dec(line.tax_rate),
                "errors": [],
            }
            for line in order.lines.all()
        ],
        "subtotal": dec(order.subtotal),
        "discount_total": dec(order.discount_total),
        "shipping_total": dec(order.shipping_total),
        "tax_lines": _tax_lines(order.tax_lines.all()),
        "tax_total": dec(order.tax_total),
        "total": dec(order.total),
        "tax_mention": order.tax_mention,
        "payment_status": order.payment_status,
    }
