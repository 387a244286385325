"""The database itself refuses incoherent order rules, whatever path writes them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comptoir.catalog.models import Packaging, Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"min_qty": 10, "qty_step": 12},
        {"min_qty": 12, "qty_step": 12, "max_qty": 30},
        {"min_qty": 24, "qty_step": 12, "max_qty": 12},
        {"qty_step": 0},
        {"pack_size": 0},
    ],
)
def test_incoherent_quantities_are_refused_by_the_database(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(sku="SCR-1", name="Vis", **fields)


def test_coherent_quantities_are_stored():
    product = Product.objects.create(sku="SCR-1", name="Vis", min_qty=24, qty_step=12, max_qty=1200)
    assert (product.min_qty, product.qty_step, product.max_qty) == (24, 12, 1200)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"unit": "Piece", "factor": 12}, "unit", "This is the product's base unit."),
        ({"unit": "case", "factor": 1}, "__all__", "A packaging holds at least two base units."),
        (
            {"unit": "case", "factor": 12, "min_qty": 3, "qty_step": 2},
            "min_qty",
            "The minimum quantity 3 is not a multiple of the step 2.",
        ),
        (
            {"unit": "case", "factor": 12, "percent_off": Decimal("100")},
            "__all__",
            "The discount is from 0 to less than 100 %.",
        ),
    ],
)
def test_a_packaging_is_checked_before_it_is_saved(values, field, message):
    product = ProductFactory(unit="piece")
    with pytest.raises(ValidationError) as refused:
        Packaging(product=product, **values).full_clean()
    assert message in refused.value.message_dict[field]


def test_a_packaging_unit_is_kept_in_lower_case():
    packaging = Packaging(product=ProductFactory(unit="piece"), unit=" Pallet ", factor=2880)
    packaging.full_clean()
    assert packaging.unit == "pallet"
