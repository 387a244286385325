"""One function per kind of change, called by the service that makes the change, inside its
transaction: it builds the resource as the API shows it and records the event (outbox.py).

Resources are keyed by what the API names them by: an order, invoice, quote or approval
request by its number, a company by its code, a product by its SKU; a tax certificate, whose
number is only unique per company, by its id.
"""

from comptoir.ordering.models import Order, OrderStatus
from comptoir.webhooks import payloads
from comptoir.webhooks.models import EventType
from comptoir.webhooks.outbox import NewEvent, record_event, record_events


def order_placed(order) -> None:
    order = _orders([order.pk])[0]
    record_event(
        EventType.ORDER_PLACED,
        resource_type="order",
        resource_key=order.number,
        payload=payloads.order_payload(order),
    )


def orders_status_changed(order_ids: list[int], status: str) -> None:
    """The orders just moved to `status`: `order.cancelled` for a cancellation, else
    `order.status_changed`."""
    kind = (
        EventType.ORDER_CANCELLED
        if status == OrderStatus.CANCELLED
        else EventType.ORDER_STATUS_CHANGED
    )
    record_events(
        [
            NewEvent(kind, "order", order.number, payloads.order_payload(order))
            for order in _orders(order_ids)
        ]
    )


def _orders(ids: list[int]) -> list[Order]:
    return list(
        Order.objects.filter(pk__in=ids)
        .select_related("location")
        .prefetch_related("lines", "tax_lines")
        .order_by("pk")
    )


def invoice_issued(invoice) -> None:
    record_event(
        EventType.INVOICE_ISSUED,
        resource_type="invoice",
        resource_key=invoice.number,
        payload=payloads.invoice_payload(invoice),
    )


def payment_recorded(invoice, payment) -> None:
    """Keyed by the invoice: its issue and its payments reach a receiver in order."""
    record_event(
        EventType.PAYMENT_RECORDED,
        resource_type="invoice",
        resource_key=invoice.number,
        payload=payloads.payment_payload(invoice, payment),
    )


def credit_note_issued(invoice, note) -> None:
    """Keyed by the invoice it corrects, so that it reaches a receiver after the invoice's
    issue and payments, with the invoice's new figures (credited, due, status)."""
    record_event(
        EventType.CREDIT_NOTE_ISSUED,
        resource_type="invoice",
        resource_key=invoice.number,
        payload=payloads.credit_note_payload(invoice, note),
    )


def refund_recorded(invoice, refund) -> None:
    """Keyed by the invoice, as its payments are."""
    record_event(
        EventType.REFUND_RECORDED,
        resource_type="invoice",
        resource_key=invoice.number,
        payload=payloads.refund_payload(invoice, refund),
    )


def companies_changed(companies, type: str) -> None:
    """`companies`: as they are now (status written), their group selected."""
    record_events(
        [
            NewEvent(type, "company", company.code, payloads.company_payload(company))
            for company in companies
        ]
    )


def certificates_changed(certificates, type: str) -> None:
    """`certificates`: as they are now, their company selected."""
    record_events(
        [
            NewEvent(
                type, "certificate", str(certificate.pk), payloads.certificate_payload(certificate)
            )
            for certificate in certificates
        ]
    )


def quote_changed(quote, type: str) -> None:
    record_event(
        type,
        resource_type="quote",
        resource_key=quote.number,
        payload=payloads.quote_payload(quote),
    )


def approval_changed(approval, type: str) -> None:
    record_event(
        type,
        resource_type="approval",
        resource_key=approval.number,
        payload=payloads.approval_payload(approval),
    )


def stock_low(products, *, threshold: int) -> None:
    """`products`: those whose stock just fell to `threshold` or below, stock written."""
    record_events(
        [
            NewEvent(
                EventType.STOCK_LOW,
                "product",
                product.sku,
                payloads.stock_payload(product, threshold=threshold),
            )
            for product in products
        ]
    )


RETURN_EVENTS = {
    "requested": EventType.RETURN_REQUESTED,
    "accepted": EventType.RETURN_ACCEPTED,
    "refused": EventType.RETURN_REFUSED,
    "received": EventType.RETURN_RECEIVED,
}


def return_moved(request, state: str) -> None:
    """A return just reached `state`; the states without an event (credited, which
    `credit_note.issued` tells, and cancelled) record nothing."""
    kind = RETURN_EVENTS.get(state)
    if kind is None:
        return
    record_event(
        kind,
        resource_type="return",
        resource_key=request.number,
        payload=payloads.return_payload(request),
    )
