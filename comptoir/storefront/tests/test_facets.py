"""Filters and facets of the category and search listings (issue 20, catalog/listing.py):
counts per attribute value, in stock and the buyer's own price; the pages and the API give
the same products; nothing the viewer may not see is counted."""

import re
from decimal import Decimal

import pytest

from comptoir.catalog import listing
from comptoir.catalog.models import (
    AttributeDefinition,
    Category,
    ProductAttributeValue,
    Visibility,
)
from comptoir.core import versioned_cache
from comptoir.customers.models import Company
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    PriceEntryFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# sku: name, material, length (mm), stock, base price; BRS-20X only for company OWNER
SCREWS = {
    "STL-20": ("Steel screw 20", "Steel", "20", 50, "0.20"),
    "STL-40": ("Steel screw 40", "Steel", "40", 0, "0.40"),
    "STL-60": ("Steel screw 60", "Steel", "60", 8, "0.60"),
    "BRS-20": ("Brass screw 20", "Brass", "20", 0, "0.90"),
    "BRS-40": ("Brass screw 40", "Brass", "40", 30, "1.10"),
    "INX-40": ("Inox screw 40", "Inox A2", "40", 12, None),
    "BRS-20X": ("Brass screw 20 logo", "Brass", "20", 99, "5.00"),
}


@pytest.fixture
def screws(store):
    fixings = CategoryFactory(code="FIXINGS", name="Fixings")
    wood = CategoryFactory(code="WOOD", name="Wood screws", parent=fixings)
    material = AttributeDefinition.objects.create(
        category=fixings,
        code="material",
        label="Material",
        type="choice",
        choices="Steel\nBrass\nInox A2",
        position=1,
    )
    length = AttributeDefinition.objects.create(
        category=wood, code="length", label="Length", type="number", unit="mm", position=2
    )
    owner = CompanyFactory(code="OWNER", name="Owner SARL")
    for sku, (name, metal, mm, stock, price) in SCREWS.items():
        exclusive = sku.endswith("X")
        product = ProductFactory(
            sku=sku,
            name=name,
            category=wood,
            stock=stock,
            visibility=Visibility.COMPANIES if exclusive else Visibility.ALL,
            visible_companies=[owner] if exclusive else [],
        )
        ProductAttributeValue.objects.create(product=product, definition=material, value=metal)
        ProductAttributeValue.objects.create(product=product, definition=length, value=mm)
        if price:
            PriceEntryFactory(
                price_list=store.base_price_list, product=product, price=Decimal(price)
            )
    return store


def card_skus(response) -> list[str]:
    return re.findall(r'<a class="name" href="/p/([^/]+)/">', response.content.decode())


def counts(response) -> dict:
    """Facet counts as the page shows them: {(name, value): count}."""
    found = re.findall(
        r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="([^"]+)"(?: checked)?> [^<]*'
        r'<span class="facet-count">\((\d+)\)</span>',
        response.content.decode(),
    )
    return {(name, value): int(count) for name, value, count in found}


def api_skus(client, query) -> list[str]:
    response = client.get("/api/v1/products", query)
    assert response.status_code == 200, response.content
    return [item["sku"] for item in response.json()["items"]]


def test_each_value_is_counted_among_what_the_viewer_may_see(client, screws):
    response = client.get("/c/WOOD/")
    assert card_skus(response) == ["BRS-20", "BRS-40", "INX-40", "STL-20", "STL-40", "STL-60"]
    assert counts(response) == {
        ("attr.material", "Steel"): 3,
        ("attr.material", "Brass"): 2,  # not the logo screw of OWNER
        ("attr.material", "Inox A2"): 1,
        ("attr.length", "20"): 2,
        ("attr.length", "40"): 3,
        ("attr.length", "60"): 1,
        ("in_stock", "1"): 4,
    }
    # the parent category shows its own attributes only, counted over its subcategories
    assert counts(client.get("/c/FIXINGS/"))[("attr.material", "Brass")] == 2
    assert ("attr.length", "20") not in counts(client.get("/c/FIXINGS/"))


