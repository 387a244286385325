"""Typed product attributes (issue 20): defined per category, inherited by subcategories,
values checked against their type, shown as specifications and in the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from comptoir.catalog.attributes import normalized_value
from comptoir.catalog.models import AttributeDefinition, ProductAttributeValue
from comptoir.catalog.tests.product_admin_form import product_form_data
from tests.factories import CategoryFactory, PriceEntryFactory, ProductFactory


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("number", " 2,50 ", "2.5"),
        ("number", "40", "40"),
        ("number", "1E+2", "100"),
        ("choice", "STEEL", "Steel"),
        ("text", "  M6   x 1 ", "M6 x 1"),
    ],
)
def test_values_are_stored_as_written_back(kind, raw, stored):
    assert normalized_value(kind, ["Steel", "Brass"], raw) == (stored, None)


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("number", "forty", "Write a number, e.g. 12 or 2.5."),
        ("number", "NaN", "Write a number, e.g. 12 or 2.5."),
        ("number", "1e40", "Write a number, e.g. 12 or 2.5."),
        ("choice", "Wood", "Choose one of: Steel, Brass."),
        ("text", "   ", "Write a value or remove the line."),
    ],
)
def test_bad_values_say_why(kind, raw, message):
    value, problem = normalized_value(kind, ["Steel", "Brass"], raw)
    assert (value, str(problem)) == (None, message)


@pytest.fixture
def screws(store):
    fasteners = CategoryFactory(code="FIX", name="Fasteners")
    wood = CategoryFactory(code="WOOD", name="Wood screws", parent=fasteners)
    other = CategoryFactory(code="OTHER", name="Other")
    AttributeDefinition.objects.create(
        category=fasteners,
        code="material",
        label="Material",
        type="choice",
        choices="Steel\nBrass",
        position=2,
    )
    AttributeDefinition.objects.create(
        category=wood, code="length", label="Length", type="number", unit="mm", position=1
    )
    AttributeDefinition.objects.create(category=other, code="colour", label="Colour")
    product = ProductFactory(sku="ATT-1", name="Wood screw 4x40", category=wood, stock=5)
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("0.10"))
    return product


def value(product, code, raw):
    found = ProductAttributeValue(
        product=product, definition=AttributeDefinition.objects.get(code=code), value=raw
    )
    found.full_clean()
    found.save()
    return found


def test_a_product_takes_its_category_s_and_its_parents_attributes(screws):
    assert value(screws, "length", "40,0").value == "40"
    assert value(screws, "material", "steel").value == "Steel"


def test_another_category_s_attribute_or_a_bad_value_is_refused(screws):
    with pytest.raises(ValidationError) as refused:
        value(screws, "colour", "Red")
    assert refused.value.message_dict == {
        "definition": ["This attribute is not defined for the product's category."]
    }
    with pytest.raises(ValidationError) as refused:
        value(screws, "length", "long")
    assert refused.value.message_dict == {"value": ["Write a number, e.g. 12 or 2.5."]}
    assert not ProductAttributeValue.objects.exists()


def test_a_choice_attribute_needs_choices(screws):
    definition = AttributeDefinition(
        category=screws.category, code="finish", label="Finish", type="choice"
    )
    with pytest.raises(ValidationError) as refused:
        definition.full_clean()
    assert refused.value.message_dict == {"choices": ["A choice needs at least one value."]}


def test_the_product_page_shows_the_specifications_in_order(client, screws):
    value(screws, "material", "Brass")
    client.get("/p/ATT-1/")  # a copy made before the value: the next write must show
    value(screws, "length", "40")
    page = client.get("/p/ATT-1/").content.decode()
    assert (
        '<tbody><tr><th scope="row">Length</th><td>40 mm</td></tr>'
        '<tr><th scope="row">Material</th><td>Brass</td></tr></tbody>'
    ) in page


@pytest.mark.parametrize(
    ("prefix", "length", "load"),
    [("", "12.5 mm", "1,500 N"), ("/fr", "12,5 mm", "1\u202f500 N")],
    ids=["en", "fr"],
)
def test_numbers_are_written_in_the_page_s_language(client, screws, prefix, length, load):
    AttributeDefinition.objects.create(
        category=screws.category, code="load", label="Load", type="number", unit="N", position=3
    )
    value(screws, "length", "12,50")
    value(screws, "load", "1500")
    value(screws, "material", "Brass")
    page = client.get(f"{prefix}/p/ATT-1/").content.decode()
    assert (
        f'<tbody><tr><th scope="row">Length</th><td>{length}</td></tr>'
        '<tr><th scope="row">Material</th><td>Brass</td></tr>'
        f'<tr><th scope="row">Load</th><td>{load}</td></tr></tbody>'
    ) in page


def test_the_api_product_detail_lists_the_attributes(client, screws):
    value(screws, "length", "40")
    value(screws, "material", "Steel")
    assert client.get("/api/v1/products/ATT-1").json()["attributes"] == [
        {"code": "length", "label": "Length", "type": "number", "value": "40", "unit": "mm"},
        {"code": "material", "label": "Material", "type": "choice", "value": "Steel", "unit": ""},
    ]


def test_the_back_office_checks_values_against_the_category(admin_client, screws):
    url = f"/admin/catalog/product/{screws.pk}/change/"
    data = product_form_data(admin_client, url, "attribute_values")
    colour = AttributeDefinition.objects.get(code="colour")
    refused = admin_client.post(
        url, data | {"attribute_values-0-definition": colour.pk, "attribute_values-0-value": "Red"}
    )
    assert "This attribute is not defined for the product&#x27;s category." in refused.text
    length = AttributeDefinition.objects.get(code="length")
    saved = admin_client.post(
        url, data | {"attribute_values-0-definition": length.pk, "attribute_values-0-value": "4,50"}
    )
    assert saved.status_code == 302
    assert ProductAttributeValue.objects.get().value == "4.5"
    category = admin_client.get(f"/admin/catalog/category/{screws.category_id}/change/")
    assert 'value="length"' in category.text
