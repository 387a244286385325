"""An approved request becomes an order (DESIGN.md "Team buying"), by the placement code of
checkout: the same locks, the same re-checks (order rules, payment eligibility, credit,
stock), the same snapshot. Only the prices differ: the request's, kept until `valid_until`,
while shipping and taxes are those of the order date (except a quote's shipping price, which
the order from the quote charges whenever it is placed).

Budgets and approval rules are not asked again: the request was counted in its budgets while
it waited, and the rules it matched are the ones that approved it.
"""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import User
from comptoir.approvals.models import ApprovalRequest
from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import InvoiceOn
from comptoir.core.selectors import get_store
from comptoir.customers.models import Company
from comptoir.ordering.locations import order_site
from comptoir.ordering.models import Order
from comptoir.ordering.placement import (
    CheckoutRequest,
    method_errors,
    refuse,
    rule_errors,
    snapshot_order,
    take_stock,
)
from comptoir.ordering.quotes import Destination, FixedPrice, chosen_method, quote_cart
from comptoir.payments.invoicing import invoice_for_order
from comptoir.pricing.engine import Step
from comptoir.quotes.checkout import accepted_shipping, accepted_waivers
from comptoir.quotes.services import quote_mark_ordered
from comptoir.quotes.workflow import locked as locked_quote

APPROVAL_STEP = "approval"


def fixed_prices(approval: ApprovalRequest, lines) -> dict[int, FixedPrice]:
    """The snapshot's price of each line, its explanation ending with the approval."""
    return {
        line.product_id: FixedPrice(
            unit_price=line.unit_price,
            gross=line.gross,
            promotion_percent=line.promotion_percent,
            promotion=line.promotion_amount,
            volume_percent=line.volume_percent,
            volume=line.volume_amount,
            net=line.net,
            steps=(
                *(_step(entry) for entry in line.explanation),
                Step(
                    APPROVAL_STEP,
                    approval.number,
                    f"price of the approval request, kept until {approval.valid_until}",
                    line.unit_price,
                ),
            ),
        )
        for line in lines
    }


def _step(entry: dict) -> Step:
    price = entry.get("unit_price")
    return Step(
        entry.get("step", ""),
        entry.get("source", ""),
        entry.get("detail", ""),
        Decimal(price) if price is not None else None,
    )


def place_approved(approval: ApprovalRequest) -> Order:
    """Place the request's order for its requester, or refuse with every reason
    (BusinessRuleError); nothing is written when it refuses. Runs in the caller's transaction,
    the request row already locked."""
    # The locks of checkout, in its order: the company, then the products by id.
    Company.objects.select_for_update().filter(pk=approval.company_id).first()
    # An order from a quote keeps the minimum and multiple the quote waived (issue 17).
    quoted = locked_quote(approval.quote_id) if approval.quote_id else None
    lines = list(approval.lines.select_related("packaging").order_by("position", "id"))
    gone = [line.sku for line in lines if line.product_id is None]
    if gone:
        raise BusinessRuleError(
            "product_unavailable",
            _("These products are no longer sold: %(skus)s.") % {"skus": ", ".join(gone)},
        )
    locked = (
        Product.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk__in=[line.product_id for line in lines])
    )
    products = {product.pk: product for product in locked.order_by("pk")}
    items = [(products[line.product_id], line.quantity) for line in lines]

    requester = User.objects.select_related("company__group").get(pk=approval.requester_id)
    # The order carries the staff user who submitted the request for the buyer, if one did.
    staff = User.objects.get(pk=approval.entered_by_id) if approval.entered_by_id else None
    viewer = viewer_for(get_store(), requester, staff=staff)
    if not requester.is_active or requester.company_id != approval.company_id:
        raise BusinessRuleError(
            "permission_denied", _("The requester's account is no longer active.")
        )
    refusal = viewer.order_refusal()
    if refusal is not None:
        raise BusinessRuleError(*refusal)
    address = dict(approval.shipping_address)
    site = order_site(
        viewer,
        location_code=approval.location.code if approval.location_id else None,
        address_code=address.get("code") or None,
    )
    destination = Destination(**{key: address.get(key) or "" for key in _ADDRESS_KEYS})
    request = CheckoutRequest(
        shipping_address=destination,
        location=approval.location.code if approval.location_id else None,
        shipping_method=approval.shipping_method_code,
        payment_method=approval.payment_method_code,
        po_number=approval.po_number,
        comment=approval.comment,
    )
    quote = quote_cart(
        viewer,
        items,
        destination=destination,
        shipping_code=approval.shipping_method_code,
        fixed=fixed_prices(approval, lines),
        waived=accepted_waivers(quoted) if quoted else None,
        shipping_price=accepted_shipping(quoted) if quoted else None,
        packagings={line.product_id: line.packaging for line in lines if line.packaging_id},
    )
    payment = chosen_method(quote.payment_options, approval.payment_method_code)
    refuse(rule_errors(quote, request) + method_errors(quote, request, payment))
    taken = take_stock([(line.product, line.base_quantity) for line in quote.lines])
    order = snapshot_order(viewer, quote, request, payment, taken, site)
    if quoted is not None:
        quote_mark_ordered(
            quote_id=quoted.pk,
            order=order,
            actor=requester,
            staff=staff,
            asked_on=approval.submitted_at.astimezone(ZoneInfo(viewer.store.time_zone)).date(),
        )
    if viewer.store.invoice_on == InvoiceOn.PLACED:
        invoice_for_order(order=order, store=viewer.store)
    return order


_ADDRESS_KEYS = ("code", "line1", "line2", "postal_code", "city", "country", "region")
