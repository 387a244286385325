"""Writes of quotes on the merchant's side (the back office): the lines, prices, waived rules
and terms of the round being prepared, then sending it to the buyer, or cancelling.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.catalog.selectors import visible_products, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.core.sku_lines import MAX_QUANTITY
from comptoir.ordering import rules
from comptoir.ordering.messages import violation_message
from comptoir.quotes import notifications, selectors, states
from comptoir.quotes.models import Quote, QuoteAction, QuoteLine, QuoteRound
from comptoir.quotes.quoted_prices import quoted_unit_price
from comptoir.quotes.workflow import (
    clean_message,
    locked,
    move,
    record,
    refresh_list_prices,
    refusal,
)
from comptoir.webhooks import events
from comptoir.webhooks.models import EventType

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineOffer:
    """The merchant's terms for a line: a quoted unit price or a discount on today's price
    (neither: today's price), and the product's quantity rules waived explicitly."""

    quantity: int
    quoted_unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    waive_min_qty: bool = False
    waive_qty_step: bool = False


@dataclass(frozen=True)
class Terms:
    """The merchant's terms of the round being prepared (and the quote's internal note); the
    buyer sees them once the round is sent, never before."""

    expires_on: datetime.date | None
    shipping_price: Decimal | None = None
    promotions_apply: bool = False
    message: str = ""
    note: str = ""


def _check_offer(offer: LineOffer) -> None:
    errors = []
    if not 1 <= offer.quantity <= MAX_QUANTITY:
        errors.append(
            (
                "quantity",
                "invalid_quantity",
                _("The quantity is a whole number from 1 to 1,000,000."),
            )
        )
    if offer.quoted_unit_price is not None and offer.discount_percent is not None:
        errors.append(
            (
                "quoted_unit_price",
                "price_and_discount",
                _("Give a quoted price or a discount, not both."),
            )
        )
    price = offer.quoted_unit_price
    if price is not None and (
        price < 0 or price != price.quantize(Decimal("0.0001")) or price >= Decimal(10) ** 10
    ):
        errors.append(
            (
                "quoted_unit_price",
                "invalid_price",
                _("A unit price is a positive amount with at most 4 decimals."),
            )
        )
    percent = offer.discount_percent
    if percent is not None and (
        not 0 <= percent <= HUNDRED or percent != percent.quantize(Decimal("0.0001"))
    ):
        errors.append(
            (
                "discount_percent",
                "invalid_percent",
                _("A discount is a percentage from 0 to 100, with at most 4 decimals."),
            )
        )
    if errors:
        _field, code, message = errors[0]
        raise BusinessRuleError(
            code, message, [{"field": f, "code": c, "message": m} for f, c, m in errors]
        )


def _editable(quote_id: int, actor) -> tuple[Quote, QuoteRound]:
    """The quote locked for the merchant's edit, in review (moved there on a first edit)."""
    quote = locked(quote_id)
    if quote.state not in states.EDITABLE:
        raise refusal(
            quote, states.QUOTE_EXPIRED if quote.state == states.EXPIRED else states.QUOTE_NOT_OPEN
        )
    if quote.state != states.IN_REVIEW:
        before, after = move(quote, states.REVIEW, states.MERCHANT)
        quote.save(update_fields=["state", "updated_at"])
        record(quote, actor, QuoteAction.REVIEW, before, after)
    latest = quote.rounds.order_by("-position").first()
    return quote, latest


def quote_review(*, quote_id: int, actor) -> Quote:
    """The merchant takes the request (or the revision asked) into review."""
    with transaction.atomic():
        quote = locked(quote_id)
        before, after = move(quote, states.REVIEW, states.MERCHANT)
        quote.save(update_fields=["state", "updated_at"])
        record(quote, actor, QuoteAction.REVIEW, before, after)
    return quote


def _offer_detail(line: QuoteLine) -> str:
    parts = [f"{line.sku} × {line.quantity}"]
    if line.quoted_unit_price is not None:
        parts.append(f"{line.quoted_unit_price}")
    if line.discount_percent is not None:
        parts.append(f"-{line.discount_percent} %")
    if line.waive_min_qty:
        parts.append("min waived")
    if line.waive_qty_step:
        parts.append("step waived")
    return " ".join(parts)


