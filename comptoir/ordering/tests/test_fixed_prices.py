"""Lines whose price was fixed before today (approval requests, quotes): `quote_cart` takes
their price as given and decides everything else today."""

from decimal import Decimal

from comptoir.accounts.access import viewer_for
from comptoir.core.selectors import get_store
from comptoir.ordering.quotes import FixedPrice, quote_cart
from comptoir.pricing.engine import Step

FIXED = FixedPrice(
    unit_price=Decimal("3.2000"),
    gross=Decimal("384.00"),
    promotion_percent=Decimal("5.00"),
    promotion=Decimal("19.20"),
    volume_percent=None,
    volume=Decimal("0.00"),
    net=Decimal("364.80"),
    steps=(Step("quote", "DEV-2026-000001", "quoted price", Decimal("3.2000")),),
)


def test_a_fixed_line_keeps_its_price_and_the_rest_is_decided_today(shop):
    viewer = viewer_for(get_store(), shop.buyer)
    screws, binders = shop.products["SCR-100"], shop.products["MNL-1"]

    quote = quote_cart(viewer, [(screws, 120), (binders, 9)], fixed={screws.pk: FIXED})

    fixed, priced = quote.lines
    assert (fixed.unit_price, fixed.gross, fixed.discount, fixed.net) == (
        Decimal("3.2000"),
        Decimal("384.00"),
        Decimal("19.20"),
        Decimal("364.80"),
    )
    assert fixed.promotion_percent == Decimal("5.00")
    assert [step.source for step in fixed.steps] == ["DEV-2026-000001"]
    assert (priced.unit_price, priced.net) == (Decimal("12.0000"), Decimal("108.00"))
    # Stock is still checked on the priced line: 9 binders asked, 5 in stock.
    assert [v.code for v in priced.violations] == ["insufficient_stock"]
    assert (quote.subtotal, quote.discount_total) == (Decimal("492.00"), Decimal("19.20"))
    # Shipping on today's methods (472.80 < 500: not free), tax on the fixed net:
    # 20 % of 364.80 + 15.00 = 75.96, and 5.5 % of 108.00 = 5.94.
    assert quote.shipping_total == Decimal("15.00")
    assert quote.tax_total == Decimal("81.90")
    assert quote.total == Decimal("569.70")
