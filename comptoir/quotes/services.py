"""Writes of quotes (issue 17): the buyer's request, the merchant's offer, the buyer's answer,
the daily expiry. Each locks the quote, asks the transition table (`states.transition`),
writes, and records an event with its actor; a refusal writes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import REQUEST_QUOTES
from comptoir.catalog.models import Product
from comptoir.catalog.selectors import sku_key, visible_products, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.numbering import next_number, raise_counters
from comptoir.core.selectors import get_store, store_today
from comptoir.core.sku_lines import MAX_QUANTITY, parse_quantity_text, parse_sku_lines
from comptoir.ordering import rules
from comptoir.ordering.locations import order_site
from comptoir.ordering.messages import violation_message
from comptoir.ordering.services import cart_items, cart_location
from comptoir.quotes import notifications, selectors, states
from comptoir.quotes.models import (
    Quote,
    QuoteAction,
    QuoteCounter,
    QuoteEvent,
    QuoteLine,
    QuoteRound,
)
from comptoir.quotes.quoted_prices import quoted_unit_price

QUOTE_PREFIX = "DEV"
MAX_LINES = 500
MAX_MESSAGE = 5_000
HUNDRED = Decimal(100)


def require_quoter(viewer: Viewer) -> None:
    """Quotes need a user of an approved company whose role may request quotes."""
    refusal = viewer.company_refusal()
    if refusal is not None:
        raise BusinessRuleError(*refusal)
    if not viewer.access.allows(REQUEST_QUOTES):
        raise BusinessRuleError(
            "permission_denied", _("Your role does not allow you to request quotes.")
        )


def next_quote_number(year: int) -> str:
    """DEV-<year>-<6 digits>, gap-free as order numbers are (core/numbering.py)."""
    sequence = next_number(counter=QuoteCounter, numbered=Quote, prefix=QUOTE_PREFIX, year=year)
    return f"{QUOTE_PREFIX}-{year}-{sequence:06d}"


def raise_quote_counters() -> None:
    """After quotes were loaded from a bundle, so that the next quote follows them."""
    raise_counters(counter=QuoteCounter, numbered=Quote, prefix=QUOTE_PREFIX)


def _message(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_MESSAGE:
        raise BusinessRuleError(
            "message_too_long",
            _("A message has at most %(max)s characters.") % {"max": MAX_MESSAGE},
            [{"field": "message", "code": "message_too_long", "message": ""}],
        )
    return text


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
    message = _message(request.message)
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
        _refresh_list_prices(quote, lines)
        _record(quote, viewer.user, QuoteAction.REQUESTED, "", states.REQUESTED, message)
    return quote


def quote_request_from_cart(
    *, viewer: Viewer, message: str = "", wished_delivery_date=None
) -> Quote:
    """The cart's lines, as they are, asked as a quote (the cart is left as it is)."""
    require_quoter(viewer)
    rows = [(product.sku, quantity) for product, quantity in cart_items(viewer.user)]
    return quote_request(
        viewer=viewer,
        request=QuoteRequest(rows, message, wished_delivery_date),
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


def _refresh_list_prices(quote: Quote, lines: list[QuoteLine]) -> None:
    """Today's price of each line for the requester, kept on the line."""
    today = selectors.today_prices(quote, lines)
    for line in lines:
        line.list_unit_price = today[line.pk].unit_price
    QuoteLine.objects.bulk_update(lines, ["list_unit_price"])


def _record(quote: Quote, actor, action: str, before: str, after: str, detail: str = "") -> None:
    QuoteEvent.objects.create(
        quote=quote,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_state=before,
        to_state=after,
        detail=detail,
    )


def _locked(quote_id: int) -> Quote:
    return Quote.objects.select_for_update().select_related("company__group").get(pk=quote_id)


def _move(quote: Quote, action: str, actor_kind: str, *, today=None) -> tuple[str, str]:
    """(state before, state after) of the transition, or the refusal as a business error."""
    before = quote.state
    if (
        action in (states.ACCEPT, states.REJECT, states.REVISE, states.ORDER)
        and before in (states.SENT, states.ACCEPTED)
        and quote.expires_on is not None
        and quote.expires_on < (today or store_today(get_store()))
    ):
        raise _refusal(quote, states.QUOTE_EXPIRED)
    found = states.transition(before, action, actor_kind)
    if isinstance(found, states.Refusal):
        raise _refusal(quote, found.code)
    quote.state = found
    return before, found


def _refusal(quote: Quote, code: str) -> BusinessRuleError:
    params = {"number": quote.number}
    if code == states.QUOTE_EXPIRED:
        return BusinessRuleError(code, _("Quote %(number)s has expired.") % params)
    if code == states.NOT_ALLOWED:
        return BusinessRuleError("permission_denied", _("You may not do this with a quote."))
    return BusinessRuleError(
        code,
        _("Quote %(number)s is %(state)s: this cannot be done now.")
        % (params | {"state": quote.get_state_display()}),
    )


# The merchant's side (the back office).


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
    """The merchant's terms of the whole quote, for the round being prepared."""

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
    quote = _locked(quote_id)
    if quote.state not in states.EDITABLE:
        raise _refusal(
            quote, states.QUOTE_EXPIRED if quote.state == states.EXPIRED else states.QUOTE_NOT_OPEN
        )
    if quote.state != states.IN_REVIEW:
        before, after = _move(quote, states.REVIEW, states.MERCHANT)
        quote.save(update_fields=["state", "updated_at"])
        _record(quote, actor, QuoteAction.REVIEW, before, after)
    latest = quote.rounds.order_by("-position").first()
    return quote, latest


def quote_review(*, quote_id: int, actor) -> Quote:
    """The merchant takes the request (or the revision asked) into review."""
    with transaction.atomic():
        quote = _locked(quote_id)
        before, after = _move(quote, states.REVIEW, states.MERCHANT)
        quote.save(update_fields=["state", "updated_at"])
        _record(quote, actor, QuoteAction.REVIEW, before, after)
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
        _record(quote, actor, QuoteAction.EDITED, quote.state, quote.state, _offer_detail(line))
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
        _refresh_list_prices(quote, [line])
        _record(
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
        _record(quote, actor, QuoteAction.EDITED, quote.state, quote.state, "− " + line.sku)


def quote_set_terms(*, quote_id: int, actor, terms: Terms) -> Quote:
    """Expiry, shipping price, promotions on top, the message and the internal note."""
    message = _message(terms.message)
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
        quote.expires_on = terms.expires_on
        quote.shipping_price = terms.shipping_price
        quote.promotions_apply = terms.promotions_apply
        quote.merchant_note = terms.note
        quote.save()
        latest.merchant_message = message
        latest.save(update_fields=["merchant_message"])
    return quote


WAIVABLE = {rules.QTY_BELOW_MINIMUM: "waive_min_qty", rules.QTY_NOT_MULTIPLE: "waive_qty_step"}


def _send_problems(quote: Quote, lines: list[QuoteLine], today) -> list[dict]:
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
    if quote.expires_on is None:
        problems.append(
            {
                "field": "expires_on",
                "code": "expiry_required",
                "message": _("Set the date the quote is valid until."),
            }
        )
    elif quote.expires_on < today:
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
        quote = _locked(quote_id)
        latest = quote.rounds.order_by("-position").first()
        lines = list(latest.lines.select_related("product").order_by("position", "id"))
        today = store_today(get_store())
        problems = _send_problems(quote, lines, today) if quote.state in states.EDITABLE else []
        before, after = _move(quote, states.SEND, states.MERCHANT, today=today)
        if problems:
            raise BusinessRuleError(
                problems[0]["code"], _("The quote cannot be sent yet."), problems
            )
        QuoteLine.objects.bulk_update(lines, ["list_unit_price", "unit_price"])
        latest.sent_at = timezone.now()
        latest.expires_on = quote.expires_on
        latest.shipping_price = quote.shipping_price
        latest.save(update_fields=["sent_at", "expires_on", "shipping_price"])
        quote.save(update_fields=["state", "updated_at"])
        _record(quote, actor, QuoteAction.SEND, before, after, latest.merchant_message)
        transaction.on_commit(lambda: notifications.quote_sent(quote.pk))
    return quote


def quote_cancel(*, quote_id: int, actor, message: str = "") -> Quote:
    message = _message(message)
    with transaction.atomic():
        quote = _locked(quote_id)
        before, after = _move(quote, states.CANCEL, states.MERCHANT)
        quote.save(update_fields=["state", "updated_at"])
        _record(quote, actor, QuoteAction.CANCEL, before, after, message)
    return quote


# The buyer's side (storefront and API).


def _buyer_quote(viewer: Viewer, number: str) -> Quote:
    """The quote locked for its buyer: 404 for another company's, 403 beyond their reach."""
    require_quoter(viewer)
    found = selectors.company_quote(viewer, number)
    if found is None:
        raise BusinessRuleError("not_found", _("No such quote."))
    return _locked(found.pk)


def _answer(viewer: Viewer, number: str, action: str, message: str = "") -> Quote:
    message = _message(message)
    with transaction.atomic():
        quote = _buyer_quote(viewer, number)
        before, after = _move(quote, action, states.BUYER)
        quote.save(update_fields=["state", "updated_at"])
        _record(quote, viewer.user, action, before, after, message)
        if action == states.REVISE:
            _next_round(quote, message)
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
    """A round opened by the buyer's message, starting from the lines and terms just sent."""
    last = quote.rounds.order_by("-position").first()
    opened = QuoteRound.objects.create(
        quote=quote, position=last.position + 1, buyer_message=message, opened_at=timezone.now()
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


def quote_mark_ordered(*, quote_id: int, order, actor) -> Quote:
    """The accepted quote became `order` (called by checkout, in the placement's
    transaction): it can never be accepted or ordered again."""
    quote = _locked(quote_id)
    before, after = _move(quote, states.ORDER, states.BUYER)
    quote.order = order
    quote.save(update_fields=["state", "order", "updated_at"])
    _record(quote, actor, QuoteAction.ORDER, before, after, order.number)
    return quote


def quotes_expire(*, day: datetime.date) -> int:
    """Quotes sent or accepted, not ordered, whose last valid day is before `day`."""
    due = Quote.objects.filter(
        state__in=[states.SENT, states.ACCEPTED], expires_on__lt=day
    ).values_list("pk", flat=True)
    expired = 0
    for quote_id in list(due):
        with transaction.atomic():
            quote = _locked(quote_id)
            found = states.transition(quote.state, states.EXPIRE, states.SYSTEM)
            if (
                isinstance(found, states.Refusal)
                or quote.expires_on is None
                or quote.expires_on >= day
            ):
                continue
            before, quote.state = quote.state, found
            quote.save(update_fields=["state", "updated_at"])
            _record(quote, None, QuoteAction.EXPIRE, before, found)
            expired += 1
    return expired
