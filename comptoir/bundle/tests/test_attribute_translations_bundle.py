"""Translations of text attribute values in the store bundle (docs/bundle.md, "Attributes"):
`products[].attribute_translations`, by language then attribute code, checked like the back
office, refused whole with the product's path, written, kept while the text is unchanged,
dumped back and loaded again to the same rows."""

import io
import json

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import AttributeDefinition, Product, ProductAttributeValue
from comptoir.catalog.search import search_products

pytestmark = pytest.mark.django_db


def with_finish(sample):
    """A French store whose screws have a text finish, a number length and a choice
    material; the finish translated into English."""
    sample["store"]["language"] = "fr"
    sample["categories"][0]["attributes"] = [
        {"code": "finish", "label": "Finition", "type": "text"},
        {"code": "length", "label": "Longueur", "type": "number", "unit": "mm"},
        {"code": "material", "label": "Matière", "type": "choice", "choices": ["Acier"]},
    ]
    screws = sample["products"][0]
    screws["attributes"] = {"finish": "Zingué blanc", "length": "40", "material": "acier"}
    screws["attribute_translations"] = {"en": {"finish": "  White zinc plated "}}
    return sample


def finish_of(sku="SCR-100"):
    return ProductAttributeValue.objects.get(product__sku=sku, definition__code="finish")


def test_value_translations_load_reload_unchanged_dump_and_load_back(sample, write_bundle):
    path = write_bundle(with_finish(sample))
    load_store(path)
    finish = finish_of()
    assert (finish.value, finish.translations) == (
        "Zingué blanc",
        {"en": {"value": "White zinc plated"}},
    )
    assert ProductAttributeValue.objects.get(definition__code="length").translations == {}
    before = database_snapshot()
    load_store(path)
    assert database_snapshot() == before

    out = io.StringIO()
    dump_store(out)
    dumped = json.loads(out.getvalue())
    (screws,) = [p for p in dumped["products"] if p["sku"] == "SCR-100"]
    assert screws["attributes"] == {"finish": "Zingué blanc", "length": "40", "material": "Acier"}
    assert screws["attribute_translations"] == {"en": {"finish": "White zinc plated"}}
    (other,) = [p for p in dumped["products"] if p["sku"] == "SCR-200"]
    assert other["attribute_translations"] == {}

    # the dump loads back to the same rows
    path.write_text(json.dumps(dumped))
    load_store(path)
    assert database_snapshot() == before


def test_absent_translations_kept_while_the_text_holds_and_empty_ones_removed(sample, write_bundle):
    bundle = with_finish(sample)
    load_store(write_bundle(bundle))
    screws = bundle["products"][0]
    del screws["attribute_translations"]
    load_store(write_bundle(bundle))
    assert finish_of().translations == {"en": {"value": "White zinc plated"}}
    # another text: the English of the former one would be wrong, it goes
    screws["attributes"]["finish"] = "Zingué jaune"
    load_store(write_bundle(bundle))
    assert (finish_of().value, finish_of().translations) == ("Zingué jaune", {})
    screws["attribute_translations"] = {"en": {"finish": "Yellow zinc plated"}}
    load_store(write_bundle(bundle))
    assert finish_of().translations == {"en": {"value": "Yellow zinc plated"}}
    screws["attribute_translations"] = {}
    load_store(write_bundle(bundle))
    assert finish_of().translations == {}


def test_bad_value_translations_are_refused_naming_the_product_and_nothing_is_written(
    sample, write_bundle
):
    bundle = with_finish(sample)
    load_store(write_bundle(bundle))
    bundle["products"][0]["attribute_translations"] = {
        "en": {"finish": "x" * 201, "length": "40", "material": "Steel", "colour": "grey"},
        "de": {"finish": "Weiß verzinkt"},
        "fr": {"finish": "Zingué"},
    }
    bundle["products"][1]["attribute_translations"] = {"en": {"finish": "White"}}
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert refused.value.messages == [
        "products[0].attribute_translations: The en finish is longer than 200 characters.",
        "products[0].attribute_translations: colour cannot be translated (only finish).",
        "products[0].attribute_translations: de is not a content language (en, fr).",
        "products[0].attribute_translations: fr is the store's language: its text goes in the "
        "fields themselves.",
        "products[0].attribute_translations.en.length: A number is not translated: each "
        "language writes it in its own format.",
        "products[0].attribute_translations.en.material: A choice is not translated on the "
        "product: translate the attribute's choices.",
        "products[1].attribute_translations: give the product's attributes with their translations",
    ]
    assert database_snapshot() == before


def test_a_product_is_found_by_its_text_value_in_either_language(sample, write_bundle):
    load_store(write_bundle(with_finish(sample)))
    everything = Product.objects.all()
    assert [p.sku for p in search_products(everything, "white plated")] == ["SCR-100"]
    assert [p.sku for p in search_products(everything, "zingue blanc")] == ["SCR-100"]


def test_a_value_whose_attribute_became_a_choice_dumps_no_translation(sample, write_bundle):
    """Its former translations are read nowhere; dumped, the loader would refuse them."""
    load_store(write_bundle(with_finish(sample)))
    AttributeDefinition.objects.filter(code="finish").update(type="choice", choices="Zingué blanc")
    out = io.StringIO()
    dump_store(out)
    (screws,) = [p for p in json.loads(out.getvalue())["products"] if p["sku"] == "SCR-100"]
    assert screws["attribute_translations"] == {}


def test_a_reload_that_makes_the_attribute_a_choice_drops_the_values_translations(
    sample, write_bundle
):
    load_store(write_bundle(with_finish(sample)))
    changed = with_finish(sample)
    changed["categories"][0]["attributes"][0] |= {"type": "choice", "choices": ["Zingué blanc"]}
    del changed["products"][0]["attribute_translations"]

    load_store(write_bundle(changed, "choice.json"))

    finish = finish_of()
    assert (finish.value, finish.translations) == ("Zingué blanc", {})
    finish.full_clean()
