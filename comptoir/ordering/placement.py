"""Placing an order (DESIGN.md "Orders"): one transaction that re-prices, re-checks and snapshots.

Locks are taken in a fixed order (the buyer's cart, then the products by id) so that two
placements can never deadlock, and stock is decremented only after the locked rows were
checked, so nothing is ever oversold. A placement key (API `Idempotency-Key`, checkout form
token) turns a repeated submission into the order the first one made.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, When
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.approvals.checkout import approval_submit, checkout_gate, refuse_over_budget
from comptoir.approvals.models import ApprovalRequest
from comptoir.approvals.tasks import notify_approvers
from comptoir.catalog.models import Packaging, Product
from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import InvoiceOn
from comptoir.core.numbering import next_document_number, raise_counters
from comptoir.core.selectors import get_store, store_today
from comptoir.core.translatable import translation_of
from comptoir.customers.models import Address, Company
from comptoir.ordering.locations import OrderSite, order_site
from comptoir.ordering.models import (
    Cart,
    CartLine,
    Order,
    OrderCounter,
    OrderLine,
    OrderTaxLine,
    PlacementKey,
)
from comptoir.ordering.quotes import (
    CartQuote,
    Destination,
    address_destination,
    chosen_method,
    quote_cart,
)
from comptoir.ordering.services import require_buyer
from comptoir.ordering.tasks import send_order_confirmation
from comptoir.payments.invoicing import invoice_for_order
from comptoir.payments.models import PaymentType
from comptoir.quotes.checkout import quote_for_order
from comptoir.quotes.services import quote_mark_ordered
from comptoir.webhooks import events

KEY_LIFETIME = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class CheckoutRequest:
    """What the buyer chose at checkout; `shipping_address` is an address code or a new one."""

    shipping_address: str | Destination | None = None
    location: str | None = None
    shipping_method: str | None = None
    payment_method: str | None = None
    po_number: str = ""
    comment: str = ""
    quote: str | None = None
    """The number of an accepted quote to order instead of the cart (issue 17)."""
    items: tuple[tuple[int, int] | tuple[int, int, int | None], ...] | None = None
    """(product id, quantity[, packaging id or None]) to order instead of the cart: an order
    entered in the back office for the buyer (issue 18), priced and checked exactly as the
    cart would be, a packaged line counting its packagings as a cart line does; the buyer's
    own cart is left as it is."""

    def fingerprint(self) -> str:
        """The request's meaning, so a retry with the same key and choices is recognised.

        The texts are compared trimmed, as the order stores them: " PO-1 " is "PO-1".
        """
        address = self.shipping_address
        body = {
            "shipping_address": address.as_dict() if isinstance(address, Destination) else address,
            "location": (self.location or "").lower() or None,
            "shipping_method": (self.shipping_method or "").casefold() or None,
            "payment_method": (self.payment_method or "").casefold() or None,
            "po_number": self.po_number.strip(),
            "comment": self.comment.strip(),
            "quote": (self.quote or "").strip() or None,
        }
        if self.items is not None:
            # (id, quantity, None) means what (id, quantity) meant: a retry keeps its key.
            body["items"] = [
                list(item[:2]) if len(item) < 3 or item[2] is None else list(item)
                for item in self.items
            ]
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Placement:
    """An order, or the approval request the cart became when a rule asked for one."""

    order: Order | None
    created: bool
    approval: ApprovalRequest | None = None


def order_place(*, viewer: Viewer, request: CheckoutRequest, key: str | None = None) -> Placement:
    """Place the buyer's cart as an order (or send it for approval, issue 16), or return what
    a previous use of `key` made."""
    require_buyer(viewer)
    fingerprint = request.fingerprint()
    with transaction.atomic():
        placement_key = None
        if key:
            PlacementKey.objects.filter(
                buyer=viewer.user, key=key, created_at__lt=timezone.now() - KEY_LIFETIME
            ).delete()
            try:
                with transaction.atomic():
                    placement_key = PlacementKey.objects.create(
                        buyer=viewer.user, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                return _earlier_placement(viewer, key, fingerprint)
        order = _place(viewer, request)
        if isinstance(order, ApprovalRequest):
            if placement_key is not None:
                placement_key.approval_number = order.number
                placement_key.save(update_fields=["approval_number"])
            transaction.on_commit(lambda: notify_approvers.enqueue(order.pk), robust=True)
            return Placement(None, created=True, approval=order)
        if placement_key is not None:
            placement_key.order = order
            placement_key.save(update_fields=["order"])
        # Robust: the order is placed once committed, even if the queue (Redis) is down;
        # the failure is logged, not turned into an error for the buyer.
        transaction.on_commit(lambda: send_order_confirmation.enqueue(order.pk), robust=True)
    return Placement(order, created=True)


def _earlier_placement(viewer: Viewer, key: str, fingerprint: str) -> Placement:
    earlier = PlacementKey.objects.select_related("order").get(buyer=viewer.user, key=key)
    if earlier.fingerprint != fingerprint:
        raise BusinessRuleError(
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for another checkout request."),
        )
    if earlier.approval_number:
        approval = ApprovalRequest.objects.filter(
            company=viewer.company, number=earlier.approval_number
        ).first()
        if approval is None:
            raise BusinessRuleError(
                "idempotency_key_reused",
                _("This Idempotency-Key was used for a request that no longer exists."),
            )
        return Placement(None, created=False, approval=approval)
    return Placement(earlier.order, created=False)


def _place(viewer: Viewer, request: CheckoutRequest) -> Order | ApprovalRequest:
    cart = Cart.objects.select_for_update().filter(buyer=viewer.user).first()
    # Buyers of one company placing at once are taken one after the other, so that each
    # credit check sees the orders of the others (open balance + total <= credit limit).
    Company.objects.select_for_update().filter(pk=viewer.company.pk).first()
    # An order from a quote is of the quote's lines; the cart is left as it is.
    from_quote = quote_for_order(viewer, request.quote.strip()) if request.quote else None
    packagings = {}
    if from_quote is not None:
        wanted = [(product.pk, quantity) for product, quantity in from_quote.items]
        location_code = from_quote.quote.location.code if from_quote.quote.location_id else None
    elif request.items is not None:
        wanted = [(item[0], item[1]) for item in request.items]
        packagings = _entered_packagings(request.items)
        location_code = None
    else:
        lines = (
            list(CartLine.objects.filter(cart=cart).select_related("packaging").order_by("id"))
            if cart
            else []
        )
        wanted = [(line.product_id, line.quantity) for line in lines]
        packagings = {line.product_id: line.packaging for line in lines if line.packaging_id}
        location_code = cart.location.code if cart and cart.location_id else None
    if not wanted:
        raise BusinessRuleError("cart_empty", _("The cart is empty."))
    from_cart = from_quote is None and request.items is None
    locked = (
        Product.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk__in=[product_id for product_id, _quantity in wanted])
    )
    products = {product.pk: product for product in locked.order_by("pk")}
    items = [(products[product_id], quantity) for product_id, quantity in wanted]
    # The location named at checkout, else the one chosen on the cart (or the quote's).
    site = order_site(
        viewer,
        location_code=request.location or location_code,
        address_code=request.shipping_address
        if isinstance(request.shipping_address, str)
        else None,
    )
    destination = shipping_destination(viewer, request.shipping_address)
    if destination is None and site.default_address is not None:
        destination = address_destination(site.default_address)
    quote = quote_cart(
        viewer,
        items,
        destination=destination,
        shipping_code=request.shipping_method,
        fixed=from_quote.fixed if from_quote else None,
        waived=from_quote.waived if from_quote else None,
        shipping_price=from_quote.shipping_price if from_quote else None,
        packagings=packagings,
    )
    payment = chosen_method(quote.payment_options, request.payment_method)
    # DESIGN.md's order: order rules, budget, approval rules, payment and credit, stock.
    refuse(rule_errors(quote, request))
    gate = checkout_gate(
        viewer,
        quote,
        location=site.location,
        payment_code=payment.code if payment else request.payment_method,
        shipping_code=quote.shipping.code if quote.shipping else request.shipping_method,
    )
    refuse_over_budget(gate, quote.currency)
    refuse(method_errors(quote, request, payment))
    if gate.needs_approval:
        approval = approval_submit(
            viewer=viewer,
            quote=quote,
            request=request,
            payment=payment,
            site=site,
            gate=gate,
            from_quote=from_quote.quote if from_quote else None,
        )
        if from_cart:
            CartLine.objects.filter(cart=cart).delete()
        return approval
    taken = take_stock([(line.product, line.base_quantity) for line in quote.lines])
    order = snapshot_order(viewer, quote, request, payment, taken, site)
    if from_quote is not None:
        quote_mark_ordered(
            quote_id=from_quote.quote.pk, order=order, actor=viewer.user, staff=viewer.staff
        )
    if viewer.store.invoice_on == InvoiceOn.PLACED:
        invoice_for_order(order=order, store=viewer.store)
    if from_cart:
        CartLine.objects.filter(cart=cart).delete()
    return order


def _entered_packagings(items) -> dict[int, Packaging]:
    """The packaging of each entered line that names one, by product id; a packaging that
    is not of its line's product is refused as an unknown unit, nothing written."""
    named = {item[0]: item[2] for item in items if len(item) > 2 and item[2] is not None}
    found = {
        packaging.pk: packaging
        for packaging in Packaging.objects.filter(pk__in=named.values(), product_id__in=named)
    }
    packagings = {}
    for product_id, packaging_id in named.items():
        packaging = found.get(packaging_id)
        if packaging is None or packaging.product_id != product_id:
            raise BusinessRuleError("unknown_unit", _("This product is not sold in that unit."))
        packagings[product_id] = packaging
    return packagings


