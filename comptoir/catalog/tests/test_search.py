"""Search (issue 20, catalog/search.py): the SKU typed whole first, then the SKUs it starts,
then the products with every word, then, when none has them all, the products with a word
like each (a typo), on both databases; accents and case never matter; the index follows
every writer (saves, attribute values, the bundle loader, the ERP's bulk stock)."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection

from comptoir.catalog.listing import product_listing
from comptoir.catalog.models import (
    AttributeDefinition,
    AttributeType,
    Product,
    ProductAttributeValue,
)
from comptoir.catalog.search import (
    ALL_WORDS,
    EXACT_SKU,
    MAX_NEAR,
    NEAR_WORDS,
    RELEVANCE,
    folded_words,
    refresh_search_text,
    search_products,
)
from comptoir.catalog.search_index import (
    FTS_TABLE,
    NEAR_FUNCTION,
    add_sqlite_functions,
    ensure_sqlite_index,
)
from comptoir.catalog.trigrams import is_near
from comptoir.core import versioned_cache
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    """The SKUs `text` finds, best first (then by name, as the listing shows them)."""
    products = search_products(Product.objects.all(), text)
    return [p.sku for p in products.order_by(*RELEVANCE)]


@pytest.fixture
def hardware():
    screws = CategoryFactory(code="SCREWS", name="Screws")
    thread = AttributeDefinition.objects.create(category=screws, code="thread", label="Thread")
    rows = [
        ("VIS-4", "Vis à tête fraisée inox 4x40", "Pour le bois."),
        ("VIS-40", "Vis à bois acier 4x40", "Tête cruciforme."),
        ("VIS-400", "Tire-fond zingué", "Gros œuvre."),
        ("ECR-6", "Écrou hexagonal M6", "Inox A2."),
        ("RON-6", "Rondelle plate", "Pour écrou M6."),
        ("CHV-8", "Cheville nylon", "Pour vis inox de 4 mm."),
        ("BOU-6", "Boulon tête hexagonale", "Acier brut."),
    ]
    products = {
        sku: ProductFactory(sku=sku, name=name, description=text, category=screws)
        for sku, name, text in rows
    }
    ProductAttributeValue.objects.create(
        product=products["BOU-6"], definition=thread, value="Métrique fine"
    )
    return products


def test_words_are_folded_without_accents_case_or_punctuation():
    assert folded_words("Vis à TÊTE M6-40, œuvre") == ["vis", "a", "tete", "m6", "40", "oeuvre"]


def test_the_sku_typed_whole_then_the_skus_it_starts_then_the_words(hardware):
    # the SKU, the SKUs it starts (by SKU), then every word ("vis", "4"), by name
    assert found("vis-4") == ["VIS-4", "VIS-40", "VIS-400", "CHV-8"]
    assert found("VIS-40") == ["VIS-40", "VIS-400"]
    assert found("vis") == ["VIS-4", "VIS-40", "VIS-400", "CHV-8"]
    assert found("vis 4x") == ["VIS-40", "VIS-4"]  # "Vis à bois" before "Vis à tête"


def test_every_word_without_regard_to_accents_case_or_place(hardware):
    assert found("vis inox") == ["CHV-8", "VIS-4"]
    assert sorted(found("ecrou")) == ["ECR-6", "RON-6"]
    assert sorted(found("ÉCROU m6")) == ["ECR-6", "RON-6"]
    assert found("rondelle ecrou") == ["RON-6"]
    assert found("tete hexa") == ["BOU-6"]
    assert found("inox zingue") == []
    assert found("oeuvre") == ["VIS-400"]


def test_attribute_values_are_searched_too_and_follow_their_changes(hardware):
    assert found("metrique") == ["BOU-6"]
    value = ProductAttributeValue.objects.get(product=hardware["BOU-6"])
    value.value = "Pas gros"
    value.save()
    assert found("metrique") == []
    assert found("pas gros") == ["BOU-6"]
    value.delete()
    assert found("gros") == ["VIS-400"]


def test_a_renamed_product_is_found_by_its_new_name_only(hardware):
    product = hardware["RON-6"]
    product.name = "Rondelle Grower"
    product.save()
    assert found("grower") == ["RON-6"]
    assert found("plate") == []


def ranks(text: str) -> dict[str, int]:
    """The SKUs `text` finds with the rank of each."""
    products = search_products(Product.objects.all(), text)
    return dict(products.values_list("sku", "search_rank"))


def test_a_typo_finds_the_word_on_both_databases(hardware):
    assert sorted(found("ecrouu")) == ["ECR-6", "RON-6"]  # "Écrou", and "Pour écrou M6."
    assert found("rondele") == ["RON-6"]
    assert found("RONDELE") == ["RON-6"]
    assert found("chevile nylon") == ["CHV-8"]  # a typo in one word of two
    assert found("ecrou hexagonl") == ["ECR-6"]
    assert found("vis inoxx") == ["CHV-8", "VIS-4"]


def test_a_typo_ranks_after_the_exact_words_and_only_when_none_is_found(hardware):
    assert ranks("ecrou") == {"ECR-6": ALL_WORDS, "RON-6": ALL_WORDS}
    assert ranks("ecrouu") == {"ECR-6": NEAR_WORDS, "RON-6": NEAR_WORDS}
    ProductFactory(sku="HEX-1", name="Clé hexagonl", category=hardware["ECR-6"].category)
    assert found("hexagonl") == ["HEX-1"]  # a word found as typed: no typo looked for
    assert ranks("ecr-6") == {"ECR-6": EXACT_SKU, "RON-6": ALL_WORDS}


def test_garbage_finds_nothing(hardware):
    assert found("xqzwk") == []
    assert found("vis xqzwk") == []  # every word must be near one of the product's
    assert found("rondele xqzwk") == []
    assert found("zz") == []


def test_a_typo_finds_200_products_at_most_but_every_word_typed_finds_them_all(hardware):
    category = hardware["RON-6"].category
    made = Product.objects.bulk_create(
        Product(sku=f"RON-{n}", name=f"Rondelle large {n}", category=category, stock=5)
        for n in range(100, 100 + MAX_NEAR + 5)
    )
    refresh_search_text(p.pk for p in made)
    assert len(found("rondelle")) == MAX_NEAR + 6
    near = ranks("rondele")
    assert len(near) == MAX_NEAR == 200
    assert set(near.values()) == {NEAR_WORDS}


def test_search_text_typed_anyhow_finds_nothing_rather_than_failing(hardware):
    for text in ['"', "*", "NOT", "vis AND", "-", "a" * 300, "^(inox)"]:
        found(text)
    assert found("  ") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_the_index_survives_a_rebuilt_table_and_bulk_stock_writes(hardware):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER catalog_product_fts_update")
        cursor.execute("DROP TRIGGER catalog_product_fts_insert")
    assert ensure_sqlite_index(connection) is True
    assert ensure_sqlite_index(connection) is False
    Product.objects.filter(sku="ECR-6").update(stock=0)
    ProductFactory(sku="ECR-8", name="Écrou borgne", category=hardware["ECR-6"].category)
    assert sorted(found("ecrou")) == ["ECR-6", "ECR-8", "RON-6"]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")


def test_one_function_searches_the_storefront_and_the_api(client, hardware, store):
    buyer = SimpleNamespace(group=store.default_group, company=None, store=store, sees_prices=False)
    listing = product_listing(buyer, search="vis", sort="relevance")
    assert [p.sku for p in listing.products(0, 10)] == ["VIS-4", "VIS-40", "VIS-400", "CHV-8"]
    page = client.get("/search/", {"q": "vis"}).content.decode()
    assert page.index("/p/VIS-4/") < page.index("/p/VIS-400/") < page.index("/p/CHV-8/")
    api = client.get("/api/v1/products", {"q": "vis"}).json()
    assert [item["sku"] for item in api["items"]] == ["VIS-4", "VIS-40", "VIS-400", "CHV-8"]
    assert api["sort"] == "relevance"


def test_the_pages_and_the_api_find_a_typo_alike(client, hardware, store):
    def page(url: str, text: str) -> list[str]:
        html = client.get(url, {"q": text}).content.decode()
        return re.findall(r'<a class="name" href="(?:/fr)?/p/([^/]+)/">', html)

    def api(text: str) -> list[str]:
        body = client.get("/api/v1/products", {"q": text}).json()
        return [item["sku"] for item in body["items"]]

    for text in ("ecrouu", "chevile nylon", "vis inoxx"):
        assert page("/search/", text) == page("/fr/search/", text) == api(text) == found(text)
    assert sorted(api("ecrouu")) == ["ECR-6", "RON-6"]
    assert api("chevile nylon") == ["CHV-8"]
    assert api("vis inoxx") == ["CHV-8", "VIS-4"]
    assert page("/search/", "xqzwk") == api("xqzwk") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the Python scan is SQLite's")
def test_a_typo_scans_the_catalogue_once_per_listing_on_sqlite(client, hardware, store):
    """A listing's statements hold the search condition several times (the counts of each
    visibility part, the facets, the page): the typo scan is read once, before them."""
    texts = []

    def counting(words, text):
        texts.append(text)
        return is_near(words, text)

    connection.ensure_connection()
    connection.connection.create_function(NEAR_FUNCTION, 2, counting, deterministic=True)
    try:
        assert [
            i["sku"] for i in client.get("/api/v1/products", {"q": "chevile"}).json()["items"]
        ] == ["CHV-8"]
    finally:
        add_sqlite_functions(None, connection)
    assert len(texts) == Product.objects.count() == 7


@pytest.fixture
def bolts(store):
    """A store writing in French: the bolts' material is the choice "Acier" (in English
    "Steel") or "Laiton" ("Brass")."""
    store.language = "fr"
    store.save()
    category = CategoryFactory(code="BOLTS", name="Boulons")
    material = AttributeDefinition.objects.create(
        category=category,
        code="matiere",
        label="Matière",
        type=AttributeType.CHOICE,
        choices="Acier\nLaiton",
        translations={"en": {"label": "Material", "choices": "Steel\nBrass"}},
    )
    for sku, name, value in (
        ("BLT-10", "Boulon M10", "Acier"),
        ("BLT-12", "Boulon M12", "Laiton"),
        ("BLT-16", "Boulon M16", "Acier"),
    ):
        product = ProductFactory(
            sku=sku, name=name, description="Tête hexagonale.", category=category
        )
        ProductAttributeValue.objects.create(product=product, definition=material, value=value)
    return material


def test_a_choice_is_found_in_every_language_its_attribute_is_translated_into(bolts):
    assert found("steel") == ["BLT-10", "BLT-16"]
    assert found("acier") == ["BLT-10", "BLT-16"]
    assert found("brass boulon") == ["BLT-12"]


def test_the_pages_and_the_api_find_a_translated_choice_alike(client, bolts):
    def page(url: str) -> list[str]:
        html = client.get(url, {"q": "steel"}).content.decode()
        return re.findall(r'<a class="name" href="(?:/fr)?/p/([^/]+)/">', html)

    def api(**params) -> list[str]:
        body = client.get("/api/v1/products", {"q": "steel", **params}).json()
        return [item["sku"] for item in body["items"]]

    assert page("/search/") == ["BLT-10", "BLT-16"]
    assert page("/fr/search/") == ["BLT-10", "BLT-16"]
    assert api() == ["BLT-10", "BLT-16"]
    assert api(lang="fr") == ["BLT-10", "BLT-16"]


def test_products_are_found_by_a_choices_new_translation_once_it_changes(bolts):
    bolts.translations = {"en": {"label": "Material", "choices": "Iron\nBrass"}}
    bolts.full_clean()
    bolts.save()
    assert found("steel") == []
    assert found("iron") == ["BLT-10", "BLT-16"]
    bolts.translations = {}
    bolts.save()
    assert found("iron") == []
    assert found("acier") == ["BLT-10", "BLT-16"]


def test_an_attribute_saved_unchanged_reindexes_nothing(bolts, django_assert_num_queries):
    # its row as it was, the update, the cached copies' version: no product read
    with django_assert_num_queries(3):
        bolts.save()


@pytest.mark.parametrize("many", [1, 50])
@pytest.mark.parametrize("text", ["vis inox", "chevile"])
def test_a_search_listing_takes_a_fixed_number_of_statements(
    client, hardware, store, many, text, django_assert_max_num_queries
):
    """Issue 14's budget of 8 whatever the page's size; SQLite reads a typo's near products
    first, in a statement of its own (`_near_matches`), so that its Python scan runs once."""
    for n in range(many):
        ProductFactory(
            sku=f"VIS-X{n:02d}", name=f"Vis inox {n:02d}", category=hardware["VIS-4"].category
        )
    client.get("/api/v1/products")  # the store, once per process
    budget = 8 if connection.vendor == "postgresql" else 9
    versioned_cache.clear()
    with django_assert_max_num_queries(budget):
        body = client.get("/api/v1/products", {"q": text, "page_size": 50}).json()
    assert body["count"] == (many + 2 if text == "vis inox" else 1)
    versioned_cache.clear()
    with django_assert_max_num_queries(budget + 1):  # a page reads the viewer's session too
        assert client.get("/search/", {"q": text}).status_code == 200
