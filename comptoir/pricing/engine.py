"""The pricing engine: DESIGN.md "Price resolution" and "Rounding", over plain data, no ORM.

Every channel (storefront, API, back-office preview, cart, checkout) prices through
`quote_line` and `price_cart`, so no two channels can disagree. Each result carries the
steps that produced it, so that "why does ACME pay 8.42 for this?" has an answer.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from comptoir.core.money import ZERO, round2, round4

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PriceListData:
    """A price list and its entries for the products being priced.

    `tiers` maps a product id to its (min_qty, unit price) pairs, sorted by min_qty.
    """

    code: str
    currency: str
    priority: int = 0
    parent: str | None = None
    adjustment_percent: Decimal | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    tiers: dict[int, tuple[tuple[int, Decimal], ...]] = field(default_factory=dict)

    def is_usable(self, currency: str, today: datetime.date) -> bool:
        """In the store's currency and within its validity window (both days included)."""
        if self.currency != currency:
            return False
        if self.valid_from is not None and today < self.valid_from:
            return False
        return self.valid_until is None or today <= self.valid_until


@dataclass(frozen=True)
class PromotionData:
    code: str
    percent: Decimal
    product_ids: frozenset[int] = frozenset()
    category_codes: frozenset[str] = frozenset()
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None

    def applies(self, product: "ProductData", today: datetime.date) -> bool:
        if self.valid_from is not None and today < self.valid_from:
            return False
        if self.valid_until is not None and today > self.valid_until:
            return False
        return product.id in self.product_ids or not self.category_codes.isdisjoint(
            product.categories
        )


@dataclass(frozen=True)
class ProductData:
    """What pricing needs of a product: `categories` holds its category and every ancestor."""

    id: int
    sku: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Level:
    """One level of precedence: the company's lists, its group's, or the store's base list."""

    name: str
    lists: tuple[PriceListData, ...]


@dataclass(frozen=True)
class PricingContext:
    """Everything that decides a buyer's prices, built once per request by the selector."""

    currency: str
    today: datetime.date
    levels: tuple[Level, ...]
    all_lists: dict[str, PriceListData]
    promotions: tuple[PromotionData, ...] = ()
    volume_tiers: tuple[tuple[int, Decimal], ...] = ()

    def __post_init__(self):
        # Ordered and filtered once: a page or a cart prices thousands of lines with it.
        candidates = tuple(
            (level.name, price_list)
            for level in self.levels
            for price_list in sorted(level.lists, key=lambda pl: (pl.priority, pl.code))
            if price_list.is_usable(self.currency, self.today)
        )
        object.__setattr__(self, "_candidates", candidates)

    def candidate_lists(self) -> tuple[tuple[str, PriceListData], ...]:
        return self._candidates


@dataclass(frozen=True)
class Step:
    """One step of a price's explanation."""

    step: str
    source: str
    detail: str
    unit_price: Decimal | None


@dataclass(frozen=True)
class ListPrice:
    unit_price: Decimal
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Quote:
    """The price of one product at one quantity, before volume discounts (which need the cart)."""

    product: ProductData
    quantity: int
    unit_price: Decimal
    gross: Decimal
    promotion_percent: Decimal | None
    promotion: Decimal
    steps: tuple[Step, ...]

    @property
    def line_total(self) -> Decimal:
        return self.gross - self.promotion


@dataclass(frozen=True)
class PricedLine:
    quote: Quote
    volume_percent: Decimal | None
    volume: Decimal

    @property
    def discount(self) -> Decimal:
        return self.quote.promotion + self.volume

    @property
    def net(self) -> Decimal:
        return self.quote.gross - self.discount


