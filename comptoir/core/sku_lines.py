"""Lines of "SKU quantity" pasted by people (price preview, quick order).

Separators people paste: a space, a tab (from a spreadsheet), a comma or a semicolon.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_QUANTITY = 1_000_000
_SEPARATOR = re.compile(r"[\s,;]+")
_QUANTITY = re.compile(r"[0-9]{1,7}")


@dataclass(frozen=True)
class SkuLine:
    line: int
    sku: str
    quantity: int | None
    error: str | None = None
    unit: str | None = None
    """The unit typed after the quantity ("3 case"), where a reader takes one."""


def split_sku_lines(text: str, default_quantity: int = 1) -> list[tuple[int, str, str]]:
    """(line number, SKU, quantity as typed) of every non-blank line; no quantity means one."""
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [part for part in _SEPARATOR.split(raw.strip()) if part]
        if parts:
            typed = " ".join(parts[1:]) if len(parts) > 1 else str(default_quantity)
            rows.append((number, parts[0], typed))
    return rows


def parse_quantity_text(typed: str) -> int | None:
    """A whole number of ASCII digits from 0 to 1,000,000, else None ("12x", "-3", "1e3")."""
    if not _QUANTITY.fullmatch(typed):
        return None
    number = int(typed)
    return number if number <= MAX_QUANTITY else None


def parse_sku_lines(text: str, default_quantity: int = 1) -> list[SkuLine]:
    """One entry per non-blank line; a line whose quantity is not valid carries an error."""
    lines = []
    for number, sku, typed in split_sku_lines(text, default_quantity):
        quantity = parse_quantity_text(typed)
        if " " in typed:
            lines.append(SkuLine(number, sku, None, _("expected a SKU and a quantity")))
        elif not quantity:
            lines.append(
                SkuLine(
                    number, sku, None, _("the quantity must be a whole number from 1 to 1,000,000")
                )
            )
        else:
            lines.append(SkuLine(number, sku, quantity))
    return lines
