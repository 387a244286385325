"""A quote's prices, pure (DESIGN.md "Team buying"): what each quoted line costs, to the cent,
and the explanation an order placed from the quote carries.

The merchant quotes a unit price, or a discount on today's price; the quoted unit price then
replaces the list price step (`{"step": "quote", "source": "DEV-2026-000001"}`), and
`gross = round2(quoted unit × qty)`. Promotions and volume discounts apply on top only where
the merchant said so for that quote, in the order and rounding of any cart line.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.money import ZERO, round2, round4
from comptoir.pricing.engine import Step

HUNDRED = Decimal(100)
QUOTE_STEP = "quote"


@dataclass(frozen=True)
class LineTerms:
    """One line as the merchant set it: a quoted unit price, or a discount (a percentage) on
    `list_unit_price`, today's price when the quote was sent; neither keeps that price."""

    product_id: int
    sku: str
    quantity: int
    list_unit_price: Decimal | None
    quoted_unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    waive_min_qty: bool = False
    waive_qty_step: bool = False


def quoted_unit_price(terms: LineTerms) -> Decimal | None:
    """The unit price the quote offers (4 decimals); None: the line has no price to offer
    (no quoted price and no list price: made to order, price on request)."""
    if terms.quoted_unit_price is not None:
        return terms.quoted_unit_price
    if terms.list_unit_price is None:
        return None
    if terms.discount_percent is not None:
        return round4(terms.list_unit_price * (HUNDRED - terms.discount_percent) / HUNDRED)
    return terms.list_unit_price


@dataclass(frozen=True)
class QuotePrice:
    """A line's price fixed by the quote: the fields of `ordering.quotes.FixedPrice` (issue
    16's hook in `quote_cart`), with the product and the waived quantity rules."""

    product_id: int
    sku: str
    quantity: int
    unit_price: Decimal
    gross: Decimal
    promotion_percent: Decimal | None
    promotion: Decimal
    volume_percent: Decimal | None
    volume: Decimal
    net: Decimal
    steps: tuple[Step, ...]
    waive_min_qty: bool = False
    waive_qty_step: bool = False

    @property
    def discount(self) -> Decimal:
        return self.promotion + self.volume

    def fixed_price_fields(self) -> dict:
        """The keyword arguments of `FixedPrice(...)`."""
        return {
            "unit_price": self.unit_price,
            "gross": self.gross,
            "promotion_percent": self.promotion_percent,
            "promotion": self.promotion,
            "volume_percent": self.volume_percent,
            "volume": self.volume,
            "net": self.net,
            "steps": self.steps,
        }


@dataclass(frozen=True)
class OnTop:
    """Promotions and volume discount that apply on top of the quoted prices, when the
    merchant said so: each product's best promotion (code, percent) and the volume tier
    reached by the units of the quote's lines."""

    promotions: Mapping[int, tuple[str, Decimal]]
    volume_percent: Decimal | None = None
    units: int = 0


def _quote_step(number: str, terms: LineTerms, unit_price: Decimal) -> Step:
    if terms.quoted_unit_price is None and terms.discount_percent is not None:
        detail = f"{terms.discount_percent} % off {terms.list_unit_price}"
    else:
        detail = "quoted price"
    return Step(QUOTE_STEP, number, detail, unit_price)


def fixed_prices(
    number: str, lines: Sequence[LineTerms], on_top: OnTop | None = None
) -> list[QuotePrice]:
    """Every line at the quoted price; refused (ValueError) for a line without one, which a
    quote is never sent with."""
    prices = []
    for terms in lines:
        unit_price = quoted_unit_price(terms)
        if unit_price is None:
            raise ValueError(f"{terms.sku}: no quoted price")
        gross = round2(unit_price * terms.quantity)
        steps = [_quote_step(number, terms, unit_price)]
        promotion_percent, promotion = None, ZERO
        volume_percent, volume = None, ZERO
        if on_top is not None:
            best = on_top.promotions.get(terms.product_id)
            if best is not None:
                code, promotion_percent = best
                promotion = round2(gross * promotion_percent / HUNDRED)
                steps.append(Step("promotion", code, f"{promotion_percent} % off", None))
            if on_top.volume_percent:
                volume_percent = on_top.volume_percent
                volume = round2((gross - promotion) * volume_percent / HUNDRED)
                detail = f"{volume_percent} % off from {on_top.units} units in the quote"
                steps.append(Step("volume_discount", "volume", detail, None))
        prices.append(
            QuotePrice(
                product_id=terms.product_id,
                sku=terms.sku,
                quantity=terms.quantity,
                unit_price=unit_price,
                gross=gross,
                promotion_percent=promotion_percent,
                promotion=promotion,
                volume_percent=volume_percent,
                volume=volume,
                net=gross - promotion - volume,
                steps=tuple(steps),
                waive_min_qty=terms.waive_min_qty,
                waive_qty_step=terms.waive_qty_step,
            )
        )
    return prices