@dataclass(frozen=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    unpriced: tuple[tuple[ProductData, int], ...]
    total_quantity: int
    volume_percent: Decimal | None
    subtotal: Decimal
    discount_total: Decimal
    merchandise: Decimal


def _tier_price(price_list: PriceListData, product_id: int, quantity: int):
    """The tier with the largest min_qty <= quantity: (min_qty, price), or None."""
    best = None
    for min_qty, price in price_list.tiers.get(product_id, ()):
        if min_qty > quantity:
            break
        best = (min_qty, price)
    return best


def _from_list(
    context: PricingContext, price_list: PriceListData, product_id: int, quantity: int, seen
) -> ListPrice | None:
    """The price one list yields, through its parent for products it has no entry for."""
    if product_id in price_list.tiers:
        tier = _tier_price(price_list, product_id, quantity)
        if tier is None:
            return None
        min_qty, price = tier
        return ListPrice(
            price,
            (Step("list_price", price_list.code, f"tier from {min_qty}", price),),
        )
    if price_list.parent is None or price_list.parent in seen:
        return None
    parent = context.all_lists.get(price_list.parent)
    if parent is None or not parent.is_usable(context.currency, context.today):
        return None
    inherited = _from_list(context, parent, product_id, quantity, seen | {price_list.code})
    if inherited is None:
        return None
    adjustment = price_list.adjustment_percent or ZERO
    unit_price = round4(inherited.unit_price * (HUNDRED + adjustment) / HUNDRED)
    step = Step(
        "parent_adjustment",
        price_list.code,
        f"{adjustment:+} % on {parent.code}",
        unit_price,
    )
    return ListPrice(unit_price, (*inherited.steps, step))


def list_price(context: PricingContext, product: ProductData, quantity: int) -> ListPrice | None:
    """The unit price from the most specific list that yields one; None: price on request."""
    for level, price_list in context.candidate_lists():
        found = _from_list(context, price_list, product.id, quantity, frozenset())
        if found is not None:
            first, *rest = found.steps
            chosen = Step(
                first.step, first.source, f"{level} list, {first.detail}", first.unit_price
            )
            return ListPrice(found.unit_price, (chosen, *rest))
    return None


def best_promotion(context: PricingContext, product: ProductData) -> PromotionData | None:
    """The single best promotion (highest percentage) of the group for this product."""
    applicable = [p for p in context.promotions if p.applies(product, context.today)]
    if not applicable:
        return None
    return min(applicable, key=lambda promotion: (-promotion.percent, promotion.code))


def quote_line(context: PricingContext, product: ProductData, quantity: int) -> Quote | None:
    """List price, best promotion and line total of one product; None if it has no price."""
    found = list_price(context, product, quantity)
    if found is None:
        return None
    gross = round2(found.unit_price * quantity)
    steps = list(found.steps)
    promotion = best_promotion(context, product)
    percent = promotion.percent if promotion else None
    amount = round2(gross * percent / HUNDRED) if promotion else ZERO
    if promotion:
        steps.append(Step("promotion", promotion.code, f"{promotion.percent} % off", None))
    return Quote(product, quantity, found.unit_price, gross, percent, amount, tuple(steps))


def volume_percent(context: PricingContext, total_quantity: int) -> Decimal | None:
    """The group's volume tier for this many units in the whole cart."""
    chosen = None
    for min_total_qty, percent in sorted(context.volume_tiers):
        if min_total_qty <= total_quantity:
            chosen = percent
    return chosen


def price_cart(context: PricingContext, lines: Sequence[tuple[ProductData, int]]) -> PricedCart:
    """Every line priced, volume discount chosen by the total units of the cart."""
    total_quantity = sum(quantity for _, quantity in lines)
    percent = volume_percent(context, total_quantity)
    priced, unpriced = [], []
    for product, quantity in lines:
        quote = quote_line(context, product, quantity)
        if quote is None:
            unpriced.append((product, quantity))
            continue
        volume = round2((quote.gross - quote.promotion) * percent / HUNDRED) if percent else ZERO
        if percent:
            detail = f"{percent} % off from {total_quantity} units in the cart"
            quote = Quote(
                quote.product,
                quote.quantity,
                quote.unit_price,
                quote.gross,
                quote.promotion_percent,
                quote.promotion,
                (*quote.steps, Step("volume_discount", "volume", detail, None)),
            )
        priced.append(PricedLine(quote, percent, volume))
    subtotal = sum((line.quote.gross for line in priced), ZERO)
    discount_total = sum((line.discount for line in priced), ZERO)
    return PricedCart(
        tuple(priced),
        tuple(unpriced),
        total_quantity,
        percent,
        subtotal,
        discount_total,
        subtotal - discount_total,
    )


@dataclass(frozen=True)
class QuantityRules:
    """A buyer's order rules for a product (group overrides applied)."""

    min_qty: int = 1
    max_qty: int | None = None
    qty_step: int = 1

    def next_orderable(self, quantity: int) -> int | None:
        """The smallest quantity at or above `quantity` that can be ordered, or None."""
        quantity = max(quantity, self.min_qty)
        quantity += -quantity % self.qty_step
        if self.max_qty is not None and quantity > self.max_qty:
            return None
        return quantity


def price_breaks(
    context: PricingContext, product: ProductData, rules: QuantityRules
) -> tuple[tuple[int, Decimal], ...]:
    """The unit price at the minimum orderable quantity and wherever it changes after it.

    A change at a quantity that cannot be ordered shows at the next orderable one, so the
    buyer is never shown a price he cannot get.
    """
    quantities = {rules.min_qty}
    for _, price_list in context.candidate_lists():
        chain, seen = price_list, set()
        while chain is not None and chain.code not in seen:
            seen.add(chain.code)
            quantities.update(min_qty for min_qty, _ in chain.tiers.get(product.id, ()))
            chain = context.all_lists.get(chain.parent) if chain.parent else None
    breaks: list[tuple[int, Decimal]] = []
    for quantity in sorted({rules.next_orderable(q) for q in quantities} - {None}):
        found = list_price(context, product, quantity)
        if found is None:
            continue
        if not breaks or breaks[-1][1] != found.unit_price:
            breaks.append((quantity, found.unit_price))
    return tuple(breaks)
