"""Prices and rates in the back office's inputs and columns: `8.49` and `20`, not `8.4900`."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    PromotionFactory,
    TaxRateFactory,
    VolumeDiscountTierFactory,
)

pytestmark = pytest.mark.django_db


def test_editable_prices_and_rates_show_their_figures_without_trailing_zeros(admin_client, store):
    product = ProductFactory(sku="SCR-100")
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("8.49"))
    PriceEntryFactory(
        price_list=store.base_price_list, product=product, min_qty=100, price=Decimal("6.9913")
    )
    TaxRateFactory(country="FR", rate=Decimal("20.00"))
    group = CustomerGroupFactory(code="PRO")
    VolumeDiscountTierFactory(customer_group=group, min_total_qty=500, percent=Decimal("2.50"))

    prices = admin_client.get(reverse("admin:pricing_priceentry_changelist")).content.decode()
    rates = admin_client.get(reverse("admin:tax_taxrate_changelist")).content.decode()
    tiers = admin_client.get(
        reverse("admin:customers_customergroup_change", args=[group.pk])
    ).content.decode()

    assert 'value="8.49"' in prices
    assert 'value="6.9913"' in prices
    assert "8.4900" not in prices
    assert 'value="20"' in rates
    assert 'value="2.5"' in tiers


def test_rate_columns_read_as_percentages(admin_client, store):
    PromotionFactory(code="SPRING", percent=Decimal("12.50"))
    PriceListFactory(code="RESELLER", parent=store.base_price_list, adjustment_percent=-10)

    promotions = admin_client.get(reverse("admin:pricing_promotion_changelist")).content.decode()
    lists = admin_client.get(reverse("admin:pricing_pricelist_changelist")).content.decode()

    assert '<td class="field-percent">12.5\u00a0%</td>' in promotions
    assert '<td class="field-adjustment_percent">-10\u00a0%</td>' in lists