def shipping_destination(viewer: Viewer, chosen: str | Destination | None) -> Destination | None:
    """The address a checkout names (a company address code or a typed one); None: the default."""
    if isinstance(chosen, Destination):
        return chosen
    if chosen:
        address = Address.objects.filter(company=viewer.company, code=chosen).first()
        if address is None:
            raise BusinessRuleError(
                "unknown_address",
                _("Your company has no address %(code)s.") % {"code": chosen},
                [{"field": "shipping_address", "code": "unknown_address", "message": chosen}],
            )
        return address_destination(address)
    return None


def refuse(errors: list[dict]) -> None:
    """Raise the first error's code with every reason, or nothing when there is none."""
    if errors:
        raise BusinessRuleError(
            errors[0]["code"],
            _("The cart cannot be ordered: %(reasons)s")
            % {"reasons": " ".join(error["message"] for error in errors)},
            errors,
        )


def rule_errors(quote: CartQuote, request: CheckoutRequest) -> list[dict]:
    """The order rules' reasons the quote cannot become an order (lines, cart, address,
    shipping), line errors first."""
    errors = [
        {"sku": line.product.sku, "code": violation.code, "message": message}
        for line in quote.lines
        for violation, message in zip(line.violations, line.messages, strict=True)
    ]
    errors += [
        {"field": "cart", "code": violation.code, "message": message}
        for violation, message in zip(quote.violations, quote.messages, strict=True)
    ]
    if quote.destination is None:
        errors.append(
            {
                "field": "shipping_address",
                "code": "unknown_address",
                "message": _("Give a shipping address."),
            }
        )
    if quote.shipping is None or quote.problems:
        refused = quote.refused_methods.get((request.shipping_method or "").casefold())
        errors.append(
            {
                "field": "shipping_method",
                "code": "shipping_method_not_eligible",
                "message": refused[1]
                if refused
                else _("This shipping method is not available for this order."),
            }
        )
    return errors


