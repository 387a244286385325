"""The catalogue in the reader's language (issue 20): the store writes in English (its
`language`), French readers get the translations, the English text where there is none."""

import re
from decimal import Decimal

import pytest

from comptoir.catalog.models import AttributeDefinition, AttributeType, ProductAttributeValue
from comptoir.core import versioned_cache
from tests.factories import (
    CategoryFactory,
    PaymentMethodFactory,
    PriceEntryFactory,
    ProductFactory,
    PromotionFactory,
    ShippingMethodFactory,
)


@pytest.fixture
def translated(world):
    screw = world.products["public"]
    screw.description = "Zinc-plated steel, countersunk head."
    screw.translations = {
        "fr": {"name": "Vis à bois 4x40", "description": "Acier zingué, tête fraisée."}
    }
    screw.save()
    fasteners = screw.category
    fasteners.translations = {"fr": {"name": "Fixations"}}
    fasteners.save()
    material = AttributeDefinition.objects.create(
        category=fasteners,
        code="material",
        label="Material",
        type=AttributeType.CHOICE,
        choices="Zinc-plated steel\nStainless steel A2",
        translations={"fr": {"label": "Matière", "choices": "Acier zingué\nInox A2"}},
    )
    length = AttributeDefinition.objects.create(
        category=fasteners,
        code="length",
        label="Length",
        type=AttributeType.NUMBER,
        unit="mm",
        position=1,
        translations={"fr": {"label": "Longueur"}},
    )
    ProductAttributeValue.objects.create(
        product=screw, definition=material, value="Stainless steel A2"
    )
    ProductAttributeValue.objects.create(product=screw, definition=length, value="40")
    nuts = ProductFactory(sku="NUT-8", name="Hex nuts M8", category=fasteners)
    PriceEntryFactory(price_list=world.store.base_price_list, product=nuts)
    return world


def test_the_product_page_speaks_the_readers_language(client, translated):
    french = client.get("/fr/p/PUB-1/").content.decode()
    assert "<h1>Vis à bois 4x40</h1>" in french
    assert "Acier zingué, tête fraisée." in french
    assert '<th scope="row">Matière</th><td>Inox A2</td>' in french
    assert '<th scope="row">Longueur</th><td>40 mm</td>' in french
    assert ">Fixations</a>" in french
    assert "Wood screws 4x40" not in french

    english = client.get("/p/PUB-1/").content.decode()
    assert "<h1>Wood screws 4x40</h1>" in english
    assert "Zinc-plated steel, countersunk head." in english
    assert '<th scope="row">Material</th><td>Stainless steel A2</td>' in english
    assert "Vis à bois" not in english


def test_a_row_without_translation_reads_the_store_language(client, translated):
    french = client.get("/fr/c/FASTENERS/").content.decode()
    assert '<a class="name" href="/fr/p/PUB-1/">Vis à bois 4x40</a>' in french
    # no French name: a French reader gets the English one
    assert '<a class="name" href="/fr/p/NUT-8/">Hex nuts M8</a>' in french
    assert "<h1>Fixations</h1>" in french


@pytest.mark.parametrize("first", ["/c/FASTENERS/", "/fr/c/FASTENERS/"])
def test_a_page_copy_never_serves_another_language(client, translated, first):
    """The page copies and the category tree are kept per language: whichever language
    asks first, the other gets its own."""
    versioned_cache.clear()
    client.get(first)
    english = client.get("/c/FASTENERS/").content.decode()
    french = client.get("/fr/c/FASTENERS/").content.decode()
    assert "<h1>Fasteners</h1>" in english
    assert '<a class="name" href="/p/PUB-1/">Wood screws 4x40</a>' in english
    assert "Fixations" not in english and "Vis à bois" not in english
    assert "<h1>Fixations</h1>" in french
    assert 'aria-current="page">Fixations</a>' in french
    assert "Fasteners" not in french and "Wood screws" not in french


def test_home_categories_are_translated(client, translated):
    assert "Fixations" in client.get("/fr/").content.decode()
    assert "Fixations" not in client.get("/").content.decode()


def test_methods_are_named_in_the_readers_language(client, translated):
    ShippingMethodFactory(
        code="STD", name="Standard delivery", translations={"fr": {"name": "Livraison standard"}}
    )
    PaymentMethodFactory(
        code="BANK", name="Bank transfer", translations={"fr": {"name": "Virement"}}
    )
    client.force_login(translated.buyers["gold"])
    french = client.get("/fr/offers/").content.decode()
    assert "Livraison standard" in french and "Virement" in french
    english = client.get("/offers/").content.decode()
    assert "Standard delivery" in english and "Livraison" not in english


