"""`{{ value|price }}`: a decimal as the API and the bundle write it (2 to 4 decimals)."""

from django import template

from comptoir.core.money import format_decimal

register = template.Library()


@register.filter
def price(value):
    return format_decimal(value) if value is not None else ""
