"""Writes of quotes on the buyer's side (issue 17): the request (lines given, the cart, or
quick-order text), the answer to an offer, the order placed from it, and the daily expiry.
The merchant's side is `offers.py`; both move quotes through `workflow.py`.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.approvals.models import OPEN_STATUSES
from comptoir.catalog.models import Product
from comptoir.catalog.selectors import sku_key, visible_products, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.numbering import next_document_number, raise_counters
from comptoir.core.selectors import get_store, store_today
from comptoir.core.sku_lines import MAX_QUANTITY, parse_quantity_text, parse_sku_lines
from comptoir.ordering.locations import order_site
from comptoir.ordering.services import cart_contents, cart_location
from comptoir.quotes import selectors, states
from comptoir.quotes.models import Quote, QuoteAction, QuoteCounter, QuoteLine, QuoteRound
from comptoir.quotes.workflow import (
    clean_message,
    locked,
    move,
    record,
    refresh_list_prices,
    require_quoter,
)
from comptoir.webhooks import events
from comptoir.webhooks.models import EventType

QUOTE_PREFIX = "DEV"
MAX_LINES = 500


def next_quote_number(year: int) -> str:
    """DEV-<year>-<6 digits>, gap-free as order numbers are (core/numbering.py)."""
    return next_document_number(
        counter=QuoteCounter, numbered=Quote, prefix=QUOTE_PREFIX, year=year
    )


def raise_quote_counters() -> None:
    """After quotes were loaded from a bundle, so that the next quote follows them."""
    raise_counters(counter=QuoteCounter, numbered=Quote, prefix=QUOTE_PREFIX)


def _quantity(raw) -> int | None:
    """A whole number from 1 to 1,000,000 (a JSON integer, or digits typed), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 1 <= raw <= MAX_QUANTITY else None
    quantity = parse_quantity_text(raw.strip()) if isinstance(raw, str) else None
    return quantity or None


def _wanted(viewer: Viewer, rows: list[tuple[str, object]]) -> dict[Product, int]:
    """The products and quantities asked, every row checked; one bad row refuses them all,
    each named. The same SKU on several rows adds up."""
    if not rows:
        raise BusinessRuleError("quote_empty", _("A quote needs at least one line."))
    if len(rows) > MAX_LINES:
        raise BusinessRuleError(
            "too_many_lines", _("At most %(max)s lines at a time.") % {"max": MAX_LINES}
        )
    found = with_skus(
        visible_products(group=viewer.group, company=viewer.company),
        [str(sku) for sku, _raw in rows],
    )
    products = {sku_key(product.sku): product for product in found}
    wanted: dict[Product, int] = {}
    errors = []
    for sku, raw in rows:
        product = products.get(sku_key(str(sku)))
        quantity = _quantity(raw)
        if product is None:
            errors.append(
                {
                    "sku": str(sku),
                    "code": "unknown_sku",
                    "message": _("Unknown SKU %(sku)s.") % {"sku": sku},
                }
            )
        elif quantity is None:
            errors.append(
                {
                    "sku": str(sku),
                    "code": "invalid_quantity",
                    "message": _(
                        "%(quantity)s is not a quantity (a whole number from 1 to 1,000,000)."
                    )
                    % {"quantity": raw},
                }
            )
        else:
            wanted[product] = min(wanted.get(product, 0) + quantity, MAX_QUANTITY)
    if errors:
        codes = {error["code"] for error in errors}
        code = "invalid_quantity" if "invalid_quantity" in codes else "unknown_sku"
        raise BusinessRuleError(code, _("Some lines cannot be quoted."), errors)
    return wanted


@dataclass(frozen=True)
class QuoteRequest:
    """What a buyer asks: (SKU, quantity as given) rows, a message, a wished delivery date."""

    rows: list[tuple[str, object]]
    message: str = ""
    wished_delivery_date: datetime.date | None = None
    location: str | None = None


def quote_request(*, viewer: Viewer, request: QuoteRequest) -> Quote:
    """A new quote in `requested`, its first round holding the lines at today's prices."""
    require_quoter(viewer)
    message = clean_message(request.message)
    wanted = _wanted(viewer, request.rows)
    store = get_store()
    today = store_today(store)
    if request.wished_delivery_date is not None and request.wished_delivery_date < today:
        raise BusinessRuleError(
            "date_in_past",
            _("The wished delivery date is in the past."),
            [{"field": "wished_delivery_date", "code": "date_in_past", "message": ""}],
        )
    site = order_site(
        viewer, location_code=request.location or cart_location(viewer.user), address_code=None
    )
    now = timezone.now()
    with transaction.atomic():
        quote = Quote.objects.create(
            number=next_quote_number(today.year),
            company=viewer.company,
            requester=viewer.user,
            entered_by=viewer.staff,
            location=site.location,
            requested_at=now,
            wished_delivery_date=request.wished_delivery_date,
            currency=store.currency,
        )
        first = QuoteRound.objects.create(
            quote=quote, position=1, buyer_message=message, opened_at=now
        )
        lines = QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote,
                round=first,
                position=position,
                product=product,
                sku=product.sku,
                name=product.name,
                quantity=quantity,
            )
            for position, (product, quantity) in enumerate(wanted.items(), start=1)
        )
        refresh_list_prices(quote, lines)
        record(
            quote,
            viewer.user,
            QuoteAction.REQUESTED,
            "",
            states.REQUESTED,
            message,
            staff=viewer.staff,
        )
    return quote


