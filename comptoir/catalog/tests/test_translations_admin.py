"""The back office edits translations per content language (issue 20), checked by the rule
the bundle uses: the store writes in English here, so the form asks for French."""

from comptoir.catalog.models import AttributeDefinition, AttributeType, Category, ProductFamily
from comptoir.payments.models import ShippingMethod
from tests.factories import CategoryFactory, ShippingMethodFactory
from tests.test_admin import form_data


def test_a_category_and_its_attributes_get_their_french_text(admin_client, store):
    category = CategoryFactory(code="SCREWS", name="Screws")
    AttributeDefinition.objects.create(
        category=category,
        code="material",
        label="Material",
        type=AttributeType.CHOICE,
        choices="Steel\nBrass",
    )
    url = f"/admin/catalog/category/{category.pk}/change/"
    page = admin_client.get(url)
    assert 'name="name_fr"' in page.text
    assert 'name="name_en"' not in page.text  # English is the store's own language
    data = form_data(page, Category) | {
        "name_fr": " Vis ",
        "attributes-0-label_fr": "Matière",
        "attributes-0-choices_fr": "Acier\nLaiton",
    }
    assert admin_client.post(url, data).status_code == 302
    category.refresh_from_db()
    assert category.translations == {"fr": {"name": "Vis"}}
    assert AttributeDefinition.objects.get().translations == {
        "fr": {"label": "Matière", "choices": "Acier\nLaiton"}
    }

    # the form shows them back, and emptying a field removes its translation
    page = admin_client.get(url)
    assert 'value="Vis"' in page.text
    data = form_data(page, Category) | {"name_fr": ""}
    assert admin_client.post(url, data).status_code == 302
    category.refresh_from_db()
    assert category.translations == {}


def test_translated_choices_must_match_the_choices(admin_client, store):
    category = CategoryFactory(code="SCREWS", name="Screws")
    AttributeDefinition.objects.create(
        category=category,
        code="material",
        label="Material",
        type=AttributeType.CHOICE,
        choices="Steel\nBrass",
    )
    url = f"/admin/catalog/category/{category.pk}/change/"
    data = form_data(admin_client.get(url), Category) | {"attributes-0-choices_fr": "Acier"}
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "The fr choices must have 2 lines, one per choice, in order." in refused.text
    assert AttributeDefinition.objects.get().translations == {}


def test_a_method_gets_its_french_name_and_a_too_long_one_is_refused(admin_client, store):
    method = ShippingMethodFactory(code="STD", name="Standard delivery")
    url = f"/admin/payments/shippingmethod/{method.pk}/change/"
    data = form_data(admin_client.get(url), ShippingMethod)
    refused = admin_client.post(url, data | {"name_fr": "x" * 201})
    assert refused.status_code == 200
    method.refresh_from_db()
    assert method.translations == {}
    assert admin_client.post(url, data | {"name_fr": "Livraison standard"}).status_code == 302
    method.refresh_from_db()
    assert method.translations == {"fr": {"name": "Livraison standard"}}


def test_the_store_names_its_content_language(admin_client, store):
    page = admin_client.get(f"/admin/core/store/{store.pk}/change/")
    assert '<option value="en" selected>English</option>' in page.text


def test_a_family_gets_its_french_name_and_axis_names(admin_client, store):
    family = ProductFamily.objects.create(
        code="GLV-NITRILE",
        name="Nitrile gloves",
        row_axis="Size",
        row_values="7\n8",
        column_axis="Colour",
        column_values="Black\nBlue",
    )
    url = f"/admin/catalog/productfamily/{family.pk}/change/"
    page = admin_client.get(url)
    assert 'name="row_axis_fr"' in page.text
    data = form_data(page, ProductFamily)
    refused = admin_client.post(url, data | {"row_axis_fr": "x" * 51})
    assert refused.status_code == 200
    family.refresh_from_db()
    assert family.translations == {}
    data |= {"name_fr": "Gants nitrile", "row_axis_fr": "Taille", "column_axis_fr": "Couleur"}
    assert admin_client.post(url, data).status_code == 302
    family.refresh_from_db()
    assert family.translations == {
        "fr": {"name": "Gants nitrile", "row_axis": "Taille", "column_axis": "Couleur"}
    }


def test_a_family_gets_its_french_axis_values_one_for_one(admin_client, store):
    family = ProductFamily.objects.create(
        code="GLV-NITRILE",
        name="Nitrile gloves",
        row_axis="Size",
        row_values="7\n8",
        column_axis="Colour",
        column_values="Black\nBlue",
    )
    url = f"/admin/catalog/productfamily/{family.pk}/change/"
    page = admin_client.get(url)
    assert 'name="column_values_fr"' in page.text
    assert "values of the second axis (French)" in page.text
    data = form_data(page, ProductFamily)
    for wrong, message in (
        ("Noir", "The fr translation must give 2 values, one per value of the axis, in order."),
        ("Noir\nnoir", "The fr values give noir twice."),
        ("Noir\n" + "B" * 51, "A fr value has at most 50 characters."),
    ):
        refused = admin_client.post(url, data | {"column_values_fr": wrong})
        assert refused.status_code == 200
        assert message in refused.text
    family.refresh_from_db()
    assert family.translations == {}

    assert (
        admin_client.post(url, data | {"column_values_fr": " Noir \n\nBleu\n"}).status_code == 302
    )
    family.refresh_from_db()
    assert family.translations == {"fr": {"column_values": "Noir \n\nBleu"}}
    assert family.column_labels("fr") == ["Noir", "Bleu"]
    assert family.row_labels("fr") == ["7", "8"]

    # a colour added without its French name is refused with a message, not an error page
    page = admin_client.get(url)
    assert "Noir \n\nBleu</textarea>" in page.text
    data = form_data(page, ProductFamily) | {"column_values": "Black\nBlue\nRed"}
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "The fr translation must give 3 values, one per value of the axis, in order." in (
        refused.text
    )
    data["column_values_fr"] = "Noir\nBleu\nRouge"
    assert admin_client.post(url, data).status_code == 302
    family.refresh_from_db()
    assert (family.columns, family.column_labels("fr")) == (
        ["Black", "Blue", "Red"],
        ["Noir", "Bleu", "Rouge"],
    )


def test_a_choice_added_without_its_translation_is_refused_with_a_message(admin_client, store):
    category = CategoryFactory(code="SCREWS", name="Screws")
    AttributeDefinition.objects.create(
        category=category,
        code="material",
        label="Material",
        type=AttributeType.CHOICE,
        choices="Steel\nBrass",
        translations={"fr": {"choices": "Acier\nLaiton"}},
    )
    url = f"/admin/catalog/category/{category.pk}/change/"
    data = form_data(admin_client.get(url), Category)
    refused = admin_client.post(url, data | {"attributes-0-choices": "Steel\nBrass\nZinc"})
    assert refused.status_code == 200
    assert "The fr choices must have 3 lines, one per choice, in order." in refused.text
    assert AttributeDefinition.objects.get().choices == "Steel\nBrass"
