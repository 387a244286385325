"""The catalogue over the API in the caller's language (issue 20): `?lang=`, else
`Accept-Language`; the store (English here) answers in its own where nothing is translated."""

import pytest

from comptoir.catalog.models import AttributeDefinition, AttributeType, ProductAttributeValue
from comptoir.core import versioned_cache
from tests.factories import CategoryFactory, PriceEntryFactory, ProductFactory


@pytest.fixture
def screw(store):
    category = CategoryFactory(code="SCREWS", name="Screws", translations={"fr": {"name": "Vis"}})
    product = ProductFactory(
        sku="SCR-440",
        name="Wood screw 4x40",
        description="Zinc-plated steel.",
        category=category,
        translations={"fr": {"name": "Vis à bois 4x40"}},
    )
    PriceEntryFactory(price_list=store.base_price_list, product=product)
    material = AttributeDefinition.objects.create(
        category=category,
        code="material",
        label="Material",
        type=AttributeType.CHOICE,
        choices="Steel\nBrass",
        translations={"fr": {"label": "Matière", "choices": "Acier\nLaiton"}},
    )
    ProductAttributeValue.objects.create(product=product, definition=material, value="Brass")
    return product


def test_the_detail_follows_accept_language_and_carries_every_language(client, screw):
    french = client.get("/api/v1/products/SCR-440", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert french["Content-Language"] == "fr"
    body = french.json()
    assert body["name"] == "Vis à bois 4x40"
    # no French description: the store's English one
    assert body["description"] == "Zinc-plated steel."
    assert body["attributes"] == [
        {"code": "material", "label": "Matière", "type": "choice", "value": "Laiton", "unit": ""}
    ]
    assert body["translations"] == {
        "en": {"name": "Wood screw 4x40", "description": "Zinc-plated steel."},
        "fr": {"name": "Vis à bois 4x40"},
    }
    english = client.get("/api/v1/products/SCR-440", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Wood screw 4x40"
    assert english["attributes"][0]["value"] == "Brass"
    assert english["translations"] == body["translations"]


def test_lang_wins_over_the_header_and_copies_are_kept_per_language(client, screw):
    versioned_cache.clear()
    english = client.get("/api/v1/products", HTTP_ACCEPT_LANGUAGE="en").json()
    french = client.get("/api/v1/products?lang=fr", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [item["name"] for item in english["items"]] == ["Wood screw 4x40"]
    assert [item["name"] for item in french["items"]] == ["Vis à bois 4x40"]
    again = client.get("/api/v1/products", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [item["name"] for item in again["items"]] == ["Wood screw 4x40"]


def test_an_unknown_lang_is_400(client, screw):
    response = client.get("/api/v1/products/SCR-440?lang=xx")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_language"
    assert response.json()["detail"] == "xx is not one of the store's languages (en, fr)."


@pytest.mark.parametrize("lang", ["fr", "fr-FR", "FR", "fr_FR", " fr-ca ", "fr-Latn-FR"])
def test_lang_takes_a_regional_form_or_any_case_as_the_header_does(client, screw, lang):
    response = client.get("/api/v1/products/SCR-440", {"lang": lang})
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert response.json()["name"] == "Vis à bois 4x40"
    header = client.get("/api/v1/products/SCR-440", HTTP_ACCEPT_LANGUAGE=lang.strip())
    assert header["Content-Language"] == ("fr" if "_" not in lang else "en")


@pytest.mark.parametrize("lang", ["", "de", "de-DE", "fr-", "fr;q=1", "français", "*"])
def test_lang_naming_no_content_language_is_400(client, screw, lang):
    response = client.get("/api/v1/products/SCR-440", {"lang": lang})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_language"
    assert response.json()["detail"] == f"{lang} is not one of the store's languages (en, fr)."


def test_a_regional_lang_reads_its_own_language_else_the_general_one(client, screw, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("pt-br", "Brazilian Portuguese")]
    assert client.get("/api/v1/products?lang=pt-BR")["Content-Language"] == "pt-br"
    assert client.get("/api/v1/products?lang=pt_br")["Content-Language"] == "pt-br"
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("pt", "Portuguese")]
    assert client.get("/api/v1/products?lang=pt-BR")["Content-Language"] == "pt"
    assert client.get("/api/v1/products", HTTP_ACCEPT_LANGUAGE="pt-BR")["Content-Language"] == "pt"
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    refused = client.get("/api/v1/products?lang=pt-BR")
    assert (refused.status_code, refused.json()["code"]) == (400, "unknown_language")


@pytest.mark.parametrize("count", [1, 50])
def test_a_translated_listing_takes_the_same_queries(
    client, store, count, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(count):
        product = ProductFactory(
            sku=f"BULK-{n:02d}",
            name=f"Bolt {n:02d}",
            translations={"fr": {"name": f"Boulon {n:02d}"}},
        )
        PriceEntryFactory(price_list=store.base_price_list, product=product)
    url = "/api/v1/products?page_size=50&lang=fr"
    versioned_cache.clear()
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.json()["items"]) == count
    assert response.json()["items"][0]["name"] == "Boulon 00"
    with django_assert_num_queries(2):
        again = client.get(url)
    assert again.json() == response.json()


def test_an_unknown_family_is_answered_in_the_callers_language(client, screw):
    response = client.get("/api/v1/families/NOPE", {"lang": "fr"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Famille de produits NOPE introuvable."
