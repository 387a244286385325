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
    packaging_tiers: dict[tuple[int, str], tuple[tuple[int, Decimal], ...]] = field(
        default_factory=dict
    )
    """The list's own packaging prices by (product id, packaging unit): (min base qty, price)."""

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

    def is_valid(self, today: datetime.date) -> bool:
        if self.valid_from is not None and today < self.valid_from:
            return False
        return self.valid_until is None or today <= self.valid_until


@dataclass(frozen=True)
class ProductData:
    """What pricing needs of a product: `categories` holds its category and every ancestor."""

    id: int
    sku: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackagingData:
    """A packaging a line is bought in: `factor` base units each, `percent_off` its discount
    on the derived price (docs/units-of-measure.md)."""

    unit: str
    factor: int
    percent_off: Decimal | None = None


def packaging_unit_price(base_unit_price: Decimal, packaging: PackagingData) -> Decimal:
    """The derived price of one packaging: base price x factor, less its discount, to 4 places.

    The one rule of a packaging's price when no price list names its own (every channel).
    """
    price = base_unit_price * packaging.factor
    if packaging.percent_off:
        price = price * (HUNDRED - packaging.percent_off) / HUNDRED
    return round4(price)


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
        usable = frozenset(
            code for code, pl in self.all_lists.items() if pl.is_usable(self.currency, self.today)
        )
        object.__setattr__(self, "_usable", usable)
        by_product: dict[int, list[PromotionData]] = {}
        by_category: dict[str, list[PromotionData]] = {}
        for promotion in self.promotions:
            if not promotion.is_valid(self.today):
                continue
            for product_id in promotion.product_ids:
                by_product.setdefault(product_id, []).append(promotion)
            for code in promotion.category_codes:
                by_category.setdefault(code, []).append(promotion)
        object.__setattr__(self, "_promotions_by_product", by_product)
        object.__setattr__(self, "_promotions_by_category", by_category)
        # The best category promotion of each category path, found once: a cart prices many
        # products of the same few categories.
        object.__setattr__(self, "_best_by_categories", {})

    def candidate_lists(self) -> tuple[tuple[str, PriceListData], ...]:
        return self._candidates


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a price's explanation."""

    step: str
    source: str
    detail: str
    unit_price: Decimal | None

    def as_snapshot(self) -> dict:
        """The step as an order or an approval request keeps it (JSON)."""
        return {
            "step": self.step,
            "source": self.source,
            "detail": self.detail,
            "unit_price": str(self.unit_price) if self.unit_price is not None else None,
        }


# The per-line results (ListPrice, Quote, PricedLine) are not frozen: a frozen dataclass sets
# each field through object.__setattr__, which makes it about five times slower to build, and
# a cart builds three of them per line. Nothing changes them once built.


@dataclass(slots=True)
class ListPrice:
    """A resolved list price and where it came from.

    `source` is the list whose tier was found and `tier` that `(min_qty, price)` pair, shared
    with the list's data; `derivations` holds one `(list code, parent code, adjustment,
    price)` per derived list on the way. The explanation is only written out when asked for,
    as pricing a page or a cart asks for thousands of prices.
    """

    unit_price: Decimal
    level: str
    source: str
    tier: tuple[int, Decimal]
    derivations: tuple[tuple[str, str, Decimal, Decimal], ...] = ()
    packaging: str | None = None
    """The packaging unit when the list named its own price for it (the price is per packaging)."""

    @property
    def steps(self) -> tuple[Step, ...]:
        min_qty, price = self.tier
        if self.packaging is not None:
            detail = f"{self.level} list, price per {self.packaging} from {min_qty} units"
            return (Step("packaging_price", self.source, detail, price),)
        steps = [Step("list_price", self.source, f"{self.level} list, tier from {min_qty}", price)]
        steps += [
            Step("parent_adjustment", code, f"{adjustment:+} % on {parent}", unit_price)
            for code, parent, adjustment, unit_price in self.derivations
        ]
        return tuple(steps)


