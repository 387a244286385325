"""Money in the reader's language, for templates (the `money` filter) and offer_html.py."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

from comptoir.core.money import format_decimal
from comptoir.storefront.price_display import showing_prices

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money(value: Decimal | None, currency: str = "") -> str:
    """8.5 EUR as "€8.50" in English and "8,50 €" in French; unit prices keep up to 4 decimals.
    A dash for a viewer whose role does not show prices (`price_display`)."""
    if value is None:
        return ""
    if not showing_prices():
        return "—"
    places = len(format_decimal(value).partition(".")[2])
    number = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency, currency)
    if (get_language() or "en").startswith("fr"):
        return f"{number}\N{NO-BREAK SPACE}{symbol}" if symbol else number
    if symbol in SYMBOLS.values():
        return f"{symbol}{number}"
    return f"{number}\N{NO-BREAK SPACE}{symbol}" if symbol else number
