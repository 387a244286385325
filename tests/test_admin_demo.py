"""The back office works on the demo store that `make demo` serves, page by page."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from comptoir.bundle.loader import load_store

DEMO_BUNDLE = Path(__file__).resolve().parent.parent / "demo" / "store.json"
# Webhook endpoints and integration keys belong to the merchant's own ERP, and events,
# deliveries and tombstones are written as the store runs; rows about the merchant's staff
# never come from a bundle (staff accounts are made in the back office): auth groups, the
# sales representatives' assignments and acting trail. A demo bundle has none
# (tests/test_admin.py covers their pages).
NOT_IN_DEMO = {"auth", "webhooks", "integrations", "sales"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label not in NOT_IN_DEMO),
    key=lambda model: model._meta.label,
)


@pytest.mark.django_db
def test_every_changelist_and_change_page_renders_the_demo_data(admin_client):
    load_store(DEMO_BUNDLE)
    problems = []
    for model in MODELS:
        opts = model._meta
        ordering = admin.site._registry[model].get_ordering(None) or opts.ordering
        obj = model.objects.order_by(*ordering, "-pk").first()
        if obj is None:
            problems.append(f"{opts.label}: the demo store has none")
            continue
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        changelist = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
        if changelist.status_code != 200 or change_url not in changelist.text:
            problems.append(f"{opts.label} changelist: {changelist.status_code}, no link to {obj}")
        change = admin_client.get(change_url)
        if change.status_code != 200 or escape(str(obj)) not in change.text:
            problems.append(f"{opts.label} change page: {change.status_code}, {obj} not shown")
    assert problems == []


@pytest.mark.django_db
def test_demo_product_page_shows_its_prices_and_rules(admin_client):
    load_store(DEMO_BUNDLE)
    from comptoir.catalog.models import Product

    product = Product.objects.filter(qty_step__gt=1, price_entries__isnull=False).first()
    page = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk]))

    assert page.status_code == 200
    assert product.sku in page.text
    assert f'name="qty_step" value="{product.qty_step}"' in page.text
    price = product.price_entries.order_by("min_qty").first().price
    assert f"{price:.4f}".rstrip("0") in page.text.replace(",", ".")


@pytest.mark.django_db
def test_admin_speaks_french(admin_client):
    load_store(DEMO_BUNDLE)

    index = admin_client.get("/fr/admin/")
    price_lists = admin_client.get("/fr/admin/pricing/pricelist/")

    assert 'lang="fr"' in index.text
    assert "Back-office Comptoir" in index.text
    assert "Listes de prix" in index.text
    assert "Ajouter liste de prix" in price_lists.text


@pytest.mark.django_db
def test_the_language_switch_turns_the_back_office_to_french(admin_client):
    response = admin_client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/admin/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/fr/admin/"
    assert 'lang="fr"' in response.text
