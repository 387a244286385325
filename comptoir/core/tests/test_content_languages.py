"""The rules of catalogue translations (core/content_languages.py), pure."""

import pytest

from comptoir.core.content_languages import (
    choices_problems,
    cleaned_translations,
    translated,
    translated_choice,
)

SCREW = {"en": {"name": "Wood screw 4x40", "description": "Zinc-plated steel."}}
FIELDS = {"name": 255, "description": 20_000}


def test_a_field_reads_its_translation_in_the_readers_language():
    assert translated(SCREW, "name", "Vis à bois 4x40", "en", "fr") == "Wood screw 4x40"


def test_the_store_language_reads_the_base_column_even_with_a_stale_entry():
    stale = {"fr": {"name": "Ancienne traduction"}}
    assert translated(stale, "name", "Vis à bois 4x40", "fr", "fr") == "Vis à bois 4x40"


def test_a_missing_language_field_or_empty_text_falls_back_to_the_store_language():
    assert translated(SCREW, "name", "Vis à bois 4x40", "de", "fr") == "Vis à bois 4x40"
    assert translated({"en": {"name": ""}}, "name", "Vis", "en", "fr") == "Vis"
    assert translated({"en": {}}, "name", "Vis", "en", "fr") == "Vis"
    assert translated({}, "name", "Vis", "en", "fr") == "Vis"
    assert translated(None, "name", "Vis", "en", "fr") == "Vis"


def test_a_regional_language_reads_its_language():
    assert translated(SCREW, "name", "Vis à bois 4x40", "en-gb", "fr") == "Wood screw 4x40"


def test_a_choice_reads_the_translated_line_at_its_place():
    assert translated_choice("Inox A2", "Acier zingué\nInox A2", "Zinc-plated steel\nA2") == "A2"
    # lists of different lengths or an unknown value: the stored value
    assert translated_choice("Inox A2", "Acier zingué\nInox A2", "A2") == "Inox A2"
    assert translated_choice("Laiton", "Acier zingué\nInox A2", "Steel\nA2") == "Laiton"


def test_translations_are_stripped_and_empty_ones_dropped():
    raw = {"en": {"name": "  Wood screw  ", "description": " "}, "de": {"name": ""}}
    cleaned, problems = cleaned_translations(
        raw, FIELDS, base_language="fr", languages=["en", "fr", "de"]
    )
    assert (cleaned, problems) == ({"en": {"name": "Wood screw"}}, [])


def test_bad_translations_are_refused_whole_with_a_reason_each():
    raw = {
        "fr": {"name": "Vis"},
        "xx": {"name": "?"},
        "de": "Holzschraube",
        "en": {"colour": "grey", "name": 12, "description": "x" * 20_001},
    }
    cleaned, problems = cleaned_translations(
        raw, FIELDS, base_language="fr", languages=["en", "fr", "de"]
    )
    assert cleaned == {}
    assert problems == [
        "fr is the store's language: its text goes in the fields themselves.",
        "xx is not a content language (en, fr, de).",
        "The de translation is an object of fields.",
        "colour cannot be translated (only name, description).",
        "The en name is not text.",
        "The en description is longer than 20000 characters.",
    ]
    assert cleaned_translations(["en"], FIELDS, base_language="fr") == (
        {},
        ["Translations are an object of languages."],
    )


def test_translated_choices_name_every_choice():
    assert choices_problems({"en": {"choices": "Steel\nA2"}}, "Acier\nInox A2") == []
    assert choices_problems({"en": {"choices": "Steel"}}, "Acier\nInox A2") == [
        "The en choices must have 2 lines, one per choice, in order."
    ]


def test_comptoir_languages_adds_content_languages(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from comptoir.settings import _languages

    monkeypatch.setenv("COMPTOIR_LANGUAGES", "en,fr,de, es")
    assert [code for code, _name in _languages()] == ["en", "fr", "de", "es"]
    assert dict(_languages())["de"] == "German"
    monkeypatch.setenv("COMPTOIR_LANGUAGES", "en,klingon")
    with pytest.raises(ImproperlyConfigured, match="klingon is not a language code"):
        _languages()


def test_a_store_in_german_reads_german(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    raw = {"de": {"name": "Holzschraube"}}
    assert cleaned_translations(raw, FIELDS, base_language="fr") == (raw, [])
    assert translated(raw, "name", "Vis à bois", "de", "fr") == "Holzschraube"


def test_a_regional_content_language_reads_its_own_translation():
    """COMPTOIR_LANGUAGES takes regional codes (`pt-br`, `zh-hans`) and translations are
    written under them: a reader of that language gets them, not the store's text."""
    brazil = {"pt-br": {"name": "Parafuso para madeira"}}
    assert translated(brazil, "name", "Wood screw", "pt-br", "en") == "Parafuso para madeira"
    assert translated(brazil, "name", "Wood screw", "pt-BR", "en") == "Parafuso para madeira"
    # a regional reader of a language translated without region reads that translation
    assert translated(SCREW, "name", "Vis à bois 4x40", "en-gb", "fr") == "Wood screw 4x40"
