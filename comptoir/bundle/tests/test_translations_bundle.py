"""Translations in the store bundle (docs/bundle.md, "Translations"): checked like the back
office, refused whole with the path of the item, written, kept when absent, dumped back."""

import io
import json

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import AttributeDefinition, Category, Product
from comptoir.catalog.search import search_products
from comptoir.core.models import Store
from comptoir.payments.models import PaymentMethod, ShippingMethod
from comptoir.pricing.models import Promotion

pytestmark = pytest.mark.django_db


def translated(sample):
    """The sample store writes in French; English translations on one of everything."""
    sample["store"]["language"] = "fr"
    sample["categories"][0]["translations"] = {"en": {"name": "Fasteners"}}
    sample["categories"][0]["attributes"] = [
        {
            "code": "material",
            "label": "Matière",
            "type": "choice",
            "choices": ["Acier", "Laiton"],
            "translations": {"en": {"label": "Material", "choices": ["Steel", "Brass"]}},
        }
    ]
    sample["products"][0]["translations"] = {
        "en": {"name": "Chipboard screws 4×40 — box of 200", "description": "Countersunk."}
    }
    sample["payment_methods"][1]["translations"] = {"en": {"name": "Bank transfer"}}
    sample["shipping_methods"][0]["translations"] = {"en": {"name": "Standard delivery"}}
    sample["promotions"][0]["name"] = "Printemps des fixations"
    sample["promotions"][0]["translations"] = {"en": {"name": " Spring fastener days "}}
    return sample


def test_translations_load_reload_unchanged_and_dump_back(sample, write_bundle):
    path = write_bundle(translated(sample))
    load_store(path)
    assert Store.objects.get().language == "fr"
    assert Category.objects.get(code="fixations").translations == {"en": {"name": "Fasteners"}}
    assert AttributeDefinition.objects.get().translations == {
        "en": {"label": "Material", "choices": "Steel\nBrass"}
    }
    assert Product.objects.get(sku="SCR-100").translated("name", "en") == (
        "Chipboard screws 4×40 — box of 200"
    )
    assert PaymentMethod.objects.get(code="TRANSFER").translations == {
        "en": {"name": "Bank transfer"}
    }
    assert ShippingMethod.objects.get(code="STD").translated("name", "en") == "Standard delivery"
    spring = Promotion.objects.get(code="SPRING")
    assert spring.translations == {"en": {"name": "Spring fastener days"}}
    assert spring.translated("name", "fr") == "Printemps des fixations"
    before = database_snapshot()
    load_store(path)
    assert database_snapshot() == before

    out = io.StringIO()
    dump_store(out)
    dumped = json.loads(out.getvalue())
    assert dumped["store"]["language"] == "fr"
    assert dumped["categories"][0]["translations"] == {"en": {"name": "Fasteners"}}
    assert dumped["categories"][0]["attributes"][0]["translations"] == {
        "en": {"label": "Material", "choices": ["Steel", "Brass"]}
    }
    (product,) = [p for p in dumped["products"] if p["sku"] == "SCR-100"]
    assert product["translations"] == sample["products"][0]["translations"]
    assert dumped["categories"][1]["translations"] == {}
    assert dumped["promotions"][0]["name"] == "Printemps des fixations"
    assert dumped["promotions"][0]["translations"] == {"en": {"name": "Spring fastener days"}}

    # the dump loads back to the same rows
    path.write_text(json.dumps(dumped))
    load_store(path)
    assert database_snapshot() == before


def test_absent_translations_are_kept_and_empty_ones_removed(sample, write_bundle):
    load_store(write_bundle(translated(sample)))
    del sample["products"][0]["translations"]
    sample["categories"][0]["translations"] = {}
    del sample["promotions"][0]["translations"]
    load_store(write_bundle(sample))
    assert Product.objects.get(sku="SCR-100").translations["en"]["description"] == "Countersunk."
    assert Category.objects.get(code="fixations").translations == {}
    assert Promotion.objects.get(code="SPRING").translations == {
        "en": {"name": "Spring fastener days"}
    }
    sample["promotions"][0]["translations"] = {}
    load_store(write_bundle(sample))
    assert Promotion.objects.get(code="SPRING").translations == {}