@dataclass(slots=True)
class Quote:
    """The price of one product at one quantity, before volume discounts (which need the cart)."""

    product: ProductData
    quantity: int
    unit_price: Decimal
    gross: Decimal
    promotion_percent: Decimal | None
    promotion: Decimal
    list_price: ListPrice
    promotion_code: str | None = None
    packaging: PackagingData | None = None
    """The packaging the quantity counts (the unit price is then per packaging), or None."""

    @property
    def line_total(self) -> Decimal:
        return self.gross - self.promotion

    @property
    def base_quantity(self) -> int:
        return self.quantity * self.packaging.factor if self.packaging else self.quantity

    @property
    def steps(self) -> tuple[Step, ...]:
        steps = list(self.list_price.steps)
        packaging = self.packaging
        if packaging is not None and self.list_price.packaging is None:
            detail = f"× {packaging.factor} per {packaging.unit}"
            if packaging.percent_off:
                detail += f", {packaging.percent_off} % off"
            steps.append(Step("packaging", packaging.unit, detail, self.unit_price))
        if self.promotion_code is not None:
            detail = f"{self.promotion_percent} % off"
            steps.append(Step("promotion", self.promotion_code, detail, None))
        return tuple(steps)


@dataclass(slots=True)
class PricedLine:
    quote: Quote
    volume_percent: Decimal | None
    volume: Decimal
    cart_units: int = 0

    # The amounts a cart line reads, named as `ordering.quotes.FixedPrice` names them, so that
    # a line priced here and a line whose price was fixed elsewhere read alike.
    @property
    def unit_price(self) -> Decimal:
        return self.quote.unit_price

    @property
    def gross(self) -> Decimal:
        return self.quote.gross

    @property
    def promotion_percent(self) -> Decimal | None:
        return self.quote.promotion_percent

    @property
    def promotion(self) -> Decimal:
        return self.quote.promotion

    @property
    def steps(self) -> tuple[Step, ...]:
        """The quote's steps, then the volume tier the whole cart reached."""
        if self.volume_percent is None:
            return self.quote.steps
        detail = f"{self.volume_percent} % off from {self.cart_units} units in the cart"
        return (*self.quote.steps, Step("volume_discount", "volume", detail, None))

    @property
    def discount(self) -> Decimal:
        return self.quote.promotion + self.volume

    @property
    def net(self) -> Decimal:
        return self.quote.gross - self.discount


