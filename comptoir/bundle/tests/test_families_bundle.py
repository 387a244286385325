"""Product families in the store bundle (docs/bundle.md, "Families"): loaded, checked with
clear messages and nothing written, dumped, and loaded again unchanged."""

import io
import json

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import FamilyVariant, ProductFamily

pytestmark = pytest.mark.django_db

FAMILY = {
    "code": "SCREWS-INOX",
    "name": "Stainless screws",
    "description": "One screw, two lengths, two heads.",
    "category": "vis",
    "axes": [
        {"name": "Length", "values": ["40 mm", "60 mm"]},
        {"name": "Head", "values": ["Flat", "Round"]},
    ],
    "variants": [
        {"sku": "SCR-100", "values": ["40 mm", "Flat"]},
        {"sku": "SCR-200", "values": ["60 mm", "round"]},
    ],
    "translations": {
        "fr": {
            "name": "Vis inox",
            "row_axis": "Longueur",
            "column_axis": "Tête",
            "column_values": ["Plate", "Ronde"],
        }
    },
}


def with_family(sample, family=None):
    sample["families"] = [json.loads(json.dumps(family or FAMILY))]
    return sample


def cells():
    return sorted(
        FamilyVariant.objects.values_list(
            "family__code", "product__sku", "row_value", "column_value"
        )
    )


def test_a_family_loads_with_its_cells_in_the_family_spelling(sample, write_bundle):
    counts = load_store(write_bundle(with_family(sample)))
    assert counts["families"] == 1
    family = ProductFamily.objects.get()
    assert (family.name, family.category.code, family.rows, family.columns) == (
        "Stainless screws",
        "vis",
        ["40 mm", "60 mm"],
        ["Flat", "Round"],
    )
    assert cells() == [
        ("SCREWS-INOX", "SCR-100", "40 mm", "Flat"),
        ("SCREWS-INOX", "SCR-200", "60 mm", "Round"),
    ]
    assert family.translated("name", "fr") == "Vis inox"
    assert family.translated("column_axis", "fr") == "Tête"
    assert family.translated("name", "en") == "Stainless screws"
    # the heads read in French, the lengths (untranslated) as written
    assert family.column_labels("fr") == ["Plate", "Ronde"]
    assert family.row_labels("fr") == ["40 mm", "60 mm"]
    assert family.column_labels("en") == ["Flat", "Round"]


