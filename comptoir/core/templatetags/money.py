"""`{{ value|price }}`: a decimal as the API and the bundle write it (2 to 4 decimals);
`{{ value|amount }}`: the same figure as the reader writes it (1,234.50 or 1 234,50)."""

from decimal import Decimal

from django import template

from comptoir.core.admin_money import localized_decimal
from comptoir.core.money import format_decimal

register = template.Library()


@register.filter
def price(value):
    return format_decimal(value) if value is not None else ""


@register.filter
def amount(value):
    return "" if value is None else localized_decimal(Decimal(value), grouping=True)


@register.filter
def rate(value):
    """A percentage as people write it: 20, 5.5 (5,5 in French), 8.875; never 5.500."""
    return "" if value is None else localized_decimal(Decimal(value), 0)
