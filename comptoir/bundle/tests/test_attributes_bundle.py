"""Product attributes in the store bundle: `categories[].attributes` and
`products[].attributes`, checked like the back office, round trip through a dump."""

import io
import json

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import AttributeDefinition, ProductAttributeValue

pytestmark = pytest.mark.django_db

MATERIAL = {
    "code": "material",
    "label": "Material",
    "type": "choice",
    "choices": ["Steel", "Brass"],
}
LENGTH = {"code": "length", "label": "Length", "type": "number", "unit": "mm", "position": 1}


def screws_of(bundle):
    return next(p for p in bundle["products"] if p["sku"] == "SCR-200")


def with_attributes(sample, values):
    screws = screws_of(sample)
    category = next(c for c in sample["categories"] if c["code"] == screws["category"])
    category["attributes"] = [MATERIAL, LENGTH]
    screws["attributes"] = values
    return sample, category["code"]


def test_attributes_load_reload_unchanged_and_dump_back(sample, write_bundle):
    bundle, category = with_attributes(sample, {"material": "steel", "length": "4,0"})
    path = write_bundle(bundle)
    load_store(path)
    assert sorted(ProductAttributeValue.objects.values_list("definition__code", "value")) == [
        ("length", "4"),
        ("material", "Steel"),
    ]
    before = database_snapshot()
    load_store(path)
    assert database_snapshot() == before

    out = io.StringIO()
    dump_store(out)
    dumped = json.loads(out.getvalue())
    assert screws_of(dumped)["attributes"] == {"material": "Steel", "length": "4"}
    (listed,) = [c for c in dumped["categories"] if c["code"] == category]
    assert [a["code"] for a in listed["attributes"]] == ["material", "length"]
    assert listed["attributes"][0]["choices"] == ["Steel", "Brass"]


def test_bad_attributes_are_named_by_their_path(sample, write_bundle):
    bundle, _category = with_attributes(
        sample, {"material": "Wood", "length": "long", "colour": "red"}
    )
    category = next(
        i for i, c in enumerate(bundle["categories"]) if c["code"] == screws_of(bundle)["category"]
    )
    bundle["categories"][category]["attributes"].append(
        {"code": "finish", "label": "Finish", "type": "choice"}
    )
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    product = bundle["products"].index(screws_of(bundle))
    assert refused.value.messages == [
        f"categories[{category}].attributes[2].choices: a choice needs at least one value",
        f"products[{product}].attributes.material: Choose one of: Steel, Brass.",
        f"products[{product}].attributes.length: Write a number, e.g. 12 or 2.5.",
        f"products[{product}].attributes.colour: not an attribute of the product's category "
        "or those above it",
    ]
    assert not AttributeDefinition.objects.exists()
