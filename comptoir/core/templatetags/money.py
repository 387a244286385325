"""`{{ value|price }}`: a decimal as the API and the bundle write it (2 to 4 decimals);
`{{ value|amount }}`: the same figure as the reader writes it (1,234.50 or 1 234,50)."""

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
