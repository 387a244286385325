"""Constraint messages reach the merchant as sentences, in English and in French."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from comptoir.pricing.models import PriceList, Promotion
from comptoir.tax.models import TaxRate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A promotion takes more than 0 % and at most 100 % off."),
        ("fr", "100\u00a0%"),
    ],
)
def test_promotion_percent_out_of_range_is_explained(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        Promotion(code="TOO-MUCH", percent=Decimal("150")).full_clean()

    assert expected in " ".join(refused.value.messages)


def test_adjustment_without_parent_and_beyond_100_percent_is_explained():
    price_list = PriceList(code="CHILD", currency="EUR", adjustment_percent=Decimal("-150"))

    with pytest.raises(ValidationError) as refused:
        price_list.full_clean()

    assert "An adjustment cannot take more than 100 % off." in refused.value.messages
    assert "An adjustment applies to a parent list: choose one." in refused.value.messages


def test_tax_rate_beyond_100_percent_is_explained():
    with pytest.raises(ValidationError) as refused:
        TaxRate(country="FR", tax_class="standard", rate=Decimal("120")).full_clean()

    assert "A tax rate lies between 0 and 100 %." in refused.value.messages
