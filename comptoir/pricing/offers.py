"""Products as a buyer sees them in the catalogue: rules, list prices and availability, a page
at a time."""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.catalog.availability import Availability, availability
from comptoir.catalog.models import Product
from comptoir.catalog.selectors import product_stock
from comptoir.core.models import Store
from comptoir.customers.models import Company, CustomerGroup
from comptoir.ordering.selectors import order_rules
from comptoir.pricing.engine import ProductData, QuantityRules, price_breaks
from comptoir.pricing.selectors import pricing_context


@dataclass(frozen=True)
class Offer:
    product: Product
    rules: QuantityRules
    breaks: tuple[tuple[int, Decimal], ...] | None
    """(quantity, unit price) from the minimum orderable quantity; None: prices hidden."""
    stock: Availability | None = None
    """Read in this request, where the offer is a copy made earlier (`with_stock`)."""

    @property
    def availability(self) -> Availability:
        """Shown with or without prices: availability is not a price."""
        if self.stock is not None:
            return self.stock
        return availability(self.product.stock, self.product.backorder)


def with_stock(copies: list[Offer], read: dict[int, Availability] | None = None) -> list[Offer]:
    """Offers copied per cache version (core/versioned_cache.py) with their products' stock
    as of now: `read` when the copies were made in this very request, else one query. Stock
    is never copied (orders move it without a bump); an offer whose product was deleted
    since is left out."""
    if read is None:
        read = product_stock([offer.product.pk for offer in copies])
    # Built field by field: `dataclasses.replace` looked the fields up again for each offer.
    return [
        Offer(offer.product, offer.rules, offer.breaks, found)
        for offer in copies
        if (found := read.get(offer.product.pk)) is not None
    ]


def offers(
    *,
    store: Store,
    group: CustomerGroup,
    company: Company | None,
    products: list[Product],
    with_prices: bool,
) -> list[Offer]:
    """Rules and price breaks of a page of products, in a fixed number of queries."""
    rules = order_rules(group=group, products=products)
    context = (
        pricing_context(
            store=store,
            company=company,
            product_ids=[product.pk for product in products],
            with_discounts=False,
        )
        if with_prices and products
        else None
    )
    return [
        Offer(
            product,
            rules[product.pk],
            price_breaks(context, ProductData(product.pk, product.sku), rules[product.pk])
            if context
            else None,
        )
        for product in products
    ]
