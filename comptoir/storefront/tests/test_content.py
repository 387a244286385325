"""Group content: banners and notices per group and date, the group's offers and its terms."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from comptoir.storefront.models import Banner, BannerKind
from tests.factories import (
    PaymentMethodFactory,
    PromotionFactory,
    ShippingMethodFactory,
    today,
)


def banner(code, groups=(), **fields):
    created = Banner.objects.create(code=code, title=f"Title {code}", **fields)
    created.customer_groups.set(groups)
    return created


@pytest.fixture
def content(world):
    gold = world.buyers["gold"].company.group
    day = datetime.timedelta(days=1)
    banner("ALL", body="For everyone")
    banner("GOLD-ONLY", groups=[gold])
    banner("NOTICE", kind=BannerKind.NOTICE, body="Closed on Friday")
    banner("OLD", valid_until=today() - day)
    banner("SOON", valid_from=today() + day)
    banner("LAST-DAY", valid_until=today())
    banner("FR-ONLY", language="fr")
    banner("OFF", active=False)
    return world


def shown(client, path="/"):
    page = client.get(path).content.decode()
    return sorted(
        code
        for code in ("ALL", "GOLD-ONLY", "NOTICE", "OLD", "SOON", "LAST-DAY", "FR-ONLY", "OFF")
        if f"Title {code}<" in page
    )


def test_banners_for_the_group_and_everyone_within_their_dates(content, client):
    assert shown(client) == ["ALL", "LAST-DAY", "NOTICE"]
    client.force_login(content.buyers["gold"])
    assert shown(client) == ["ALL", "GOLD-ONLY", "LAST-DAY", "NOTICE"]
    assert shown(client, "/fr/") == ["ALL", "FR-ONLY", "GOLD-ONLY", "LAST-DAY", "NOTICE"]
    client.force_login(content.buyers["silver"])
    assert shown(client) == ["ALL", "LAST-DAY", "NOTICE"]


def test_links_must_stay_in_the_store_or_use_https(db):
    for bad in ("javascript:alert(1)", "//evil.example/", "http://plain.example/"):
        with pytest.raises(ValidationError):
            Banner(code="X", title="x", link_url=bad).full_clean()
    Banner(code="X", title="x", link_url="/offers/").full_clean()
    Banner(code="Y", title="y", link_url="https://example.com/catalogue.pdf").full_clean()


def test_the_offers_page_lists_the_groups_promotions_without_leaking_products(world, client):
    gold = world.buyers["gold"].company.group
    PromotionFactory(
        code="GOLD-SCREWS",
        name="Screw week",
        percent=Decimal("7.5"),
        customer_groups=[gold],
        products=[world.products["public"], world.products["exclusive"]],
    )
    PromotionFactory(
        code="EXPIRED", customer_groups=[gold], valid_until=today() - datetime.timedelta(days=1)
    )
    client.force_login(world.buyers["gold"])
    page = client.get("/offers/").content.decode()
    assert "Screw week: 7.50 % off" in page
    assert world.products["public"].name in page
    assert world.products["exclusive"].name not in page
    assert "EXPIRED" not in page
    client.force_login(world.buyers["silver"])
    assert "Screw week" not in client.get("/offers/").content.decode()


def test_the_offers_page_shows_the_buyers_delivery_and_payment_options(world, client):
    gold = world.buyers["gold"].company.group
    ShippingMethodFactory(
        code="STD", name="Standard 48 h", price=Decimal("15.00"), free_above=Decimal("500.00")
    )
    ShippingMethodFactory(code="BE-ONLY", name="Belgian carrier", countries=["BE"])
    PaymentMethodFactory(code="TRANSFER", name="Bank transfer")
    terms = PaymentMethodFactory(
        code="NET30", name="Invoice", invoice=True, max_total=Decimal("20000")
    )
    terms.customer_groups.set([gold])
    world.buyers["gold"].company.addresses.create(
        code="HQ", line1="1 rue A", city="Lyon", postal_code="69001", country="FR"
    )
    client.force_login(world.buyers["gold"])
    page = client.get("/offers/").content.decode()
    assert "Standard 48 h" in page and "free from €500.00 of goods" in page
    assert "Belgian carrier" not in page
    assert "Bank transfer" in page
    assert "Invoice — 30 days" in page and "orders up to €20,000.00" in page
    client.force_login(world.buyers["silver"])
    assert "Invoice" not in client.get("/offers/").content.decode()