def method_errors(quote: CartQuote, request: CheckoutRequest, payment) -> list[dict]:
    """Why the payment cannot be taken: an ineligible method, credit, a missing PO number."""
    errors = []
    if payment is None:
        refused = quote.refused_methods.get((request.payment_method or "").casefold())
        code = "payment_method_not_eligible"
        if refused and refused[0].code == "credit_limit_exceeded":
            code = "credit_limit_exceeded"
        errors.append(
            {
                "field": "payment_method",
                "code": code,
                "message": refused[1]
                if refused
                else _("Choose one of the payment methods offered for this order."),
            }
        )
    elif payment.type == PaymentType.PURCHASE_ORDER and not request.po_number.strip():
        errors.append(
            {
                "field": "po_number",
                "code": "po_number_required",
                "message": _("Paying by purchase order needs your purchase-order number."),
            }
        )
    return errors


def take_stock(items: list[tuple[Product, int]]) -> dict[int, int]:
    """One UPDATE for every line; returns what was taken from each product's stock.

    The rows are locked and were checked, so their stock is current and stays >= 0: a
    product on backorder gives what it has (5 ordered from 3 in stock takes 3), and a
    cancellation puts back exactly that (order_status.py), never the quantity ordered.
    """
    taken = {
        product.pk: min(quantity, max(product.stock, 0)) if product.backorder else quantity
        for product, quantity in items
    }
    whens = [When(pk=pk, then=F("stock") - amount) for pk, amount in taken.items()]
    Product.objects.filter(pk__in=list(taken)).update(
        stock=Case(*whens, default=F("stock"), output_field=IntegerField()),
        updated_at=timezone.now(),
    )
    _record_stock_low(items, taken)
    return taken