def quote_request_from_cart(
    *, viewer: Viewer, message: str = "", wished_delivery_date=None, location=None
) -> Quote:
    """The cart's lines, as they are, asked as a quote (the cart is left as it is). Quotes
    count the product's unit: a line of 3 cases of 144 is asked as 432."""
    require_quoter(viewer)
    items, packagings = cart_contents(viewer.user)
    factors = {pk: packaging.factor for pk, packaging in packagings.items()}
    rows = [(product.sku, quantity * factors.get(product.pk, 1)) for product, quantity in items]
    return quote_request(
        viewer=viewer,
        request=QuoteRequest(rows, message, wished_delivery_date, location),
    )


def quote_request_from_text(
    *, viewer: Viewer, text: str, message: str = "", wished_delivery_date=None
) -> Quote:
    """Lines of "SKU quantity" as quick order reads them (core/sku_lines.py)."""
    require_quoter(viewer)
    parsed = parse_sku_lines(text or "")
    errors = [
        {"sku": line.sku, "code": "invalid_quantity", "message": f"{line.line}: {line.error}"}
        for line in parsed
        if line.error
    ]
    if errors:
        raise BusinessRuleError("invalid_quantity", _("Some lines cannot be quoted."), errors)
    rows = [(line.sku, line.quantity) for line in parsed]
    return quote_request(viewer=viewer, request=QuoteRequest(rows, message, wished_delivery_date))


def _buyer_quote(viewer: Viewer, number: str) -> Quote:
    """The quote locked for its buyer: 404 for another company's, 403 beyond their reach."""
    require_quoter(viewer)
    found = selectors.company_quote(viewer, number)
    if found is None:
        raise BusinessRuleError("not_found", _("No such quote."))
    return locked(found.pk)


def _answer(viewer: Viewer, number: str, action: str, message: str = "") -> Quote:
    message = clean_message(message)
    with transaction.atomic():
        quote = _buyer_quote(viewer, number)
        before, after = move(quote, action, states.BUYER)
        quote.save(update_fields=["state", "updated_at"])
        record(quote, viewer.user, action, before, after, message, staff=viewer.staff)
        if action == states.REVISE:
            _next_round(quote, message)
        if action == states.ACCEPT:
            events.quote_changed(quote, EventType.QUOTE_ACCEPTED)
    return quote


def quote_accept(*, viewer: Viewer, number: str) -> Quote:
    """Accept the quote as sent: 409 `quote_expired` past its expiry date, `quote_not_open`
    unless it is sent."""
    return _answer(viewer, number, states.ACCEPT)


def quote_reject(*, viewer: Viewer, number: str, message: str = "") -> Quote:
    return _answer(viewer, number, states.REJECT, message)


def quote_revise(*, viewer: Viewer, number: str, message: str) -> Quote:
    """Ask for another offer, saying what should change: a new round, the last one kept."""
    if not (message or "").strip():
        raise BusinessRuleError(
            "message_required",
            _("Say what should change in the quote."),
            [{"field": "message", "code": "message_required", "message": ""}],
        )
    return _answer(viewer, number, states.REVISE, message)


def _next_round(quote: Quote, message: str) -> QuoteRound:
    """A round opened by the buyer's message, starting from the lines and terms just sent
    (not the message: the merchant writes a new one)."""
    last = quote.rounds.order_by("-position").first()
    opened = QuoteRound.objects.create(
        quote=quote,
        position=last.position + 1,
        buyer_message=message,
        opened_at=timezone.now(),
        expires_on=last.expires_on,
        shipping_price=last.shipping_price,
        promotions_apply=last.promotions_apply,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            round=opened,
            position=line.position,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            list_unit_price=line.list_unit_price,
            quoted_unit_price=line.quoted_unit_price,
            discount_percent=line.discount_percent,
            waive_min_qty=line.waive_min_qty,
            waive_qty_step=line.waive_qty_step,
        )
        for line in last.lines.order_by("position", "id")
    )
    return opened


def quote_mark_ordered(*, quote_id: int, order, actor, asked_on=None, staff=None) -> Quote:
    """The accepted quote became `order` (called by checkout, in the placement's
    transaction): it can never be accepted or ordered again. `asked_on`: the day the buyer
    ordered it, when the order was placed later (on its last approval); the quote's validity
    is judged on that day."""
    quote = locked(quote_id)
    before, after = move(quote, states.ORDER, states.BUYER, today=asked_on)
    quote.order = order
    quote.save(update_fields=["state", "order", "updated_at"])
    record(quote, actor, QuoteAction.ORDER, before, after, order.number, staff=staff)
    return quote


def quotes_expire(*, day: datetime.date) -> int:
    """Quotes sent or accepted, not ordered, whose last valid day is before `day`; not one
    whose order waits for approval: it was ordered in time, and is placed once approved."""
    due = (
        Quote.objects.filter(state__in=[states.SENT, states.ACCEPTED], expires_on__lt=day)
        .exclude(approval_requests__status__in=OPEN_STATUSES)
        .values_list("pk", flat=True)
    )
    expired = 0
    for quote_id in list(due):
        with transaction.atomic():
            quote = locked(quote_id)
            found = states.transition(quote.state, states.EXPIRE, states.SYSTEM)
            if (
                isinstance(found, states.Refusal)
                or quote.expires_on is None
                or quote.expires_on >= day
            ):
                continue
            before, quote.state = quote.state, found
            quote.save(update_fields=["state", "updated_at"])
            record(quote, None, QuoteAction.EXPIRE, before, found)
            expired += 1
    return expired