@dataclass(frozen=True, slots=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    unpriced: tuple[tuple[ProductData, int], ...]
    total_quantity: int
    volume_percent: Decimal | None
    subtotal: Decimal
    discount_total: Decimal
    merchandise: Decimal


MAX_DERIVATION_DEPTH = 16
_UNSEEN = object()


def _tier(tiers: tuple[tuple[int, Decimal], ...], quantity: int) -> tuple[int, Decimal] | None:
    """The tier with the largest `min_qty <= quantity` (tiers are sorted by min_qty)."""
    best = None
    for tier in tiers:
        if tier[0] > quantity:
            break
        best = tier
    return best


def _from_parent(
    context: PricingContext,
    price_list: PriceListData,
    product_id: int,
    quantity: int,
    depth: int = 0,
):
    """(unit price, source, tier, derivations) of a derived list from its parent, or None."""
    parent_code = price_list.parent
    if parent_code is None or parent_code not in context._usable or depth > MAX_DERIVATION_DEPTH:
        return None
    parent = context.all_lists[parent_code]
    tiers = parent.tiers.get(product_id)
    if tiers is not None:
        tier = _tier(tiers, quantity)
        if tier is None:
            return None
        inherited = (tier[1], parent_code, tier, ())
    else:
        inherited = _from_parent(context, parent, product_id, quantity, depth + 1)
        if inherited is None:
            return None
    adjustment = price_list.adjustment_percent or ZERO
    unit_price = round4(inherited[0] * (HUNDRED + adjustment) / HUNDRED)
    derivation = (price_list.code, parent_code, adjustment, unit_price)
    return unit_price, inherited[1], inherited[2], (*inherited[3], derivation)


def list_price(
    context: PricingContext, product: ProductData, quantity: int, packaging: str | None = None
) -> ListPrice | None:
    """The unit price from the most specific list that yields one; None: price on request.

    With a `packaging` unit, a list's own price for that packaging (tiers in base units too)
    wins over its price of the base unit; the result then says so (`ListPrice.packaging`).
    """
    product_id = product.id
    for level, price_list in context._candidates:
        if packaging is not None and price_list.packaging_tiers:
            own = price_list.packaging_tiers.get((product_id, packaging))
            tier = _tier(own, quantity) if own is not None else None
            if tier is not None:
                return ListPrice(tier[1], level, price_list.code, tier, (), packaging)
        # Inline for the common case, a list with its own entries: a cart asks this for
        # every line of every candidate list.
        tiers = price_list.tiers.get(product_id)
        if tiers is not None:
            tier = _tier(tiers, quantity)
            if tier is not None:
                return ListPrice(tier[1], level, price_list.code, tier)
        elif price_list.parent is not None:
            found = _from_parent(context, price_list, product_id, quantity)
            if found is not None:
                return ListPrice(found[0], level, *found[1:])
    return None


def best_promotion(context: PricingContext, product: ProductData) -> PromotionData | None:
    """The single best promotion (highest percentage) of the group for this product."""
    categories = product.categories
    best = context._best_by_categories.get(categories, _UNSEEN)
    if best is _UNSEEN:
        best = None
        for code in categories:
            for promotion in context._promotions_by_category.get(code, ()):
                best = _better(best, promotion)
        context._best_by_categories[categories] = best
    for promotion in context._promotions_by_product.get(product.id, ()):
        best = _better(best, promotion)
    return best


def _better(current: PromotionData | None, other: PromotionData) -> PromotionData:
    if current is None or (other.percent, current.code) > (current.percent, other.code):
        return other
    return current


def quote_line(
    context: PricingContext,
    product: ProductData,
    quantity: int,
    packaging: PackagingData | None = None,
) -> Quote | None:
    """List price, best promotion and line total of one product; None if it has no price.

    A quantity of 0 (valid in the API, which answers "what would it cost") takes the unit
    price, promotion and explanation of one unit; its amounts are then 0.00. In a
    `packaging`, `quantity` counts packagings, tiers are chosen by base units and the unit
    price is the packaging's (`packaging_unit_price` unless a list names its own).
    """
    if packaging is None:
        found = list_price(context, product, max(quantity, 1))
        if found is None:
            return None
        unit_price = found.unit_price
    else:
        base_quantity = max(quantity, 1) * packaging.factor
        found = list_price(context, product, base_quantity, packaging.unit)
        if found is None:
            return None
        unit_price = (
            found.unit_price
            if found.packaging is not None
            else packaging_unit_price(found.unit_price, packaging)
        )
    gross = round2(unit_price * quantity)
    promotion = best_promotion(context, product)
    if promotion is None:
        return Quote(product, quantity, unit_price, gross, None, ZERO, found, None, packaging)
    amount = round2(gross * promotion.percent / HUNDRED)
    return Quote(
        product,
        quantity,
        unit_price,
        gross,
        promotion.percent,
        amount,
        found,
        promotion.code,
        packaging,
    )


def volume_percent(context: PricingContext, total_quantity: int) -> Decimal | None:
    """The group's volume tier for this many units in the whole cart."""
    chosen = None
    for min_total_qty, percent in sorted(context.volume_tiers):
        if min_total_qty <= total_quantity:
            chosen = percent
    return chosen


def price_cart(
    context: PricingContext,
    lines: Sequence[tuple[ProductData, int]],
    packagings: dict[int, PackagingData] | None = None,
) -> PricedCart:
    """Every line priced, volume discount chosen by the total units of the cart.

    `packagings` (by product id) names the packaging a line's quantity counts; the volume
    tier counts base units. The totals are added up as the lines are priced, in one pass.
    """
    packagings = packagings or {}
    total_quantity = sum(
        quantity * (packagings[product.id].factor if product.id in packagings else 1)
        for product, quantity in lines
    )
    percent = volume_percent(context, total_quantity)
    priced, unpriced = [], []
    subtotal = discount_total = ZERO
    for product, quantity in lines:
        quote = quote_line(context, product, quantity, packagings.get(product.id))
        if quote is None:
            unpriced.append((product, quantity))
            continue
        volume = round2((quote.gross - quote.promotion) * percent / HUNDRED) if percent else ZERO
        priced.append(PricedLine(quote, percent, volume, total_quantity))
        subtotal += quote.gross
        discount_total += quote.promotion + volume
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
