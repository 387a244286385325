"""What a logged-in buyer's home page shows of their own (issue 20, "Look"): the latest
orders their role lets them see, the company's open invoices with what is still due, their
lists, and the links their role opens. Rendered in a `{% per_viewer %}` part, so on every
request and never from another viewer's copy of the page; a few queries whatever the
number of orders, invoices or lists (each list is cut to `SHOWN`)."""

from dataclasses import dataclass, field

from django.db.models import F

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import REQUEST_QUOTES
from comptoir.lists.selectors import visible_lists
from comptoir.ordering.models import Order
from comptoir.ordering.selectors import company_orders
from comptoir.payments.models import Invoice, InvoiceStatus

SHOWN = 5
OPEN_INVOICES = (InvoiceStatus.UNPAID, InvoiceStatus.PARTLY_PAID, InvoiceStatus.OVERDUE)


@dataclass(frozen=True)
class BuyerHome:
    orders: list[Order] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    lists: list = field(default_factory=list)
    sees_prices: bool = False
    sees_invoices: bool = False
    may_order: bool = False
    keeps_lists: bool = False
    requests_quotes: bool = False


def buyer_home(viewer: Viewer) -> BuyerHome | None:
    """The buyer's own summary; None for a visitor, a user of no company or a company the
    store has not approved (their home is the visitors' one, with the status notice)."""
    if viewer.user is None or viewer.company_refusal() is not None:
        return None
    sees_invoices = viewer.sees_invoices
    keeps_lists = viewer.keeps_lists
    orders = list(
        company_orders(viewer)
        .select_related(None)
        .prefetch_related(None)
        .only("number", "placed_at", "status", "total", "currency", "company_id")[:SHOWN]
    )
    invoices = []
    if sees_invoices:
        found = Invoice.objects.filter(company=viewer.company, status__in=OPEN_INVOICES)
        if not viewer.access.all_locations:
            found = found.filter(order__location__in=viewer.access.location_ids)
        invoices = list(
            found.annotate(order_number=F("order__number"))
            .only(
                "number",
                "status",
                "issued_on",
                "due_on",
                "currency",
                "total",
                "amount_paid",
                "amount_credited",
                "amount_refunded",
            )
            .order_by("due_on", "number")[:SHOWN]
        )
    lists = list(visible_lists(viewer)[:SHOWN]) if keeps_lists else []
    return BuyerHome(
        orders=orders,
        invoices=invoices,
        lists=lists,
        sees_prices=viewer.sees_prices,
        sees_invoices=sees_invoices,
        may_order=viewer.may_order,
        keeps_lists=keeps_lists,
        requests_quotes=viewer.access.allows(REQUEST_QUOTES),
    )
