"""An invoice as the outside world reads it: the API's buyers and integrations, and the events
that announce an issued invoice. One builder, so every channel says the same thing."""

from decimal import Decimal

from comptoir.core.money import format_decimal
from comptoir.payments.models import Invoice


def invoice_resource(invoice: Invoice) -> dict:
    """The invoice's snapshot as JSON values (decimals as strings, dates as ISO 8601).

    Reads the invoice row only: its order's number comes from `order_number` when the query
    annotated it (selectors.visible_invoices), else from the order itself.
    """
    order_number = getattr(invoice, "order_number", None) or invoice.order.number
    return {
        "number": invoice.number,
        "order": order_number,
        "status": invoice.status,
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": invoice.due_on.isoformat(),
        "currency": invoice.currency,
        "po_number": invoice.po_number,
        "payment_method": invoice.payment_method_code,
        "buyer": {
            "code": invoice.buyer_code,
            "name": invoice.buyer_name,
            "vat_number": invoice.buyer_vat_number,
        },
        "billing_address": invoice.billing_address,
        "lines": [
            {
                "sku": line["sku"],
                "name": line["name"],
                "quantity": line["quantity"],
                "unit": line.get("unit", ""),
                "unit_price": format_decimal(Decimal(line["unit_price"])),
                "gross": line["gross"],
                "discount": line["discount"],
                "net": line["net"],
                "tax_rate": format_decimal(Decimal(line["tax_rate"])),
            }
            for line in invoice.lines
        ],
        "tax_lines": [
            {
                "rate": format_decimal(Decimal(tax["rate"])),
                "base": tax["base"],
                "amount": tax["amount"],
                "reason": tax.get("reason") or None,
            }
            for tax in invoice.tax_lines
        ],
        "subtotal": str(invoice.subtotal),
        "discount_total": str(invoice.discount_total),
        "shipping_total": str(invoice.shipping_total),
        "tax_total": str(invoice.tax_total),
        "total": str(invoice.total),
        # A new invoice's defaults are the integer 0 until it is read back.
        "amount_credited": format_decimal(Decimal(invoice.amount_credited), 2),
        "amount_paid": format_decimal(Decimal(invoice.amount_paid), 2),
        "amount_refunded": format_decimal(Decimal(invoice.amount_refunded), 2),
        "amount_due": format_decimal(Decimal(invoice.amount_due), 2),
        "tax_mention": invoice.tax_mention,
        "updated_at": invoice.updated_at.isoformat(),
    }