def test_the_exclusive_product_is_counted_for_its_company_only(client, screws):

    client.force_login(UserFactory(company=Company.objects.get(code="OWNER")))
    response = client.get("/c/WOOD/", {"attr.material": "Brass"})
    assert card_skus(response) == ["BRS-20", "BRS-20X", "BRS-40"]
    assert counts(response)[("attr.material", "Brass")] == 3


def test_a_facet_s_own_choice_leaves_its_counts_the_others_narrow(client, screws):
    response = client.get("/c/WOOD/", {"attr.material": "Steel"})
    assert card_skus(response) == ["STL-20", "STL-40", "STL-60"]
    found = counts(response)
    # the material counts are those without the material filter
    assert (found[("attr.material", "Steel")], found[("attr.material", "Brass")]) == (3, 2)
    # the length and stock counts are those of the steel screws
    assert (found[("attr.length", "20")], found[("attr.length", "40")]) == (1, 1)
    assert found[("in_stock", "1")] == 2
    assert 'value="Steel" checked>' in response.content.decode()


def test_values_of_one_attribute_are_or_attributes_are_and(client, screws):
    either = {"attr.material": ["Steel", "brass"]}  # a choice is matched without case
    assert card_skus(client.get("/c/WOOD/", either)) == [
        "BRS-20",
        "BRS-40",
        "STL-20",
        "STL-40",
        "STL-60",
    ]
    both = {**either, "attr.length": "40.0"}  # a number as written back
    response = client.get("/c/WOOD/", both)
    assert card_skus(response) == ["BRS-40", "STL-40"]
    # the lengths of steel or brass screws; the materials of 40 mm
    assert counts(response)[("attr.length", "40")] == 2
    assert counts(response)[("attr.material", "Inox A2")] == 1
    assert card_skus(client.get("/c/WOOD/", {**both, "in_stock": "1"})) == ["BRS-40"]


def test_the_buyer_s_own_price_filters_and_sorts(client, screws, store):
    client.force_login(UserFactory(company=CompanyFactory(code="ACME", group=store.default_group)))
    query = {"price_min": "0,40", "price_max": "1.10", "sort": "-price"}
    response = client.get("/c/WOOD/", query)
    assert card_skus(response) == ["BRS-40", "BRS-20", "STL-60", "STL-40"]
    assert ("attr.material", "Inox A2") not in counts(response)  # on request: no price
    assert api_skus(client, {"category": "WOOD", **query}) == card_skus(response)