def test_a_dumped_family_loads_again_unchanged(sample, write_bundle, tmp_path):
    load_store(write_bundle(with_family(sample)))
    out = io.StringIO()
    dump_store(out)
    dumped = json.loads(out.getvalue())
    assert dumped["families"] == [
        {
            **FAMILY,
            "variants": [FAMILY["variants"][0], {"sku": "SCR-200", "values": ["60 mm", "Round"]}],
        }
    ]
    before = database_snapshot()
    again = tmp_path / "again.json"
    again.write_text(out.getvalue(), encoding="utf-8")
    load_store(again)
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f["variants"][1].update(values=["80 mm", "Flat"]),
            "families[0].variants[1].values[0]: '80 mm' is not one of 40 mm, 60 mm",
        ),
        (
            lambda f: f["variants"][1].update(sku="NOPE-1"),
            "families[0].variants[1].sku: unknown SKU 'NOPE-1'",
        ),
        (
            lambda f: f["variants"][1].update(values=["40 MM", "flat"]),
            "families[0].variants[1].values: the cell is already filled by SCR-100",
        ),
        (
            lambda f: f["variants"][1].update(values=["60 mm"]),
            "families[0].variants[1].values: give 2 value(s), one per axis, not 1",
        ),
        (
            lambda f: f["axes"][0].update(values=["40 mm", "40 MM"]),
            "families[0].axes[0].values: a value is listed twice",
        ),
        (
            lambda f: f["variants"].append({"sku": "SCR-100", "values": ["60 mm", "Flat"]}),
            "families[0].variants[2].sku: SCR-100 is also in families[0].variants[0]",
        ),
        (lambda f: f.update(category="nope"), "families[0].category: unknown category 'nope'"),
        (
            lambda f: f.update(translations={"de": {"name": "Edelstahlschrauben"}}),
            "families[0].translations: de is not a content language (en, fr).",
        ),
        (
            lambda f: f.update(translations={"fr": {"sku": "40 mm"}}),
            "families[0].translations: sku cannot be translated (only name, description, "
            "row_axis, row_values, column_axis, column_values).",
        ),
        (
            lambda f: f.update(translations={"fr": {"row_values": "40 mm\n60 mm"}}),
            "families[0].translations.fr.row_values: a list of values, one for each of the "
            "axis's, in order",
        ),
        (
            lambda f: f.update(translations={"fr": {"column_values": ["Plate"]}}),
            "families[0].translations.fr.column_values: The fr translation must give 2 values, "
            "one per value of the axis, in order.",
        ),
        (
            lambda f: f.update(translations={"fr": {"column_values": ["Plate", "plate"]}}),
            "families[0].translations.fr.column_values: The fr values give plate twice.",
        ),
        (
            lambda f: f.update(translations={"fr": {"column_values": ["Plate", "R" * 51]}}),
            "families[0].translations.fr.column_values: A fr value has at most 50 characters.",
        ),
        (
            lambda f: f.update(
                axes=f["axes"][:1],
                variants=[],
                translations={"fr": {"column_values": ["Plate", "Ronde"]}},
            ),
            "families[0].translations.fr.column_values: The axis has no values: leave its fr "
            "values empty.",
        ),
    ],
)
def test_bad_families_are_refused_whole_with_a_clear_message(sample, write_bundle, change, message):
    family = json.loads(json.dumps(FAMILY))
    change(family)
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(with_family(sample, family)))
    assert message in refused.value.messages
    assert database_snapshot() == before


def test_a_product_of_a_family_not_in_the_bundle_cannot_join_another(sample, write_bundle):
    load_store(write_bundle(with_family(sample)))
    other = {
        **FAMILY,
        "code": "OTHER",
        "variants": [{"sku": "SCR-100", "values": ["40 mm", "Flat"]}],
    }
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle({"families": [other]}, name="other.json"))
    assert (
        "families[0].variants[0].sku: SCR-100 is already in the family SCREWS-INOX"
        in refused.value.messages
    )


def test_a_family_code_differing_only_in_case_from_the_stored_one_is_refused(sample, write_bundle):
    """Codes ignore case (the family's unique constraint is on UPPER(code)): a bundle naming
    `screws-inox` once `SCREWS-INOX` is stored is told so, not stopped by the database."""
    load_store(write_bundle(with_family(sample)))
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle({"families": [{**FAMILY, "code": "screws-inox"}]}, name="b.json"))
    assert (
        "families[0].code: 'screws-inox' differs only in case from the existing family "
        "'SCREWS-INOX'" in refused.value.messages
    )
    assert database_snapshot() == before


def test_translations_kept_must_still_fit_the_axes_a_bundle_changes(sample, write_bundle):
    """A family listed without `translations` keeps its own: refused when they no longer name
    its values one for one, rather than showing labels at the wrong places."""
    load_store(write_bundle(with_family(sample)))
    three_heads = json.loads(json.dumps(FAMILY))
    three_heads["axes"][1]["values"].append("Hex")
    three_heads.pop("translations")
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle({"families": [three_heads]}, name="heads.json"))
    assert refused.value.messages == [
        "families[0].translations.fr.column_values: The fr translation must give 3 values, one "
        "per value of the axis, in order. (the stored translation, kept as the bundle gives none)"
    ]
    assert database_snapshot() == before
    three_heads["translations"] = {"fr": {"column_values": ["Plate", "Ronde", "Hexagonale"]}}
    load_store(write_bundle({"families": [three_heads]}, name="heads.json"))
    assert ProductFamily.objects.get().column_labels("fr") == ["Plate", "Ronde", "Hexagonale"]
