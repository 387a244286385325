"""Selling units as a reader says them (core/units.py): French names, plurals, unknown codes."""

import pytest
from django.utils import translation

from comptoir.core.units import quantity_in_units, quantity_label, unit_name

NBSP = "\N{NO-BREAK SPACE}"
NNBSP = "\N{NARROW NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("unit", "count", "english", "french"),
    [
        ("box", 1, "box", "boîte"),
        ("box", 3, "boxes", "boîtes"),
        ("case", 1, "case", "carton"),
        ("case", 3, "cases", "cartons"),
        ("piece", 2, "pieces", "pièces"),
        ("pallet", 1, "pallet", "palette"),
        ("pallet", 2, "pallets", "palettes"),
        ("roll", 2, "rolls", "rouleaux"),
        ("Case", 2, "cases", "cartons"),  # as a merchant may type it
        ("drum", 2, "drum", "drum"),  # unknown: as written
    ],
)
def test_unit_names_in_both_languages(unit, count, english, french):
    with translation.override("en"):
        assert unit_name(unit, count) == english
    with translation.override("fr"):
        assert unit_name(unit, count) == french


def test_quantities_carry_their_unit_and_the_reader_s_digit_groups():
    with translation.override("fr"):
        assert quantity_in_units(1, "case") == f"1{NBSP}carton"
        assert quantity_in_units(0, "case") == f"0{NBSP}carton"  # French: singular below 2
        assert quantity_in_units(1200, "box") == f"1{NNBSP}200{NBSP}boîtes"
        assert quantity_in_units(3, "") == "3"
    with translation.override("en"):
        assert quantity_in_units(1200, "box") == f"1,200{NBSP}boxes"
        assert quantity_in_units(1, "box") == f"1{NBSP}box"


def test_a_packaged_quantity_says_its_base_units_in_both_languages():
    assert quantity_label(3, "case", 432, "piece") == f"3{NBSP}cases (432{NBSP}pieces)"
    assert quantity_label(3, "case") == f"3{NBSP}cases"
    with translation.override("fr"):
        label = quantity_label(2, "pallet", 5760, "piece")
    assert label == f"2{NBSP}palettes (5{NNBSP}760{NBSP}pièces)"