def _offer_titles(response) -> list[str]:
    return re.findall(r'<article class="offer">\s*<h3>([^<]+)</h3>', response.content.decode())


def test_promotions_are_named_in_the_readers_language(client, translated):
    """A French reader gets the French name, else the store's, else the code; the English
    reader the store's name, else the code (a name written only in French is no English)."""
    gold = translated.buyers["gold"].company.group
    screw = translated.products["public"]
    PromotionFactory(
        code="SCREW-WEEK",
        name="Screw week",
        percent=Decimal("7.5"),
        customer_groups=[gold],
        products=[screw],
        translations={"fr": {"name": "Semaine de la vis"}},
    )
    PromotionFactory(code="NUT-DAYS", name="Nut days", percent=Decimal("5"), customer_groups=[gold])
    PromotionFactory(
        code="FAIR-2026",
        name="",
        percent=Decimal("3"),
        customer_groups=[gold],
        translations={"fr": {"name": "Offre du salon"}},
    )
    client.force_login(translated.buyers["gold"])
    french = client.get("/fr/offers/")
    assert _offer_titles(french) == [
        "Semaine de la vis\u00a0: 7,50\u00a0% de remise",
        "Nut days\u00a0: 5\u00a0% de remise",
        "Offre du salon\u00a0: 3\u00a0% de remise",
    ]
    assert '<a href="/fr/p/PUB-1/">Vis à bois 4x40</a>' in french.content.decode()
    english = client.get("/offers/")
    assert _offer_titles(english) == [
        "Screw week: 7.50 % off",
        "Nut days: 5 % off",
        "FAIR-2026: 3 % off",
    ]
    # the page is not copied: whichever language came first, each reads its own
    assert (
        _offer_titles(client.get("/fr/offers/"))[0]
        == "Semaine de la vis\u00a0: 7,50\u00a0% de remise"
    )


def _cards(response) -> list[str]:
    return re.findall(
        r'<a class="name" href="(?:/fr)?/p/[^/]+/">([^<]+)</a>', response.content.decode()
    )


@pytest.mark.parametrize("count", [1, 50])
def test_a_translated_listing_takes_the_queries_of_an_untranslated_one(
    client, world, count, django_assert_max_num_queries, django_assert_num_queries
):
    category = CategoryFactory(
        code="ANCHORS", name="Anchors", translations={"fr": {"name": "Chevilles"}}
    )
    for n in range(count):
        product = ProductFactory(
            sku=f"ANC-{n:02d}",
            name=f"Anchor {n:02d}",
            category=category,
            translations={"fr": {"name": f"Cheville {n:02d}"}},
        )
        PriceEntryFactory(price_list=world.store.base_price_list, product=product)
    for url, first in (("/c/ANCHORS/", "Anchor 00"), ("/fr/c/ANCHORS/", "Cheville 00")):
        versioned_cache.clear()
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert _cards(response)[0] == first
        assert len(_cards(response)) == min(count, 24)
        with django_assert_num_queries(2):
            again = client.get(url)
        assert _cards(again) == _cards(response)


def test_a_reader_finds_a_product_by_its_name_in_his_language(client, translated):
    french = client.get("/fr/search/", {"q": "vis bois"}).content.decode()
    assert '<a class="name" href="/fr/p/PUB-1/">Vis à bois 4x40</a>' in french
    # one index holds every language's names: a buyer finds a product by the name he
    # knows, whatever the page's language, and reads it in his own
    assert "Vis à bois" in client.get("/fr/search/", {"q": "wood screws"}).content.decode()
    english = client.get("/search/", {"q": "vis bois"}).content.decode()
    assert '<a class="name" href="/p/PUB-1/">Wood screws 4x40</a>' in english
    api = client.get("/api/v1/products?search=vis+bois&lang=fr").json()
    assert [item["sku"] for item in api["items"]] == ["PUB-1"]


def test_the_table_view_names_products_in_the_readers_language(client, translated):
    french = client.get("/fr/c/FASTENERS/?view=table").content.decode()
    assert '<a href="/fr/p/PUB-1/">Vis à bois 4x40</a>' in french
    assert "Wood screw" not in french
    # no French name: the store's English one
    assert '<a href="/fr/p/NUT-8/">Hex nuts M8</a>' in french