def test_bad_translations_are_refused_naming_the_item_and_nothing_is_written(sample, write_bundle):
    bundle = translated(sample)
    bundle["store"]["language"] = "xx"
    bundle["products"][0]["translations"] = {"en": {"colour": "grey"}, "de": {"name": "Schraube"}}
    bundle["categories"][0]["attributes"][0]["translations"]["en"]["choices"] = ["Steel"]
    bundle["shipping_methods"][0]["translations"] = {"en": {"name": "x" * 201}}
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert refused.value.messages == [
        "store.language: 'xx' is not a content language (en, fr; COMPTOIR_LANGUAGES adds more)",
        "categories[0].attributes[0].translations.en.choices: a list of 2 choices, one for "
        "each of the attribute's, in order",
        "shipping_methods[0].translations: The en name is longer than 200 characters.",
        "products[0].translations: colour cannot be translated (only name, description).",
        "products[0].translations: de is not a content language (en, fr).",
    ]
    assert database_snapshot() == before


def test_new_choices_without_translations_are_refused_while_the_kept_ones_name_others(
    sample, write_bundle
):
    """The stored English choices name Acier and Laiton: a bundle adding Inox without giving
    translations would leave Inox reading another value's label, so it is refused, naming the
    item; with the three translations given, it loads."""
    load_store(write_bundle(translated(sample)))
    attribute = sample["categories"][0]["attributes"][0]
    attribute["choices"] = ["Acier", "Laiton", "Inox"]
    del attribute["translations"]
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))
    assert refused.value.messages == [
        "categories[0].attributes[0].translations.en.choices: The en choices must have 3 lines, "
        "one per choice, in order. (the stored translation, kept as the bundle gives none)"
    ]
    assert database_snapshot() == before
    attribute["translations"] = {
        "en": {"label": "Material", "choices": ["Steel", "Brass", "Stainless steel"]}
    }
    load_store(write_bundle(sample))
    assert AttributeDefinition.objects.get().translations["en"]["choices"] == (
        "Steel\nBrass\nStainless steel"
    )
    # the same choices without translations keep the stored ones: nothing to refuse
    del attribute["translations"]
    load_store(write_bundle(sample))
    assert AttributeDefinition.objects.get().translated("choices", "en").splitlines()[2] == (
        "Stainless steel"
    )


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        (
            {"de": {"name": "Frühlingsschrauben"}},
            "promotions[0].translations: de is not a content language (en, fr).",
        ),
        (
            {"en": {"name": "x" * 201}},
            "promotions[0].translations: The en name is longer than 200 characters.",
        ),
        (
            {"en": {"percent": "5"}},
            "promotions[0].translations: percent cannot be translated (only name).",
        ),
        (
            {"fr": {"name": "Printemps"}},
            "promotions[0].translations: fr is the store's language: its text goes in the "
            "fields themselves.",
        ),
    ],
)
def test_bad_promotion_translations_are_refused_and_nothing_is_written(
    sample, write_bundle, translations, message
):
    load_store(write_bundle(translated(sample)))
    sample["promotions"][0]["name"] = "Soldes de printemps"
    sample["promotions"][0]["translations"] = translations
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))
    assert refused.value.messages == [message]
    assert database_snapshot() == before
    spring = Promotion.objects.get(code="SPRING")
    assert (spring.name, spring.translations) == (
        "Printemps des fixations",
        {"en": {"name": "Spring fastener days"}},
    )


def test_the_store_language_cannot_be_translated(sample, write_bundle):
    bundle = translated(sample)
    bundle["products"][0]["translations"] = {"fr": {"name": "Vis"}}
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert refused.value.messages == [
        "products[0].translations: fr is the store's language: its text goes in the fields "
        "themselves."
    ]


def test_a_product_is_found_by_its_choice_in_the_bundles_languages(sample, write_bundle):
    """The search index holds a choice in every language (catalog/search.py); a bundle that
    changes only the attribute's translations re-indexes the products having a value of it,
    though it lists none of them."""
    bundle = translated(sample)
    bundle["products"][0]["attributes"] = {"material": "Acier"}
    load_store(write_bundle(bundle))
    everything = Product.objects.all()
    assert [p.sku for p in search_products(everything, "steel")] == ["SCR-100"]
    assert [p.sku for p in search_products(everything, "acier")] == ["SCR-100"]
    categories = bundle["categories"]
    categories[0]["attributes"][0]["translations"]["en"]["choices"] = ["Iron", "Brass"]
    load_store(write_bundle({"categories": categories}, name="iron.json"))
    assert [p.sku for p in search_products(everything, "iron")] == ["SCR-100"]
    assert [p.sku for p in search_products(everything, "steel")] == []
