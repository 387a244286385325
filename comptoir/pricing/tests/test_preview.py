"""The back office's price preview shows a company's prices with their explanation."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from comptoir.pricing.models import PriceList
from comptoir.sales.models import Assignment
from comptoir.sales.services import representatives_group
from tests.factories import CompanyFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/pricing/preview/"


def test_preview_prices_lines_with_their_explanation(admin_client, shop):
    _, acme, _ = shop

    page = admin_client.get(URL, {"company": acme.pk, "lines": "P1 60\nP2,3\n\nNOPE 1\nP3 abc"})

    assert page.status_code == 200
    lines = page.text[page.text.index('id="preview-lines"') :]
    assert "8.50" in lines and "510.00" in lines
    assert "GOLD: group list, tier from 50" in lines
    assert "ACME-CONTRACT: company list, tier from 1" in lines and "12.00" in lines
    assert "522.00" in lines
    problems = page.text[
        page.text.index('id="preview-problems"') : page.text.index('id="preview-lines"')
    ]
    assert "line 4" in problems and "NOPE" in problems and "unknown SKU" in problems
    assert "line 5" in problems and "whole number" in problems


def test_preview_on_another_date_skips_the_lists_not_valid_then(admin_client, shop):
    _, acme, _ = shop
    PriceList.objects.filter(code="GOLD").update(valid_until=datetime.date(2026, 6, 30))

    before = admin_client.get(URL, {"company": acme.pk, "lines": "P1 10", "on": "2026-06-30"})
    after = admin_client.get(URL, {"company": acme.pk, "lines": "P1 10", "on": "2026-07-01"})

    assert "GOLD: group list" in before.text and "9.50" in before.text
    assert "BASE: base list" in after.text and "10.00" in after.text


def test_preview_needs_a_company_and_lines(admin_client, shop):
    page = admin_client.get(URL, {"lines": ""})

    assert page.status_code == 200
    assert "This field is required." in page.text
    assert 'id="preview-lines"' not in page.text


def test_preview_is_for_staff_allowed_to_see_price_lists(client, shop):
    staff = StaffUserFactory()
    client.force_login(staff)
    assert client.get(URL).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_pricelist"))
    assert client.get(URL).status_code == 200

    client.logout()
    assert client.get(URL).status_code == 302


def test_a_sales_representative_previews_only_their_companies(client, shop):
    """Issue 18: the preview is scoped like the rest of a representative's back office."""
    _, acme, _ = shop
    globex = CompanyFactory(code="GLOBEX", group=acme.group)
    anne = StaffUserFactory()
    anne.groups.add(representatives_group())
    anne.user_permissions.add(Permission.objects.get(codename="view_pricelist"))
    Assignment.objects.create(representative=anne, company=acme)
    client.force_login(anne)

    own = client.get(URL, {"company": acme.pk, "lines": "P1 60"})
    other = client.get(URL, {"company": globex.pk, "lines": "P1 60"})

    assert "510.00" in own.text[own.text.index('id="preview-lines"') :]
    assert other.status_code == 200
    assert "Select a valid choice" in other.text
    assert 'id="preview-lines"' not in other.text
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "customers", "model_name": "address", "field_name": "company", "term": ""},
    )
    assert [row["id"] for row in found.json()["results"]] == [str(acme.pk)]
