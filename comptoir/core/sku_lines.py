"""Lines of "SKU quantity" pasted by people (price preview, quick order).

Separators people paste: a space, a tab (from a spreadsheet), a comma or a semicolon.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_QUANTITY = 1_000_000
_SEPARATOR = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class SkuLine:
    line: int
    sku: str
    quantity: int | None
    error: str | None = None


def parse_sku_lines(text: str, default_quantity: int = 1) -> list[SkuLine]:
    """One entry per non-blank line; a line whose quantity is not valid carries an error."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [part for part in _SEPARATOR.split(raw.strip()) if part]
        if not parts:
            continue
        sku = parts[0]
        if len(parts) == 1:
            lines.append(SkuLine(number, sku, default_quantity))
        elif len(parts) > 2:
            lines.append(SkuLine(number, sku, None, _("expected a SKU and a quantity")))
        elif not parts[1].isdigit() or not 0 < int(parts[1]) <= MAX_QUANTITY:
            lines.append(
                SkuLine(
                    number, sku, None, _("the quantity must be a whole number from 1 to 1,000,000")
                )
            )
        else:
            lines.append(SkuLine(number, sku, int(parts[1])))
    return lines
