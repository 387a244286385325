"""An order's status after it was placed: the only way it moves, in the back office or elsewhere.

placed → confirmed → shipped → delivered, a step possibly skipped (placed → shipped), and
placed, confirmed or shipped → cancelled. Delivered and cancelled are final. Cancelling puts
back into stock what placing the order took from it: each line's quantity, or less for a
product on backorder (`OrderLine.stock_taken`); lines whose product was deleted are skipped.

The orders are locked (`select_for_update`) and their status read under the lock, so two
cancellations of the same order, even at the same time, restore its stock once: the second
one finds it cancelled and refuses. Product rows are then locked by id, the order the
placement takes them in (placement.py), so a cancellation and a placement never deadlock.

Invoices (payments/invoicing.py): an issued invoice is never cancelled; cancelling an
invoiced order, paid or not, issues a credit note for whatever of its invoice remains
(credits/services.py); money already paid then waits for its refund. A store that invoices
on shipping invoices an order when it becomes shipped (or delivered, the step skipped).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.db import transaction
from django.db.models import Case, F, IntegerField, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import InvoiceOn
from comptoir.core.selectors import get_store, store_today
from comptoir.credits.services import credit_cancelled_orders
from comptoir.ordering.models import Order, OrderLine, OrderStatus
from comptoir.payments import invoicing
from comptoir.webhooks import events

# Where each status may go. A status absent from the values is never a target (placed).
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.PLACED: frozenset(
        {OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED}
    ),
    OrderStatus.CONFIRMED: frozenset(
        {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED}
    ),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.CANCELLED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
FINAL_STATUSES = frozenset(status for status, targets in TRANSITIONS.items() if not targets)
# An order reaching one of these has left the warehouse: a store invoicing on shipping
# invoices it then.
INVOICED_STATUSES = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED})

# Ids and products per statement: far below every database's limit on parameters.
BATCH_SIZE = 500


class Refusal(NamedTuple):
    """An order left as it was, and why (`code` is stable, `message` is for people)."""

    number: str
    code: str
    message: str


class StatusChange(NamedTuple):
    """How many orders moved to the new status, and the refused ones in number order."""

    changed: int
    refused: list[Refusal]


def allowed_statuses(current: str) -> list[str]:
    """The statuses an order in `current` may move to, in the order of the workflow."""
    targets = TRANSITIONS.get(current, frozenset())
    return [status for status in OrderStatus.values if status in targets]


def transition_refusal(*, number: str, current: str, status: str) -> Refusal | None:
    """Why an order in `current` may not move to `status`, or None when it may."""
    if status in TRANSITIONS.get(current, frozenset()):
        return None
    labels = {"number": number, "current": OrderStatus(current).label}
    labels["status"] = OrderStatus(status).label
    if current == status:
        return Refusal(
            number,
            "order_status_unchanged",
            _("Order %(number)s is already “%(current)s”.") % labels,
        )
    if current in FINAL_STATUSES:
        return Refusal(
            number,
            "order_status_final",
            _("Order %(number)s is “%(current)s”: its status can no longer change.") % labels,
        )
    return Refusal(
        number,
        "order_status_backwards",
        _("Order %(number)s is “%(current)s”: it cannot go back to “%(status)s”.") % labels,
    )


def orders_set_status(*, orders: QuerySet[Order], status: str) -> StatusChange:
    """Moves every order of `orders` that may go to `status` there; refuses the others.

    All or nothing: one transaction. When `status` is cancelled, the stock of the lines of
    the orders that change is restored with one UPDATE of the products (per 500 products).
    Raises BusinessRuleError("unknown_order_status") when `status` is not an order status.
    """
    _check_status(status)
    with transaction.atomic():
        # The orders' ids taken from a plain query: `orders` may be annotated (the admin
        # counts lines), and rows cannot be locked through an aggregate.
        # Their invoices come along (no lock of their own: a payment locks the order first).
        locked = (
            Order.objects.select_for_update(of=("self",))
            .filter(pk__in=orders.order_by().values("pk"))
            .order_by("pk")
            .values_list("pk", "number", "status", "invoice__number")
        )
        moving: list[int] = []
        invoiced: list[int] = []
        refused: list[Refusal] = []
        for pk, number, current, invoice in locked:
            refusal = transition_refusal(number=number, current=current, status=status)
            if refusal is None:
                moving.append(pk)
                if invoice is not None:
                    invoiced.append(pk)
            else:
                refused.append(refusal)
        if status == OrderStatus.CANCELLED and moving:
            _restore_stock(moving)
        changes = {"status": status, "updated_at": timezone.now()}
        if status == OrderStatus.DELIVERED:
            changes["delivered_on"] = store_today(get_store())
        for ids in _batches(moving):
            Order.objects.filter(pk__in=ids).update(**changes)
            events.orders_status_changed(ids, status)
        if status == OrderStatus.CANCELLED and invoiced:
            credit_cancelled_orders(invoiced, reason=_("Order cancelled"))
        if status in INVOICED_STATUSES and len(invoiced) < len(moving):
            already = set(invoiced)
            _invoice_shipped([pk for pk in moving if pk not in already])
    refused.sort(key=lambda refusal: refusal.number)
    return StatusChange(len(moving), refused)


def _invoice_shipped(order_ids: list[int]) -> None:
    """A store that invoices on shipping invoices the orders that just shipped (or were
    delivered without being marked shipped first)."""
    store = get_store()
    if store.invoice_on != InvoiceOn.SHIPPED:
        return
    for order in Order.objects.filter(pk__in=order_ids).order_by("pk"):
        invoicing.invoice_for_order(order=order, store=store)


def order_set_status(*, order: Order, status: str) -> Order:
    """Moves one order to `status`; raises BusinessRuleError with the reason when it may not."""
    _check_status(status)
    change = orders_set_status(orders=Order.objects.filter(pk=order.pk), status=status)
    if change.refused:
        refusal = change.refused[0]
        raise BusinessRuleError(refusal.code, refusal.message)
    if not change.changed:
        raise BusinessRuleError(
            "order_not_found", _("Order %(number)s no longer exists.") % {"number": order.number}
        )
    order.status = status
    return order


def _check_status(status: str) -> None:
    if status not in TRANSITIONS:
        raise BusinessRuleError(
            "unknown_order_status",
            _("“%(status)s” is not an order status; choose one of: %(statuses)s.")
            % {"status": status, "statuses": ", ".join(OrderStatus.values)},
        )


def _restore_stock(order_ids: list[int]) -> None:
    """Adds back to each product's stock what placing the orders took from it.

    That is the quantity ordered, or less for a product on backorder (`stock_taken`);
    lines placed before it was recorded give back their quantity.
    """
    quantities: dict[int, int] = defaultdict(int)
    for ids in _batches(order_ids):
        rows = (
            OrderLine.objects.filter(order_id__in=ids, product__isnull=False)
            .order_by()
            .values("product_id")
            .annotate(quantity=Sum(Coalesce("stock_taken", "base_quantity", "quantity")))
            .values_list("product_id", "quantity")
        )
        for product_id, quantity in rows:
            quantities[product_id] += quantity
    for product_ids in _batches(sorted(quantities)):
        # Locked by id first, as the placement locks them, then one UPDATE for all of them.
        list(
            Product.objects.select_for_update()
            .filter(pk__in=product_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Product.objects.filter(pk__in=product_ids).update(
            stock=Case(
                *(When(pk=pk, then=F("stock") + quantities[pk]) for pk in product_ids),
                default=F("stock"),
                output_field=IntegerField(),
            ),
            updated_at=timezone.now(),
        )


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
