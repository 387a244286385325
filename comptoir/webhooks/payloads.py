"""The `data` of each event: the resource as the API shows it, built by the API's own
builders (orders, invoices, quotes, approval requests, the account's company and
certificates) so that an ERP reads one shape whether it polls or is told.
"""

from comptoir.approvals.json_views import approval_json, company_members
from comptoir.core.money import format_decimal as dec
from comptoir.customers.json_views import company_json
from comptoir.ordering.json_views import order_json
from comptoir.payments.resources import invoice_resource
from comptoir.quotes.json_views import quote_json
from comptoir.returns.json_views import return_json
from comptoir.tax.json_views import certificate_json


def order_payload(order) -> dict:
    """Reads the order's lines, tax lines and location: prefetch them for many orders."""
    return order_json(order)


def invoice_payload(invoice) -> dict:
    """The invoice as `GET /invoices/{number}` shows it."""
    return invoice_resource(invoice)


def payment_payload(invoice, payment) -> dict:
    """The invoice after the payment, and the payment."""
    return invoice_payload(invoice) | {
        "payment": {
            "amount": dec(payment.amount),
            "paid_on": payment.paid_on.isoformat(),
            "method": payment.method,
            "reference": payment.reference,
        }
    }


def credit_note_payload(invoice, note) -> dict:
    """The invoice after the credit note, and the credit note (`GET /credit-notes/{number}`
    gives its lines and tax lines)."""
    return invoice_payload(invoice) | {
        "credit_note": {
            "number": note.number,
            "issued_on": note.issued_on.isoformat(),
            "kind": note.kind,
            "reason": note.reason,
            "total": dec(note.total),
        }
    }


def refund_payload(invoice, refund) -> dict:
    """The invoice after the refund, and the refund."""
    return invoice_payload(invoice) | {
        "refund": {
            "amount": dec(refund.amount),
            "refunded_on": refund.refunded_on.isoformat(),
            "method": refund.method,
            "reference": refund.reference,
        }
    }


def company_payload(company) -> dict:
    return company_json(company)


def certificate_payload(certificate) -> dict:
    """Reads `certificate.company`: select it with the certificate."""
    return certificate_json(certificate) | {"company": certificate.company.code}


def quote_payload(quote) -> dict:
    """As the buyer's API shows it to a role that sees prices: the ERP is the merchant's."""
    return quote_json(quote, sees_prices=True)


def approval_payload(approval) -> dict:
    return approval_json(approval, company_members(approval.company))


def stock_payload(product, *, threshold: int) -> dict:
    return {
        "sku": product.sku,
        "name": product.name,
        "stock": product.stock,
        "threshold": threshold,
        "backorder": product.backorder,
    }


def return_payload(request) -> dict:
    """As `GET /returns/{number}` shows it, with the company's code (the ERP serves many)."""
    return return_json(request) | {"company": request.company.code}
