"""Reads of quotes: the ones a company user may see, one quote with its rounds, the prices
the merchant starts from, and the estimate of what an order from it would cost today."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer, viewer_for
from comptoir.accounts.permissions import SEE_COMPANY_ORDERS
from comptoir.approvals.models import OPEN_STATUSES, ApprovalRequest
from comptoir.core.errors import BusinessRuleError
from comptoir.core.money import ZERO
from comptoir.core.selectors import current_store, store_today
from comptoir.ordering.quotes import QuotedLine, default_destination, quote_cart
from comptoir.pricing.engine import best_promotion, volume_percent
from comptoir.pricing.selectors import category_ancestors, pricing_context, product_data
from comptoir.quotes import states
from comptoir.quotes.models import Quote, QuoteEvent, QuoteLine, QuoteRound
from comptoir.quotes.quoted_prices import LineTerms, OnTop, QuotePrice, fixed_prices
from comptoir.tax import engine as tax
from comptoir.tax.engine import Jurisdiction, TaxLine
from comptoir.tax.selectors import exemptions_of, jurisdiction_rates


def company_quotes(viewer: Viewer) -> QuerySet[Quote]:
    """The quotes of the viewer's company they may see, newest first: others' need
    `see_company_orders`, as orders do, and a user limited to locations sees only theirs."""
    access = viewer.access
    quotes = Quote.objects.filter(company=viewer.company)
    if not access.allows(SEE_COMPANY_ORDERS):
        quotes = quotes.filter(requester=viewer.user)
    if not access.all_locations:
        # A quote of no location (its location was deleted since) stays its requester's.
        quotes = quotes.filter(
            Q(location__in=access.location_ids) | Q(location__isnull=True, requester=viewer.user)
        )
    return quotes.select_related("requester__company__group", "company", "location").order_by(
        "-requested_at", "-id"
    )


def company_quote(viewer: Viewer, number: str) -> Quote | None:
    """One quote the viewer may see, with its rounds, lines and trail; None for another
    company's number or an unknown one, a refusal for one of the company they may not see."""
    quote = company_quotes(viewer).filter(number=number).prefetch_related(*QUOTE_PREFETCH).first()
    if quote is None and Quote.objects.filter(company=viewer.company, number=number).exists():
        raise BusinessRuleError(
            "permission_denied", _("Your role or your locations do not cover this quote.")
        )
    return quote


LINES_PREFETCH = Prefetch(
    "lines", queryset=QuoteLine.objects.select_related("product").order_by("position", "id")
)
QUOTE_PREFETCH = (
    Prefetch(
        "rounds",
        queryset=QuoteRound.objects.order_by("position").prefetch_related(LINES_PREFETCH),
    ),
    Prefetch("events", queryset=QuoteEvent.objects.select_related("actor").order_by("at", "id")),
)


def full_quote(pk: int) -> Quote:
    """A quote with everything its pages and documents show (the back office, the e-mails)."""
    return (
        Quote.objects.select_related(
            "company__group", "requester__company__group", "location", "order"
        )
        .prefetch_related(*QUOTE_PREFETCH)
        .get(pk=pk)
    )


def current_round(quote: Quote) -> QuoteRound:
    """The latest round (from the prefetched rounds when there are)."""
    return list(quote.rounds.all())[-1]


def sent_rounds(quote: Quote) -> list[QuoteRound]:
    return [r for r in quote.rounds.all() if r.sent_at is not None]


def offer_in_force(quote: Quote) -> QuoteRound | None:
    """The last round sent: everything the buyer sees, accepts and orders (its lines, prices,
    shipping, expiry, promotions, message), whatever the merchant prepares since; None before
    the first is sent."""
    sent = sent_rounds(quote)
    return sent[-1] if sent else None


def line_terms(lines) -> list[LineTerms]:
    return [
        LineTerms(
            product_id=line.product_id,
            sku=line.sku,
            quantity=line.quantity,
            list_unit_price=line.list_unit_price,
            quoted_unit_price=line.unit_price
            if line.unit_price is not None
            else line.quoted_unit_price,
            discount_percent=None if line.unit_price is not None else line.discount_percent,
            waive_min_qty=line.waive_min_qty,
            waive_qty_step=line.waive_qty_step,
        )
        for line in lines
    ]


def requester_viewer(quote: Quote) -> Viewer:
    """The store as the requester sees it: their prices, rules, visibility and taxes."""
    return viewer_for(current_store(), quote.requester)


def today_prices(quote: Quote, lines) -> dict[int, QuotedLine]:
    """Today's price of each line for the requester, with its explanation and the rules it
    breaks, by line id, in queries that do not grow with the lines (`quote_cart`)."""
    lines = list(lines)
    if not lines:
        return {}
    priced = quote_cart(requester_viewer(quote), [(line.product, line.quantity) for line in lines])
    return {line.pk: found for line, found in zip(lines, priced.lines, strict=True)}


