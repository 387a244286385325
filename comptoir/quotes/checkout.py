"""What checkout takes from an accepted quote (issue 17): its lines at the quoted prices and
the quantity rules the merchant waived for them, once the caller may order it now.

Everything else of the order (visibility, maximum quantities, stock, the shipping method,
taxes, payment, credit, budgets, approval rules) is decided at placement by the functions of
any order; the quote only fixes the prices, the shipping price when it gives one (whatever the
method's price or its free-above threshold), and, explicitly, a line's minimum or multiple.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.ordering.quotes import FixedPrice
from comptoir.quotes import selectors, states
from comptoir.quotes.models import Quote
from comptoir.quotes.offers import WAIVABLE
from comptoir.quotes.workflow import allowed, locked


@dataclass(frozen=True)
class QuoteOrder:
    """An accepted quote as checkout orders it; `quote` is locked when placement asked."""

    quote: Quote
    items: list[tuple[Product, int]]
    """The products and quantities of the accepted round's lines, in their order."""
    fixed: dict[int, FixedPrice]
    waived: dict[int, frozenset[str]]
    shipping_price: Decimal | None = None
    """The shipping price of the round accepted; None: priced as any order's."""


def waived_rules(lines) -> dict[int, frozenset[str]]:
    """The violation codes each quoted line may break, by product id (quote lines or prices)."""
    waived = {}
    for line in lines:
        codes = frozenset(code for code, field in WAIVABLE.items() if getattr(line, field))
        if codes:
            waived[line.product_id] = codes
    return waived


def quote_for_order(viewer: Viewer, number: str, *, lock: bool = True) -> QuoteOrder:
    """The quote `number` (locked, for placement; not for the checkout page), its lines,
    prices and waivers; refused with 404 `not_found` for another company's quote, 403 beyond
    the viewer's role or locations, 409 `quote_expired` past its last valid day,
    `quote_not_open` unless accepted or while an order from it waits for approval."""
    found = selectors.company_quote(viewer, number)
    if found is None:
        raise BusinessRuleError("not_found", _("No such quote."))
    quote = locked(found.pk) if lock else found
    allowed(quote, states.ORDER, states.BUYER)
    waiting = selectors.waiting_approval(quote)
    if waiting is not None:
        raise BusinessRuleError(
            states.QUOTE_NOT_OPEN,
            _("An order from quote %(number)s is already waiting for approval (%(approval)s).")
            % {"number": quote.number, "approval": waiting},
        )
    accepted = selectors.accepted_round(quote)
    prices, _unpriced = selectors.quote_prices(quote, accepted)
    return QuoteOrder(
        quote=quote,
        items=[(line.product, line.quantity) for line in accepted.lines.all()],
        fixed={price.product_id: FixedPrice(**price.fixed_price_fields()) for price in prices},
        waived=waived_rules(prices),
        shipping_price=accepted.shipping_price,
    )


def accepted_waivers(quote: Quote) -> dict[int, frozenset[str]]:
    """The waivers of the round the buyer accepted (an approved order placed later)."""
    return waived_rules(selectors.accepted_lines(quote))


def accepted_shipping(quote: Quote) -> Decimal | None:
    """The shipping price of the round the buyer accepted (an approved order placed later):
    the round sent is never changed, so it is the price the approvers saw."""
    return selectors.accepted_round(quote).shipping_price
