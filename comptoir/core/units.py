"""Selling units (a product's `unit`: "box", "case", "pallet"...) as a reader says them.

The unit is free text in the data (API.md §1), so the codes merchants use are named here
once, with their plural, in every language; an unknown code is shown as it is written.
Every page, e-mail and invoice goes through `unit_name` and `quantity_in_units`.
"""

from django.utils.formats import number_format
from django.utils.translation import npgettext

# The context is written out in each call: makemessages only extracts literal strings.
NAMES = {
    "piece": lambda count: npgettext("selling unit", "piece", "pieces", count),
    "box": lambda count: npgettext("selling unit", "box", "boxes", count),
    "case": lambda count: npgettext("selling unit", "case", "cases", count),
    "carton": lambda count: npgettext("selling unit", "carton", "cartons", count),
    "pack": lambda count: npgettext("selling unit", "pack", "packs", count),
    "pallet": lambda count: npgettext("selling unit", "pallet", "pallets", count),
    "roll": lambda count: npgettext("selling unit", "roll", "rolls", count),
    "bag": lambda count: npgettext("selling unit", "bag", "bags", count),
    "bucket": lambda count: npgettext("selling unit", "bucket", "buckets", count),
    "reel": lambda count: npgettext("selling unit", "reel", "reels", count),
    "pair": lambda count: npgettext("selling unit", "pair", "pairs", count),
    "set": lambda count: npgettext("selling unit", "set", "sets", count),
}


def unit_name(unit: str, count: int = 1) -> str:
    """The unit's name: "case" is "carton" in French, "cartons" for a count above one."""
    name = NAMES.get((unit or "").strip().lower())
    return name(count) if name else unit


def quantity_in_units(quantity: int, unit: str) -> str:
    """3 "case" as "3 cartons" (fr) or "3 cases" (en); a line without a unit keeps its number."""
    number = number_format(quantity, use_l10n=True, force_grouping=True)
    if not unit:
        return number
    return f"{number}\N{NO-BREAK SPACE}{unit_name(unit, quantity)}"


def quantity_label(
    quantity: int, unit: str, base_quantity: int | None = None, base_unit: str = ""
) -> str:
    """ "3 cases (432 pieces)" for a line bought in a packaging; "3 cases" for one that is not."""
    shown = quantity_in_units(quantity, unit)
    if base_quantity is None or not base_unit:
        return shown
    return f"{shown} ({quantity_in_units(base_quantity, base_unit)})"