def test_too_many_products_to_filter_by_price_says_so(client, screws, store, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PRICED", 5)
    client.force_login(UserFactory(company=CompanyFactory(code="ACME", group=store.default_group)))
    response = client.get("/c/WOOD/", {"price_max": "0.50"})
    assert len(card_skus(response)) == 6
    assert "Too many products to filter by price" in response.content.decode()
    api = client.get("/api/v1/products", {"category": "WOOD", "price_max": "0.50"}).json()
    assert (api["count"], api["facets"]["price_filter_refused"]) == (6, True)


def test_pages_and_api_give_the_same_products_for_the_same_filters(client, screws):
    for query in (
        {"attr.material": ["Steel", "Inox A2"], "sort": "name"},
        {"attr.length": "40", "in_stock": "1", "sort": "-name"},
        {"attr.material": "Brass", "sort": "sku"},
        {"in_stock": "1", "sort": "sku"},
    ):
        page = card_skus(client.get("/c/WOOD/", query))
        assert page == api_skus(client, {"category": "WOOD", **query}), query
    searched = {"q": "screw 40", "in_stock": "1"}
    assert card_skus(client.get("/search/", searched)) == ["BRS-40", "INX-40"]
    assert api_skus(client, searched) == ["BRS-40", "INX-40"]


def test_the_api_counts_facets_too(client, screws):
    body = client.get("/api/v1/products", {"category": "WOOD", "attr.length": "20"}).json()
    assert [item["sku"] for item in body["items"]] == ["BRS-20", "STL-20"]
    material, length = body["facets"]["attributes"]
    assert material == {
        "code": "material",
        "label": "Material",
        "type": "choice",
        "unit": "",
        "values": [
            {"value": "Steel", "label": "Steel", "count": 1, "selected": False},
            {"value": "Brass", "label": "Brass", "count": 1, "selected": False},
        ],
    }
    assert [(v["value"], v["count"], v["selected"]) for v in length["values"]] == [
        ("20", 2, True),
        ("40", 3, False),
        ("60", 1, False),
    ]
    assert (body["facets"]["in_stock"], body["sort"], body["count"]) == (1, "sku", 2)


def test_pagination_links_keep_the_filters(client, screws):
    for n in range(30):
        ProductFactory(sku=f"MORE-{n:02d}", name=f"More {n:02d}", category=_wood(), stock=5)
    response = client.get("/c/WOOD/", {"in_stock": "1", "sort": "sku"})
    assert 'href="?sort=sku&amp;in_stock=1&amp;page=2"' in response.content.decode()
    assert len(card_skus(client.get("/c/WOOD/", {"in_stock": "1", "page": 2}))) == 34 - 24


def _wood():
    return Category.objects.get(code="WOOD")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"attr.colour": "red"}, "The category has no attribute “colour”."),
        ({"attr.length": "long"}, "Length: Write a number, e.g. 12 or 2.5."),
        ({"attr.material": "Wood"}, "Material: Choose one of: Steel, Brass, Inox A2."),
        ({"price_min": "abc"}, "Write the price as a number, e.g. 12.50."),
        ({"price_max": "-3"}, "A price cannot be below zero."),
        ({"price_min": "9", "price_max": "2"}, "The highest price is below the lowest."),
        ({"in_stock": "maybe"}, "“In stock” is 1 or 0."),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, screws, query, message):
    page = client.get("/c/WOOD/", query)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert len(card_skus(page)) == 6  # the bad filter is left out
    api = client.get("/api/v1/products", {"category": "WOOD", **query})
    assert api.status_code == 400
    assert (api.json()["code"], api.json()["detail"]) == ("invalid_filter", message)


def test_other_bad_listing_input(client, screws):
    unknown = client.get("/api/v1/products", {"attr.material": "Steel"}).json()
    assert unknown["detail"] == "Choose a category to filter by its attributes."
    assert client.get("/api/v1/products", {"sort": "cheapest"}).json()["detail"] == (
        "Sort by one of: relevance, name, -name, sku, price, -price."
    )
    assert client.get("/api/v1/products", {"page": 10**9}).status_code == 400
    assert client.get("/api/v1/products", {"page": 999}).json()["items"] == []
    huge = client.get("/c/WOOD/", {"page": 10**12})
    assert (huge.status_code, card_skus(huge)[:1]) == (200, ["BRS-20"])  # the last page
    assert client.get("/api/v1/products", {"category": "NOPE"}).json()["count"] == 0