@dataclass(frozen=True)
class Estimate:
    """What an order of the quote's lines would cost today: the quoted prices, the quote's
    shipping price if it has one, and taxes from the same functions as any cart. An estimate:
    taxes, exemptions, payment and credit are decided again when the order is placed."""

    currency: str
    lines: list[QuotePrice]
    unpriced: list[str]
    subtotal: Decimal
    discount_total: Decimal
    merchandise: Decimal
    shipping_total: Decimal | None
    tax_lines: list[TaxLine]
    tax_total: Decimal
    total: Decimal
    tax_exemption: str | None


def quote_prices(
    quote: Quote, quote_round: QuoteRound, *, today=None
) -> tuple[list[QuotePrice], list[str]]:
    """The round's lines at the quote's prices (with the promotions and volume discount on top
    where the merchant let them apply in that round), and the SKUs of those without a price."""
    lines = list(quote_round.lines.all())
    terms = line_terms(lines)
    priced = [t for t in terms if t.quoted_unit_price is not None or t.list_unit_price is not None]
    unpriced = [t.sku for t in terms if t not in priced]
    on_top = _on_top(quote, lines, priced, today) if quote_round.promotions_apply else None
    return fixed_prices(quote.number, priced, on_top), unpriced


def _on_top(quote: Quote, lines, priced: list[LineTerms], today) -> OnTop | None:
    if not priced:
        return None
    store = current_store()
    products = [line.product for line in lines]
    context = pricing_context(
        store=store,
        company=quote.company,
        product_ids=[p.pk for p in products],
        today=today or store_today(store),
    )
    promotions = {}
    for data in product_data(products, category_ancestors()):
        best = best_promotion(context, data)
        if best is not None:
            promotions[data.id] = (best.code, best.percent)
    units = sum(t.quantity for t in priced)
    return OnTop(promotions, volume_percent(context, units), units)


def quote_estimate(quote: Quote, quote_round: QuoteRound, *, today=None) -> Estimate:
    """The estimate of a round at its terms: the buyer's pages, API, PDF and e-mail show the
    offer in force (`offer_in_force`), the back office the round being prepared."""
    lines = list(quote_round.lines.all())
    store = current_store()
    day = today or store_today(store)
    prices, unpriced = quote_prices(quote, quote_round, today=day)
    viewer = requester_viewer(quote)
    destination = default_destination(viewer)
    company = viewer.company
    jurisdiction = (
        destination.jurisdiction if destination else Jurisdiction(company.country, company.region)
    )
    rates = jurisdiction_rates(jurisdiction)
    exemption = tax.order_exemption(
        exemptions_of(store=store, company=company, group=company.group), jurisdiction, day
    )
    classes = {line.product_id: line.product.tax_class for line in lines}
    shipping = quote_round.shipping_price
    taxes = tax.tax_lines(
        [(price.net, classes[price.product_id]) for price in prices],
        shipping or ZERO,
        rates,
        order_exemption=exemption,
    )
    subtotal = sum((p.gross for p in prices), ZERO)
    discount_total = sum((p.discount for p in prices), ZERO)
    tax_total = sum((t.amount for t in taxes), ZERO)
    return Estimate(
        currency=quote.currency,
        lines=prices,
        unpriced=unpriced,
        subtotal=subtotal,
        discount_total=discount_total,
        merchandise=subtotal - discount_total,
        shipping_total=shipping,
        tax_lines=taxes,
        tax_total=tax_total,
        total=subtotal - discount_total + (shipping or ZERO) + tax_total,
        tax_exemption=exemption,
    )


def accepted_quote_prices(quote: Quote, *, today=None) -> list[QuotePrice]:
    """The fixed prices of an accepted quote, for the order placed from it: the lines of the
    round the buyer accepted, at the prices sent, explained by the quote step. This is what
    checkout hands `quote_cart` as `fixed` (by product id, `FixedPrice(**p.fixed_price_fields())`).
    """
    if quote.state != states.ACCEPTED:
        raise BusinessRuleError(
            "quote_not_open", _("Quote %(number)s is not accepted.") % {"number": quote.number}
        )
    prices, _unpriced = quote_prices(quote, accepted_round(quote), today=today)
    return prices


def accepted_round(quote: Quote) -> QuoteRound:
    """The last round sent, the one the buyer accepted, its lines fetched in their order."""
    return (
        QuoteRound.objects.filter(quote=quote, sent_at__isnull=False)
        .prefetch_related(LINES_PREFETCH)
        .order_by("-position")
        .first()
    )


def latest_round(quote: Quote) -> QuoteRound:
    """The last round (the one the back office edits while the quote is open), its lines
    fetched in their order."""
    return (
        QuoteRound.objects.filter(quote=quote)
        .prefetch_related(LINES_PREFETCH)
        .order_by("-position")
        .first()
    )


def accepted_lines(quote: Quote) -> list[QuoteLine]:
    """The lines of the last round sent: the one the buyer accepted."""
    return list(accepted_round(quote).lines.all())


def waiting_approval(quote: Quote) -> str | None:
    """The number of the approval request an order from the quote waits in, if any."""
    return (
        ApprovalRequest.objects.filter(quote=quote, status__in=OPEN_STATUSES)
        .values_list("number", flat=True)
        .first()
    )
