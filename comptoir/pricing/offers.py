"""Products as a buyer sees them in the catalogue: rules, list prices and availability, a page
at a time."""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.catalog.availability import Availability, availability
from comptoir.catalog.models import Product
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

    @property
    def availability(self) -> Availability:
        """Shown with or without prices: availability is not a price."""
        return availability(self.product.stock, self.product.backorder)


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
