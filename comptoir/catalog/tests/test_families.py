"""Product families (issue 20): the axes and cells as the back office and the bundle judge
them (catalog/families.py), and the family admin with its variants inline."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from comptoir.catalog.families import (
    axis_values,
    cell_problems,
    grid,
    label_problems,
    value_labels,
)
from comptoir.catalog.models import FamilyVariant, ProductFamily
from tests.factories import ProductFactory


def test_axis_values_keep_their_order_once_each():
    assert axis_values(" S \nM\n\nm\nL  XL\n") == ["S", "M", "L XL"]


def test_a_cell_must_be_among_the_axes_values():
    assert cell_problems(["7", "8"], ["Black", "Blue"], "8", "blue") == {}
    assert cell_problems(["7", "8"], ["Black", "Blue"], "11", "Red") == {
        "row_value": "11 is not one of 7, 8.",
        "column_value": "Red is not one of Black, Blue.",
    }
    assert cell_problems(["7", "8"], [], "7", "Black") == {
        "column_value": "The family has a single axis: leave this empty."
    }


def test_the_grid_leaves_out_rows_and_columns_without_any_cell():
    found = grid(["7", "8", "9"], ["Black", "Blue"], {("7", "Black"): "A", ("8", "Black"): "B"})
    assert (found.rows, found.columns, found.cells) == (["7", "8"], ["Black"], [["A"], ["B"]])


def test_the_grid_labels_the_rows_and_columns_it_keeps():
    found = grid(
        ["7", "8", "9"],
        ["Noir", "Bleu"],
        {("7", "Bleu"): "A", ("8", "Bleu"): "B"},
        (["7", "8", "9"], ["Black", "Blue"]),
    )
    assert (found.columns, found.column_labels) == (["Bleu"], ["Blue"])
    assert found.lines == [("7", ["A"]), ("8", ["B"])]
    single = grid(["S", "M"], [], {("M", ""): "C"}, (["Small", "Medium"], []))
    assert (single.columns, single.column_labels, single.lines) == ([""], [""], [("Medium", ["C"])])


def test_a_value_reads_its_label_at_its_place_else_itself():
    assert value_labels(["Noir", "Bleu"], " Black \n\nBlue\n") == ["Black", "Blue"]
    assert value_labels(["Noir", "Bleu"], "") == ["Noir", "Bleu"]
    # written for two colours, the family has three since: no label rather than a wrong one
    assert value_labels(["Noir", "Bleu", "Rouge"], "Black\nBlue") == ["Noir", "Bleu", "Rouge"]


def test_translated_values_name_the_axis_values_one_for_one():
    rows, columns = ["7", "8"], ["Noir", "Bleu"]
    assert label_problems({"en": {"column_values": "Black\nBlue"}}, rows, columns) == []
    assert label_problems(
        {
            "en": {"row_values": "7", "column_values": "Black\nblack"},
            "de": {"column_values": "Schwarz\n" + "B" * 51},
        },
        rows,
        columns,
    ) == [
        ("en", "row_values", "The en translation must give 2 values, one per value of the axis, "
         "in order."),
        ("en", "column_values", "The en values give black twice."),
        ("de", "column_values", "A de value has at most 50 characters."),
    ]  # fmt: skip
    assert label_problems({"en": {"column_values": "Black"}}, rows, []) == [
        ("en", "column_values", "The axis has no values: leave its en values empty.")
    ]
    with translation.override("fr"):
        assert label_problems({"de": {"column_values": "Schwarz"}}, rows, columns) == [
            ("de", "column_values", "La traduction en de doit donner 2 valeurs, une par valeur "
             "de l’axe, dans l’ordre."),
        ]  # fmt: skip
    # values refused themselves (the form's field in error) are not judged again
    assert label_problems({"en": {"row_values": "Seven"}}, None, columns) == []


@pytest.mark.django_db
def test_a_familys_translated_values_are_checked_with_the_family(store):
    family = ProductFamily(
        code="GLV", name="Gloves", row_axis="Size", row_values="8\n9", column_axis="Colour",
        column_values="Black\nBlue", translations={"fr": {"column_values": "Noir"}},
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        family.full_clean()
    assert refused.value.message_dict == {
        "translations": [
            "The fr translation must give 2 values, one per value of the axis, in order."
        ]
    }
    family.translations = {"fr": {"column_values": "Noir\nBleu"}}
    family.full_clean()
    family.save()
    assert (family.row_labels("fr"), family.column_labels("fr")) == (["8", "9"], ["Noir", "Bleu"])
    assert family.column_labels("en") == ["Black", "Blue"]


@pytest.mark.django_db
def test_a_variant_is_checked_against_its_family(store):
    family = ProductFamily.objects.create(
        code="GLV", name="Gloves", row_axis="Size", row_values="8\n9", column_axis="Colour",
        column_values="Black\nBlue",
    )  # fmt: skip
    first, second = ProductFactory(sku="GLV-8-BK"), ProductFactory(sku="GLV-8-BK2")
    variant = FamilyVariant(family=family, product=first, row_value="8", column_value="black")
    variant.full_clean()
    variant.save()
    assert variant.column_value == "Black"  # written as the family writes it

    with pytest.raises(ValidationError) as refused:
        FamilyVariant(
            family=family, product=second, row_value="10", column_value="Blue"
        ).full_clean()
    assert refused.value.message_dict == {"row_value": ["10 is not one of 8, 9."]}
    with pytest.raises(ValidationError) as refused:
        FamilyVariant(
            family=family, product=second, row_value="8", column_value="Black"
        ).full_clean()
    assert refused.value.messages == ["Another product already fills this cell."]
    other = ProductFamily.objects.create(
        code="OTHER", name="Other", row_axis="Kind", row_values="A"
    )
    with pytest.raises(ValidationError) as refused:
        FamilyVariant(family=other, product=first, row_value="A").full_clean()
    assert refused.value.message_dict == {"product": ["This product is already in a family."]}


@pytest.mark.django_db
def test_the_family_admin_adds_a_family_with_its_variants_and_refuses_a_bad_cell(
    admin_client, store
):
    ProductFactory(sku="SHIRT-M-NV"), ProductFactory(sku="SHIRT-L-NV")
    from comptoir.catalog.models import Product

    ids = dict(Product.objects.values_list("sku", "pk"))
    form = {
        "code": "SHIRT",
        "name": "Work shirt with your logo",
        "description": "",
        "row_axis": "Size",
        "row_values": "S\nM\nL",
        "column_axis": "Colour",
        "column_values": "Navy\nGrey",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-0-product": str(ids["SHIRT-M-NV"]),
        "variants-0-row_value": "M",
        "variants-0-column_value": "navy",
        "variants-1-product": str(ids["SHIRT-L-NV"]),
        "variants-1-row_value": "XL",
        "variants-1-column_value": "Navy",
    }
    url = reverse("admin:catalog_productfamily_add")
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    assert "XL is not one of S, M, L." in refused.content.decode()
    assert not ProductFamily.objects.exists()

    added = admin_client.post(url, {**form, "variants-1-row_value": "L"})
    assert added.status_code == 302
    assert sorted(
        FamilyVariant.objects.values_list("product__sku", "row_value", "column_value")
    ) == [
        ("SHIRT-L-NV", "L", "Navy"),
        ("SHIRT-M-NV", "M", "Navy"),
    ]


@pytest.fixture
def shirts(store):
    """SHIRT in sizes S, M, L × Navy, Grey: SHIRT-S-NV at (S, Navy), SHIRT-M-NV at (M, Navy)."""
    family = ProductFamily.objects.create(
        code="SHIRT",
        name="Work shirt with your logo",
        row_axis="Size",
        row_values="S\nM\nL",
        column_axis="Colour",
        column_values="Navy\nGrey",
    )
    for sku, size in (("SHIRT-S-NV", "S"), ("SHIRT-M-NV", "M")):
        FamilyVariant.objects.create(
            family=family, product=ProductFactory(sku=sku), row_value=size, column_value="Navy"
        )
    return family


def change_form(admin_client, family, **changes) -> tuple[str, dict]:
    """The family's change form as the admin posts it back, with `changes`."""
    from tests.test_admin import form_data

    url = reverse("admin:catalog_productfamily_change", args=[family.pk])
    return url, form_data(admin_client.get(url), ProductFamily) | changes