@pytest.mark.parametrize("many", [1, 50])
def test_facets_cost_one_statement_whatever_the_listing(
    client, screws, many, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(many):
        ProductFactory(sku=f"MORE-{n:02d}", name=f"More {n:02d}", category=_wood(), stock=5)
    url = "/api/v1/products?category=WOOD&attr.material=Steel&attr.length=40&in_stock=1"
    client.get("/api/v1/products")  # the store, once per process
    versioned_cache.clear()
    # issue 14's budget of 8: the version, the categories with their attributes, the count
    # with the facets, the page, the rules, the candidate lists, the entries, the packagings
    with django_assert_max_num_queries(8):
        first = client.get(url + f"&page_size={many}")
    assert first.json()["count"] == 0
    with django_assert_num_queries(1):  # copied: the version
        again = client.get(url + f"&page_size={many}")
    assert again.json() == first.json()
    versioned_cache.clear()
    with django_assert_max_num_queries(9):
        page = client.get(f"/c/WOOD/?attr.length=40&in_stock=1&page_size={many}")
    assert counts(page)[("attr.material", "Brass")] == 1


def test_facets_speak_the_readers_language(client, screws):
    """The store writes in English; a French reader gets the labels, units and choices the
    merchant translated, and filters by the stored value all the same."""
    material = AttributeDefinition.objects.get(code="material")
    material.translations = {"fr": {"label": "Matière", "choices": "Acier\nLaiton\nInox A2"}}
    material.save()
    Category.objects.filter(code="WOOD").update(translations={"fr": {"name": "Vis à bois"}})
    versioned_cache.bump()
    page = client.get("/fr/c/WOOD/", {"attr.material": "Brass"}).content.decode()
    assert "<legend>Matière</legend>" in page
    assert re.search(r'value="Brass" checked> Laiton <span class="facet-count">\(2\)', page)
    assert "Vis à bois" in page
    body = client.get(
        "/api/v1/products", {"category": "WOOD", "lang": "fr", "attr.material": "Brass"}
    ).json()
    facet = body["facets"]["attributes"][0]
    assert facet["label"] == "Matière"
    assert [(v["value"], v["label"], v["count"]) for v in facet["values"]] == [
        ("Steel", "Acier", 3),
        ("Brass", "Laiton", 2),
        ("Inox A2", "Inox A2", 1),
    ]
    english = client.get("/api/v1/products", {"category": "WOOD", "lang": "en"}).json()
    assert english["facets"]["attributes"][0]["label"] == "Material"


def test_number_facets_are_written_in_the_readers_format(client, screws):
    ProductAttributeValue.objects.filter(product__sku="STL-60", definition__code="length").update(
        value="3.5"
    )
    ProductAttributeValue.objects.filter(product__sku="STL-40", definition__code="length").update(
        value="1500"
    )
    versioned_cache.bump()
    french = client.get("/fr/c/WOOD/").content.decode()
    assert re.search(r'value="3.5"> 3,5 <span class="facet-count">\(1\)', french)
    assert re.search(r'value="1500"> 1\u202f500 <span class="facet-count">\(1\)', french)
    english = client.get("/c/WOOD/").content.decode()
    assert re.search(r'value="3.5"> 3.5 <span class="facet-count">\(1\)', english)
    assert re.search(r'value="1500"> 1,500 <span class="facet-count">\(1\)', english)
    body = client.get("/api/v1/products", {"category": "WOOD", "lang": "fr"}).json()
    (length,) = [f for f in body["facets"]["attributes"] if f["code"] == "length"]
    assert [(v["value"], v["label"]) for v in length["values"]] == [
        ("3.5", "3,5"),
        ("20", "20"),
        ("40", "40"),
        ("1500", "1\u202f500"),
    ]
    filtered = client.get("/c/WOOD/", {"attr.length": "3.5"})
    assert card_skus(filtered) == ["STL-60"]


def test_a_tiny_number_in_a_filter_is_refused_not_written_out_in_full(client, screws, store):
    """`1e-999999` is nine characters typed, a million once written as a decimal: the
    attribute filter and the price filter refuse it rather than put it in every link."""
    page = client.get("/c/WOOD/", {"attr.length": "1e-999999"})
    assert "Length: Write a number, e.g. 12 or 2.5." in page.content.decode()
    assert len(page.content) < 200_000
    client.force_login(UserFactory(company=CompanyFactory(code="ACME", group=store.default_group)))
    page = client.get("/c/WOOD/", {"price_min": "1e-999999"})
    assert "Write the price as a number, e.g. 12.50." in page.content.decode()
    assert len(page.content) < 200_000
    api = client.get("/api/v1/products", {"category": "WOOD", "price_max": "1e-999999"})
    assert (api.status_code, api.json()["detail"]) == (
        400,
        "Write the price as a number, e.g. 12.50.",
    )
