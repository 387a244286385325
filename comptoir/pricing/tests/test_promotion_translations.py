"""A promotion's name in the buyers' languages (issue 20): checked by the rule every
translated row uses, on the model and in the back office; the store writes in English here."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from comptoir.pricing.models import Promotion
from tests.factories import CustomerGroupFactory, PromotionFactory
from tests.test_admin import form_data


def promotion(**translations) -> Promotion:
    return Promotion(
        code="SCREW-WEEK", name="Screw week", percent=Decimal("7.5"), translations=translations
    )


def test_a_promotion_keeps_its_french_name_trimmed_and_drops_empty_ones(store):
    checked = promotion(fr={"name": " Semaine de la vis "})
    checked.full_clean()
    assert checked.translations == {"fr": {"name": "Semaine de la vis"}}
    assert checked.translated("name", "fr") == "Semaine de la vis"
    assert checked.translated("name", "en") == "Screw week"

    empty = promotion(fr={"name": "  "})
    empty.full_clean()
    assert empty.translations == {}
    assert empty.translated("name", "fr") == "Screw week"


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ({"de": {"name": "Schraubenwoche"}}, "de is not a content language (en, fr)."),
        (
            {"en": {"name": "Screw week"}},
            "en is the store's language: its text goes in the fields themselves.",
        ),
        ({"fr": {"code": "SEMAINE"}}, "code cannot be translated (only name)."),
        ({"fr": {"name": "x" * 201}}, "The fr name is longer than 200 characters."),
        ({"fr": {"name": 7}}, "The fr name is not text."),
        ({"fr": "Semaine de la vis"}, "The fr translation is an object of fields."),
    ],
)
def test_bad_translations_are_refused_by_the_model(store, translations, message):
    refused = promotion(**translations)
    with pytest.raises(ValidationError) as error:
        refused.full_clean()
    assert error.value.message_dict == {"translations": [message]}


def test_a_promotion_gets_its_french_name_in_the_back_office(admin_client, store):
    found = PromotionFactory(
        code="SCREW-WEEK", name="Screw week", customer_groups=[CustomerGroupFactory(code="GOLD")]
    )
    url = f"/admin/pricing/promotion/{found.pk}/change/"
    page = admin_client.get(url)
    assert 'name="name_fr"' in page.text
    assert 'name="name_en"' not in page.text  # English is the store's own language
    data = form_data(page, Promotion)

    refused = admin_client.post(url, data | {"name_fr": "x" * 201})
    assert refused.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 201)." in refused.text
    found.refresh_from_db()
    assert found.translations == {}

    assert admin_client.post(url, data | {"name_fr": " Semaine de la vis "}).status_code == 302
    found.refresh_from_db()
    assert found.translations == {"fr": {"name": "Semaine de la vis"}}
    assert found.name == "Screw week"

    # the form shows it back, and emptying the field removes the translation
    page = admin_client.get(url)
    assert 'value="Semaine de la vis"' in page.text
    assert admin_client.post(url, form_data(page, Promotion) | {"name_fr": ""}).status_code == 302
    found.refresh_from_db()
    assert found.translations == {}