def quote_set_line(*, quote_id: int, actor, line_id: int, offer: LineOffer) -> QuoteLine:
    """Set a line of the round being prepared."""
    _check_offer(offer)
    with transaction.atomic():
        quote, latest = _editable(quote_id, actor)
        line = QuoteLine.objects.filter(round=latest, pk=line_id).first()
        if line is None:
            raise BusinessRuleError("not_found", _("No such line in this quote."))
        line.quantity = offer.quantity
        line.quoted_unit_price = offer.quoted_unit_price
        line.discount_percent = offer.discount_percent
        line.waive_min_qty = offer.waive_min_qty
        line.waive_qty_step = offer.waive_qty_step
        line.unit_price = None
        line.save()
        record(quote, actor, QuoteAction.EDITED, quote.state, quote.state, _offer_detail(line))
    return line


def quote_add_line(*, quote_id: int, actor, sku: str, offer: LineOffer) -> QuoteLine:
    """Add a product the requester may see to the round being prepared."""
    _check_offer(offer)
    with transaction.atomic():
        quote, latest = _editable(quote_id, actor)
        viewer = selectors.requester_viewer(quote)
        product = with_skus(
            visible_products(group=viewer.group, company=viewer.company), [sku]
        ).first()
        if product is None:
            raise BusinessRuleError(
                "unknown_sku",
                _("%(sku)s is not a product the buyer can see.") % {"sku": sku},
                [{"sku": sku, "code": "unknown_sku", "message": ""}],
            )
        if latest.lines.filter(product=product).exists():
            raise BusinessRuleError(
                "duplicate_line",
                _("%(sku)s is already a line of this quote.") % {"sku": product.sku},
            )
        position = max((line.position for line in latest.lines.all()), default=0) + 1
        line = QuoteLine.objects.create(
            quote=quote,
            round=latest,
            position=position,
            product=product,
            sku=product.sku,
            name=product.name,
            quantity=offer.quantity,
            quoted_unit_price=offer.quoted_unit_price,
            discount_percent=offer.discount_percent,
            waive_min_qty=offer.waive_min_qty,
            waive_qty_step=offer.waive_qty_step,
        )
        refresh_list_prices(quote, [line])
        record(
            quote, actor, QuoteAction.EDITED, quote.state, quote.state, "+ " + _offer_detail(line)
        )
    return line


def quote_remove_line(*, quote_id: int, actor, line_id: int) -> None:
    with transaction.atomic():
        quote, latest = _editable(quote_id, actor)
        line = QuoteLine.objects.filter(round=latest, pk=line_id).first()
        if line is None:
            raise BusinessRuleError("not_found", _("No such line in this quote."))
        line.delete()
        record(quote, actor, QuoteAction.EDITED, quote.state, quote.state, "− " + line.sku)


def quote_set_terms(*, quote_id: int, actor, terms: Terms) -> Quote:
    """Expiry, shipping price, promotions on top, the message and the internal note."""
    message = clean_message(terms.message)
    if terms.shipping_price is not None and (
        terms.shipping_price < 0
        or terms.shipping_price != terms.shipping_price.quantize(Decimal("0.01"))
    ):
        raise BusinessRuleError(
            "invalid_amount",
            _("The shipping price is a positive amount in cents."),
            [{"field": "shipping_price", "code": "invalid_amount", "message": ""}],
        )
    with transaction.atomic():
        quote, latest = _editable(quote_id, actor)
        quote.merchant_note = terms.note
        quote.save(update_fields=["merchant_note", "updated_at"])
        latest.expires_on = terms.expires_on
        latest.shipping_price = terms.shipping_price
        latest.promotions_apply = terms.promotions_apply
        latest.merchant_message = message
        latest.save(
            update_fields=["expires_on", "shipping_price", "promotions_apply", "merchant_message"]
        )
    return quote


WAIVABLE = {rules.QTY_BELOW_MINIMUM: "waive_min_qty", rules.QTY_NOT_MULTIPLE: "waive_qty_step"}