def variant_field(data: dict, sku: str, field: str) -> str:
    """The name of `field` in the inline row of the variant of `sku`."""
    from comptoir.catalog.models import Product

    pk = str(Product.objects.get(sku=sku).pk)
    (prefix,) = [
        name[: -len("product")]
        for name, value in data.items()
        if name.endswith("-product") and value == pk
    ]
    return prefix + field


def stored_cells():
    return sorted(FamilyVariant.objects.values_list("product__sku", "row_value", "column_value"))


OFF_GRID = (
    "These variants use values that are no longer among the axes and would leave the grid: "
    "%s. Move them to remaining values in the variants below, or keep the values they use."
)


@pytest.mark.django_db
def test_removing_a_value_that_variants_use_is_refused_naming_them(admin_client, shirts):
    url, data = change_form(admin_client, shirts, row_values="M\nL\nXL")
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert OFF_GRID % "SHIRT-S-NV (S × Navy)" in refused.content.decode()
    shirts.refresh_from_db()
    assert shirts.rows == ["S", "M", "L"]
    assert stored_cells() == [("SHIRT-M-NV", "M", "Navy"), ("SHIRT-S-NV", "S", "Navy")]

    # the same save moving the variant to a remaining value is taken
    data[variant_field(data, "SHIRT-S-NV", "row_value")] = "XL"
    assert admin_client.post(url, data).status_code == 302
    shirts.refresh_from_db()
    assert shirts.rows == ["M", "L", "XL"]
    assert stored_cells() == [("SHIRT-M-NV", "M", "Navy"), ("SHIRT-S-NV", "XL", "Navy")]


@pytest.mark.django_db
def test_removing_a_value_is_refused_for_variants_the_form_does_not_show(
    admin_client, shirts, monkeypatch
):
    from comptoir.catalog.admin import FamilyVariantInline

    monkeypatch.setattr(FamilyVariantInline, "max_shown", 1)  # the 2 variants are not shown
    url, data = change_form(admin_client, shirts, column_values="Grey\nWhite")
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert OFF_GRID % "SHIRT-M-NV (M × Navy), SHIRT-S-NV (S × Navy)" in refused.content.decode()
    shirts.refresh_from_db()
    assert shirts.columns == ["Navy", "Grey"]


@pytest.mark.django_db
def test_a_value_respelled_is_respelled_on_its_variants(admin_client, shirts):
    """The grid matches values as the family writes them: the variants follow "NAVY"."""
    url, data = change_form(admin_client, shirts, column_values="NAVY\nGrey")
    assert admin_client.post(url, data).status_code == 302
    assert stored_cells() == [("SHIRT-M-NV", "M", "NAVY"), ("SHIRT-S-NV", "S", "NAVY")]
