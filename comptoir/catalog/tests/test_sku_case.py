"""SKUs ignore case (API.md §2.1): ABC and abc are one SKU, whatever path writes or reads it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comptoir.catalog.models import Product
from comptoir.catalog.selectors import sku_key, with_skus
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_sku_differing_only_in_case():
    ProductFactory(sku="ABC-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(sku="abc-1", name="Same SKU")


def test_the_admin_form_validation_says_why():
    ProductFactory(sku="ABC-1")
    product = Product(sku="Abc-1", name="Same SKU")

    with pytest.raises(ValidationError) as refused:
        product.full_clean()

    assert refused.value.messages == [
        "A product with this SKU already exists (SKUs ignore upper and lower case)."
    ]


def test_products_are_found_by_sku_whatever_the_case_in_one_query(
    django_assert_num_queries,
):
    wanted = [ProductFactory(sku=sku) for sku in ("ABC-1", "xyz.2", "Mixed_3")]
    ProductFactory(sku="OTHER")

    with django_assert_num_queries(1):
        found = list(with_skus(Product.objects.order_by("sku"), ["abc-1", "XYZ.2", "mIXED_3"]))

    assert found == sorted(wanted, key=lambda product: product.sku)


def test_only_ascii_letters_change_case():
    assert (sku_key("scr-100"), sku_key("straße")) == ("SCR-100", "straße")
