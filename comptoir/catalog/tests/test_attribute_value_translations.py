"""Text attribute values in the reader's language (issue 20): the store writes in English
here, a text value carries its French on its own row; a number or a choice refuses one (the
reader's format and the definition's translated choices write them)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.models import AttributeDefinition, Product, ProductAttributeValue
from comptoir.catalog.search import search_products
from comptoir.catalog.tests.product_admin_form import product_form_data
from comptoir.core import versioned_cache
from tests.factories import CategoryFactory, PriceEntryFactory, ProductFactory


@pytest.fixture
def screws(store):
    fasteners = CategoryFactory(code="FIX", name="Fasteners")
    AttributeDefinition.objects.create(
        category=fasteners,
        code="finish",
        label="Finish",
        type="text",
        translations={"fr": {"label": "Finition"}},
    )
    AttributeDefinition.objects.create(
        category=fasteners, code="length", label="Length", type="number", unit="mm", position=1
    )
    AttributeDefinition.objects.create(
        category=fasteners,
        code="material",
        label="Material",
        type="choice",
        choices="Steel\nBrass",
        position=2,
        translations={"fr": {"choices": "Acier\nLaiton"}},
    )
    for sku, name in (("ATT-1", "Wood screw"), ("ATT-2", "Chipboard screw"), ("ATT-3", "Bolt")):
        product = ProductFactory(sku=sku, name=name, category=fasteners, stock=5)
        PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("1"))
    return Product.objects.get(sku="ATT-1")


def value(sku, code, raw, translations=None):
    found = ProductAttributeValue(
        product=Product.objects.get(sku=sku),
        definition=AttributeDefinition.objects.get(code=code),
        value=raw,
        translations=translations or {},
    )
    found.full_clean()
    found.save()
    return found


@pytest.fixture
def finished(screws):
    value("ATT-1", "finish", "Zinc plated", {"fr": {"value": " Zingué "}})
    value("ATT-1", "length", "40")
    value("ATT-1", "material", "Brass")
    value("ATT-2", "finish", "Zinc plated")
    value("ATT-3", "finish", "Black oxide", {"fr": {"value": "Bruni"}})
    return screws


def test_a_text_value_keeps_its_french_trimmed(finished):
    finish = ProductAttributeValue.objects.get(product__sku="ATT-1", definition__code="finish")
    assert finish.translations == {"fr": {"value": "Zingué"}}
    assert finish.translated("value", "fr") == "Zingué"
    assert finish.translated("value", "en") == "Zinc plated"


@pytest.mark.parametrize(
    ("code", "raw", "translations", "message"),
    [
        (
            "length",
            "40",
            {"fr": {"value": "quarante"}},
            "A number is not translated: each language writes it in its own format.",
        ),
        (
            "material",
            "Steel",
            {"fr": {"value": "Acier"}},
            "A choice is not translated on the product: translate the attribute's choices.",
        ),
        (
            "finish",
            "Zinc plated",
            {"fr": {"value": "Z" * 201}},
            "The fr value is longer than 200 characters.",
        ),
        (
            "finish",
            "Zinc plated",
            {"de": {"value": "Verzinkt"}},
            "de is not a content language (en, fr).",
        ),
        (
            "finish",
            "Zinc plated",
            {"en": {"value": "Zinc"}},
            "en is the store's language: its text goes in the fields themselves.",
        ),
    ],
    ids=["number", "choice", "too-long", "unknown-language", "store-language"],
)
def test_refused_translations_say_why_and_nothing_is_written(
    screws, code, raw, translations, message
):
    with pytest.raises(ValidationError) as refused:
        value("ATT-1", code, raw, translations)
    assert refused.value.message_dict["translations"] == [message]
    assert not ProductAttributeValue.objects.exists()


def test_the_product_page_speaks_the_readers_language(client, finished):
    english = client.get("/p/ATT-1/").content.decode()
    assert (
        '<tbody><tr><th scope="row">Finish</th><td>Zinc plated</td></tr>'
        '<tr><th scope="row">Length</th><td>40 mm</td></tr>'
        '<tr><th scope="row">Material</th><td>Brass</td></tr></tbody>'
    ) in english
    french = client.get("/fr/p/ATT-1/").content.decode()
    assert (
        '<tbody><tr><th scope="row">Finition</th><td>Zingué</td></tr>'
        '<tr><th scope="row">Length</th><td>40 mm</td></tr>'
        '<tr><th scope="row">Material</th><td>Laiton</td></tr></tbody>'
    ) in french
    # no French: the store's English
    assert (
        '<th scope="row">Finition</th><td>Zinc plated</td>'
        in client.get("/fr/p/ATT-2/").content.decode()
    )
    # the copies are per language: English again after French
    assert "<td>Zinc plated</td>" in client.get("/p/ATT-1/").content.decode()


def test_a_new_translation_shows_at_once(client, finished):
    assert "<td>Zingué</td>" in client.get("/fr/p/ATT-1/").content.decode()
    finish = ProductAttributeValue.objects.get(product__sku="ATT-1", definition__code="finish")
    finish.translations = {"fr": {"value": "Zingué blanc"}}
    finish.full_clean()
    finish.save()
    assert "<td>Zingué blanc</td>" in client.get("/fr/p/ATT-1/").content.decode()


def test_the_api_detail_gives_the_value_in_the_requested_language(client, finished):
    french = client.get("/api/v1/products/ATT-1?lang=fr").json()["attributes"]
    assert french[0] == {
        "code": "finish",
        "label": "Finition",
        "type": "text",
        "value": "Zingué",
        "unit": "",
    }
    assert [a["value"] for a in french] == ["Zingué", "40", "Laiton"]
    english = client.get("/api/v1/products/ATT-1", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert english["attributes"][0]["value"] == "Zingué"
    english = client.get("/api/v1/products/ATT-1?lang=en").json()["attributes"]
    assert [a["value"] for a in english] == ["Zinc plated", "40", "Brass"]


def test_facets_label_text_values_in_the_readers_language_and_filter_by_the_stored_one(
    client, finished
):
    french = client.get("/fr/c/FIX/").content.decode()
    assert 'name="attr.finish" value="Black oxide"> Bruni <span class="facet-count">(1)' in french
    # two products have the value, one translates it: the translation labels both
    assert 'name="attr.finish" value="Zinc plated"> Zingué <span class="facet-count">(2)' in french
    english = client.get("/c/FIX/").content.decode()
    assert 'value="Zinc plated"> Zinc plated <span class="facet-count">(2)' in english

    filtered = client.get("/fr/c/FIX/", {"attr.finish": "Zinc plated"}).content.decode()
    assert 'value="Zinc plated" checked> Zingué <span class="facet-count">(2)' in filtered
    assert 'href="/fr/p/ATT-1/"' in filtered and 'href="/fr/p/ATT-3/"' not in filtered

    api = client.get("/api/v1/products?category=FIX&lang=fr&attr.finish=Zinc+plated").json()
    assert sorted(item["sku"] for item in api["items"]) == ["ATT-1", "ATT-2"]
    (finish,) = [f for f in api["facets"]["attributes"] if f["code"] == "finish"]
    assert finish["label"] == "Finition"
    assert finish["values"] == [
        {"value": "Black oxide", "label": "Bruni", "count": 1, "selected": False},
        {"value": "Zinc plated", "label": "Zingué", "count": 2, "selected": True},
    ]


def test_text_facets_come_in_the_readers_alphabetical_order(client, finished):
    ProductAttributeValue.objects.filter(product__sku="ATT-2", definition__code="finish").update(
        value="Yellow zinc", translations={"fr": {"value": "Bichromaté"}}
    )
    versioned_cache.bump()

    def finishes(language):
        body = client.get("/api/v1/products", {"category": "FIX", "lang": language}).json()
        (finish,) = [f for f in body["facets"]["attributes"] if f["code"] == "finish"]
        return [(v["value"], v["label"]) for v in finish["values"]]

    assert finishes("fr") == [
        ("Yellow zinc", "Bichromaté"),
        ("Black oxide", "Bruni"),
        ("Zinc plated", "Zingué"),
    ]
    assert finishes("en") == [
        ("Black oxide", "Black oxide"),
        ("Yellow zinc", "Yellow zinc"),
        ("Zinc plated", "Zinc plated"),
    ]


def test_translated_facets_take_the_queries_of_untranslated_ones(client, finished):
    counts = []
    for url in ("/c/FIX/", "/fr/c/FIX/"):
        versioned_cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_product_is_found_by_its_text_value_in_either_language(client, finished):
    everything = Product.objects.all()
    assert [p.sku for p in search_products(everything, "zingue")] == ["ATT-1"]
    assert sorted(p.sku for p in search_products(everything, "zinc plated")) == ["ATT-1", "ATT-2"]
    assert [p.sku for p in search_products(everything, "bruni")] == ["ATT-3"]
    english = client.get("/search/", {"q": "zingue"}).content.decode()
    assert 'href="/p/ATT-1/"' in english and 'href="/p/ATT-2/"' not in english
    # a changed translation re-indexes the product
    finish = ProductAttributeValue.objects.get(product__sku="ATT-3", definition__code="finish")
    finish.translations = {"fr": {"value": "Noirci"}}
    finish.save()
    assert [p.sku for p in search_products(everything, "noirci")] == ["ATT-3"]
    assert not search_products(everything, "bruni").exists()


def test_the_back_office_takes_a_text_value_in_french_and_refuses_it_on_a_number(
    admin_client, screws
):
    url = f"/admin/catalog/product/{screws.pk}/change/"
    page = admin_client.get(url)
    assert 'name="attribute_values-__prefix__-value_fr"' in page.text
    assert 'name="attribute_values-__prefix__-value_en"' not in page.text  # store language
    data = product_form_data(admin_client, url, "attribute_values")
    length = AttributeDefinition.objects.get(code="length")
    refused = admin_client.post(
        url,
        data
        | {
            "attribute_values-0-definition": length.pk,
            "attribute_values-0-value": "40",
            "attribute_values-0-value_fr": "quarante",
        },
    )
    assert refused.status_code == 200
    assert "A number is not translated: each language writes it in its own format." in (
        refused.text
    )
    assert not ProductAttributeValue.objects.exists()

    finish = AttributeDefinition.objects.get(code="finish")
    saved = admin_client.post(
        url,
        data
        | {
            "attribute_values-0-definition": finish.pk,
            "attribute_values-0-value": "Zinc plated",
            "attribute_values-0-value_fr": " Zingué ",
        },
    )
    assert saved.status_code == 302
    found = ProductAttributeValue.objects.get()
    assert (found.value, found.translations) == ("Zinc plated", {"fr": {"value": "Zingué"}})
    assert 'value="Zingué"' in admin_client.get(url).text
    assert [p.sku for p in search_products(Product.objects.all(), "zingue")] == ["ATT-1"]


def test_an_attribute_that_stops_being_a_text_drops_its_values_translations(finished):
    """Kept, they would be read nowhere and refused by every later save of their products."""
    finish = AttributeDefinition.objects.get(code="finish")
    finish.type = "choice"
    finish.choices = "Zinc plated\nBlack oxide"
    finish.save()

    values = ProductAttributeValue.objects.filter(definition=finish).order_by("product__sku")
    assert [(v.value, v.translations) for v in values] == [
        ("Zinc plated", {}),
        ("Zinc plated", {}),
        ("Black oxide", {}),
    ]
    for found in values:
        found.full_clean()
    assert [p.sku for p in search_products(Product.objects.all(), "bruni")] == []
