"""Money and rounding: the one place that decides how Comptoir rounds.

Half-up everywhere (DESIGN.md "Rounding"): amounts to cents, unit prices to 4 decimals.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PRICE_UNIT = Decimal("0.0001")


def quantize(value: Decimal, exponent: Decimal) -> Decimal:
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def round2(value: Decimal) -> Decimal:
    """An amount: rounded once, to the cent."""
    return quantize(value, CENT)


def round4(value: Decimal) -> Decimal:
    """A unit price: derived prices carry at most 4 decimals."""
    return quantize(value, PRICE_UNIT)


def parse_decimal(text: object) -> Decimal:
    """A decimal from its string form; floats are refused because they are not exact."""
    if not isinstance(text, str):
        raise ValueError("not a decimal string")
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError("not a decimal") from exc
    if not value.is_finite():
        raise ValueError("not a decimal")
    return value


def format_decimal(value: Decimal | None, min_places: int = 2) -> str | None:
    """The canonical text of a stored decimal: at least `min_places`, no trailing zeros beyond."""
    if value is None:
        return None
    normalized = value.normalize()
    places = max(min_places, -normalized.as_tuple().exponent)
    return f"{value:.{places}f}"


def format_percent(value: Decimal | None) -> str | None:
    """A rate as people write it: `20 %`, `5.5 %`, `8.875 %` (a no-break space before %)."""
    if value is None:
        return None
    return f"{format_decimal(value, 0)}\u00a0%"
