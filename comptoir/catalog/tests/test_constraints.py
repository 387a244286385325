"""The database itself refuses incoherent order rules, whatever path writes them."""

import pytest
from django.db import IntegrityError, transaction

from comptoir.catalog.models import Product

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
