"""What a buyer is told about a product's stock: one pure rule for the listing, the product
page and the API, so the three never disagree.

Availability is not a price: it is shown wherever the product is, prices hidden or not. Below
the threshold the exact count is worth telling ("3 left"); above it, "in stock" says enough
and does not publish the merchant's stock level.
"""

from dataclasses import dataclass

IN_STOCK = "in_stock"
LOW_STOCK = "low_stock"
BACKORDER = "backorder"
OUT_OF_STOCK = "out_of_stock"

LOW_STOCK_THRESHOLD = 10
"""At or below this many units the buyer sees how many are left."""


@dataclass(frozen=True)
class Availability:
    status: str
    """One of in_stock, low_stock, backorder, out_of_stock."""
    left: int | None = None
    """Units left, given only for low_stock."""

    @property
    def orderable(self) -> bool:
        return self.status != OUT_OF_STOCK


# The labels without a count, shared: a listing asks for 24 to 50 labels on every request.
_IN_STOCK = Availability(IN_STOCK)
_BACKORDER = Availability(BACKORDER)
_OUT_OF_STOCK = Availability(OUT_OF_STOCK)


def availability(stock: int, backorder: bool, threshold: int = LOW_STOCK_THRESHOLD) -> Availability:
    """The label for `stock` units on hand; a product sold on backorder is never out of stock."""
    if stock <= 0:
        return _BACKORDER if backorder else _OUT_OF_STOCK
    if stock <= threshold:
        return Availability(LOW_STOCK, stock)
    return _IN_STOCK
