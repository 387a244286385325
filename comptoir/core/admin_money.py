"""Decimal fields in the back office as money: `8.49`, `6.9913`, `20 %`, never `8.4900`.

Django shows a decimal field with every stored place (unit prices and rates keep 4). List
columns and read-only fields name these columns instead of the field: same label, help
text, CSS class and sort; the places are those of core/money.py's `format_decimal` (at
least 2 for money, none forced for a rate, no trailing zeros beyond), written in the
reader's language (`1234.50`, `1234,50`), ungrouped like Django's own amounts.
"""

from decimal import Decimal

from django.contrib import admin
from django.utils.formats import number_format

from comptoir.core.money import format_decimal

EMPTY = "-"


def localized_decimal(value: Decimal, min_places: int = 2, *, grouping: bool = False) -> str:
    """`value` with the places `format_decimal` gives it, in the active language's format;
    pages for buyers group the thousands (`grouping`), the back office does not."""
    places = len(format_decimal(value, min_places).partition(".")[2])
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=grouping)


def localized_percent(value: Decimal) -> str:
    return f"{localized_decimal(value, 0)}\u00a0%"


def money_column(model, name: str):
    """An amount (`8.49`) or a unit price (`8.49`, `6.9913`)."""
    return _column(model, name, localized_decimal)


def percent_column(model, name: str):
    """A rate or a discount: `20 %`, `2.5 %`."""
    return _column(model, name, localized_percent)


def _column(model, name, formatter):
    field = model._meta.get_field(name)

    def display(obj):
        value = getattr(obj, name)
        return EMPTY if value is None else formatter(value)

    # The field's name, so that its help text and `field-<name>` CSS class stay.
    display.__name__ = name
    return admin.display(description=field.verbose_name, ordering=name)(display)
