"""The order confirmation e-mail, sent once the order is committed, in the buyer's language."""

from comptoir.accounts.permissions import SEE_PRICES
from comptoir.accounts.selectors import user_access
from comptoir.core.mail import send_templated
from comptoir.ordering.models import Order


def order_placed(order_id: int) -> None:
    order = (
        Order.objects.select_related("buyer", "company", "placed_by")
        .prefetch_related("lines", "tax_lines")
        .get(pk=order_id)
    )
    if order.buyer is None:
        return
    # A buyer whose role hides prices is told what was ordered, not what it costs.
    sees_prices = user_access(order.buyer).allows(SEE_PRICES)
    send_templated(
        order.buyer, "ordering/email/order_placed", {"order": order, "sees_prices": sees_prices}
    )
