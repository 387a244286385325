"""`{{ value|price }}`: a decimal as the API and the bundle write it (2 to 4 decimals);
`{{ value|amount }}`: the same figure as the reader writes it (1,234.50 or 1 234,50)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from comptoir.core.money import format_decimal

register = template.Library()


@register.filter
def price(value):
    return format_decimal(value) if value is not None else ""


@register.filter
def amount(value):
    if value is None:
        return ""
    places = len(format_decimal(value).partition(".")[2])
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def rate(value):
    """A percentage as people write it: 20, 5.5 (5,5 in French), 8.875; never 5.500."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True)