def _send_problems(quote: Quote, latest: QuoteRound, lines: list[QuoteLine], today) -> list[dict]:
    """Why the round cannot be sent: a line without a price to offer, a quantity rule not
    waived, a product the buyer can no longer see, no expiry date or one already past."""
    problems = []
    if not lines:
        problems.append(
            {
                "field": "lines",
                "code": "quote_empty",
                "message": _("A quote needs at least one line."),
            }
        )
    if latest.expires_on is None:
        problems.append(
            {
                "field": "expires_on",
                "code": "expiry_required",
                "message": _("Set the date the quote is valid until."),
            }
        )
    elif latest.expires_on < today:
        problems.append(
            {
                "field": "expires_on",
                "code": "date_in_past",
                "message": _("The expiry date is in the past."),
            }
        )
    priced = selectors.today_prices(quote, lines)
    viewer = selectors.requester_viewer(quote)
    visible = set(
        visible_products(group=viewer.group, company=viewer.company)
        .filter(pk__in=[line.product_id for line in lines])
        .values_list("pk", flat=True)
    )
    currency = quote.currency
    for line in lines:
        today_line = priced[line.pk]
        line.list_unit_price = today_line.unit_price
        facts = rules.LineFacts(
            sku=line.sku,
            quantity=line.quantity,
            rules=today_line.rules,
            stock=MAX_QUANTITY,
            backorder=True,
            priced=True,
            available=line.product_id in visible,
        )
        for violation in rules.line_violations(facts):
            if getattr(line, WAIVABLE.get(violation.code, ""), False):
                continue
            problems.append(
                {
                    "sku": line.sku,
                    "code": violation.code,
                    "message": violation_message(violation, currency),
                }
            )
        offered = quoted_unit_price(selectors.line_terms([line])[0])
        if offered is None:
            problems.append(
                {
                    "sku": line.sku,
                    "code": "quote_line_unpriced",
                    "message": _("%(sku)s has no price today: quote a unit price.")
                    % {"sku": line.sku},
                }
            )
        line.unit_price = offered
    return problems


def quote_send(*, quote_id: int, actor) -> Quote:
    """Send the round to the buyer: the prices offered are fixed, the buyer is e-mailed."""
    with transaction.atomic():
        quote = locked(quote_id)
        latest = quote.rounds.order_by("-position").first()
        lines = list(latest.lines.select_related("product").order_by("position", "id"))
        today = store_today(get_store())
        problems = (
            _send_problems(quote, latest, lines, today) if quote.state in states.EDITABLE else []
        )
        before, after = move(quote, states.SEND, states.MERCHANT, today=today)
        if problems:
            raise BusinessRuleError(
                problems[0]["code"], _("The quote cannot be sent yet."), problems
            )
        QuoteLine.objects.bulk_update(lines, ["list_unit_price", "unit_price"])
        latest.sent_at = timezone.now()
        latest.save(update_fields=["sent_at"])
        # The offer in force from now on: its last day is the quote's, for the daily expiry.
        quote.expires_on = latest.expires_on
        quote.save(update_fields=["state", "expires_on", "updated_at"])
        record(quote, actor, QuoteAction.SEND, before, after, latest.merchant_message)
        events.quote_changed(quote, EventType.QUOTE_SENT)
        transaction.on_commit(lambda: notifications.quote_sent(quote.pk))
    return quote


def quote_cancel(*, quote_id: int, actor, message: str = "") -> Quote:
    """Cancel the quote; refused while an order from it waits for the buyer's approvers: the
    order was asked in time and is theirs to decide (it is placed, or the quote is free again,
    once they have; docs/quotes.md)."""
    message = clean_message(message)
    with transaction.atomic():
        quote = locked(quote_id)
        waiting = selectors.waiting_approval(quote)
        if waiting is not None:
            raise BusinessRuleError(
                states.QUOTE_NOT_OPEN,
                _(
                    "An order from quote %(number)s waits for the customer's approval "
                    "(%(approval)s): it cannot be cancelled until the request is decided."
                )
                % {"number": quote.number, "approval": waiting},
            )
        before, after = move(quote, states.CANCEL, states.MERCHANT)
        quote.save(update_fields=["state", "updated_at"])
        record(quote, actor, QuoteAction.CANCEL, before, after, message)
    return quote