def _record_stock_low(items: list[tuple[Product, int]], taken: dict[int, int]) -> None:
    """A product whose stock this order takes from above the store's threshold to it or
    below records a `stock.low` webhook event (once per crossing, not on every order)."""
    threshold = get_store().low_stock_threshold
    if threshold is None:
        return
    low = []
    for product, _quantity in items:
        after = product.stock - taken[product.pk]
        if product.stock > threshold >= after:
            product.stock = after
            low.append(product)
    events.stock_low(low, threshold=threshold)


def snapshot_order(
    viewer: Viewer,
    quote: CartQuote,
    request: CheckoutRequest,
    payment,
    taken: dict[int, int],
    site: OrderSite,
) -> Order:
    store, company = viewer.store, viewer.company
    billing = site.location.billing_address or (
        Address.objects.filter(company=company).order_by("position", "id").first()
    )
    order = Order.objects.create(
        number=next_order_number(store_today(store).year),
        company=company,
        buyer=viewer.user,
        placed_by=viewer.staff,
        location=site.location,
        placed_at=timezone.now(),
        currency=quote.currency,
        customer_group_code=viewer.group.code,
        po_number=request.po_number.strip(),
        comment=request.comment.strip(),
        payment_method_code=payment.code,
        payment_method_name=payment.name,
        payment_instructions=translation_of(payment, "instructions"),
        shipping_method_code=quote.shipping.code,
        shipping_method_name=quote.shipping.name,
        shipping_address=quote.destination.as_dict(),
        billing_address=address_destination(billing).as_dict()
        if billing
        else quote.destination.as_dict(),
        subtotal=quote.subtotal,
        discount_total=quote.discount_total,
        shipping_total=quote.shipping_total,
        tax_total=quote.tax_total,
        total=quote.total,
        tax_mention=quote.tax_mention,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            position=position,
            product=line.product,
            sku=line.product.sku,
            name=line.product.name,
            category_code=line.product.category.code if line.product.category_id else "",
            quantity=line.quantity,
            unit=line.unit,
            base_quantity=line.base_quantity if line.packaging else None,
            base_unit=line.product.unit if line.packaging else "",
            stock_taken=taken[line.product.pk],
            unit_price=line.unit_price,
            gross=line.gross,
            promotion_percent=line.promotion_percent,
            promotion_amount=line.promotion,
            volume_percent=line.volume_percent,
            volume_amount=line.volume,
            net=line.net,
            tax_class=line.product.tax_class,
            tax_rate=line.tax_rate,
            explanation=[step.as_snapshot() for step in line.steps],
        )
        for position, line in enumerate(quote.lines, start=1)
    )
    OrderTaxLine.objects.bulk_create(
        OrderTaxLine(
            order=order,
            rate=tax.rate,
            base=tax.base,
            amount=tax.amount,
            reason=tax.reason or "",
        )
        for tax in quote.tax_lines
    )
    events.order_placed(order)
    return order


ORDER_PREFIX = "CMD"


def next_order_number(year: int) -> str:
    """CMD-<year>-<6 digits>; the counter row stays locked until the order commits."""
    return next_document_number(
        counter=OrderCounter, numbered=Order, prefix=ORDER_PREFIX, year=year
    )


def raise_order_counters() -> None:
    """After orders were loaded from a bundle, so that the next order follows them."""
    raise_counters(counter=OrderCounter, numbered=Order, prefix=ORDER_PREFIX)
