"""`{{ product.unit|unit_name }}` and `{{ line.quantity|in_units:line.unit }}` (core/units.py)."""

from django import template

from comptoir.core import units

register = template.Library()


@register.filter
def unit_name(unit: str, count: int = 1) -> str:
    return units.unit_name(unit, count)


@register.filter
def in_units(quantity: int, unit: str) -> str:
    return units.quantity_in_units(quantity, unit)
