"""Translations in a bundle (docs/bundle.md, "Translations"): `translations` on categories,
products, their pictures, attributes, families, methods and promotions, checked by the rule the
back office uses (core/content_languages.py), in English whatever the language. Absent (null):
the row's translations are left as they are; `{}` removes them."""

from django.conf import settings
from django.utils import translation

from comptoir.core.content_languages import choice_list, cleaned_translations, content_languages
from comptoir.core.models import Store


def base_language(index) -> str:
    """The language of the base text: the bundle's store's, else the database's."""
    if index.store is not None and index.store.language is not None:
        return index.store.language
    return Store.objects.values_list("language", flat=True).first() or settings.LANGUAGE_CODE


def check_store_language(errors, index) -> None:
    store = index.store
    if store is None or store.language is None or store.language in content_languages():
        return
    errors.add(
        "store.language",
        f"{store.language!r} is not a content language "
        f"({', '.join(content_languages())}; COMPTOIR_LANGUAGES adds more)",
    )


LISTS = ("choices", "row_values", "column_values")
"""Translated fields that are lists in a bundle and lines of text in the row: an attribute's
choices, a family's axis values."""


def as_text(raw):
    """The translations as the row writes them: the `LISTS` as lines of text."""
    if not isinstance(raw, dict):
        return raw
    return {
        language: (
            {
                field: "\n".join(value) if field in LISTS and isinstance(value, list) else value
                for field, value in values.items()
            }
            if isinstance(values, dict)
            else values
        )
        for language, values in raw.items()
    }


def check(errors, path: str, raw, model, base: str) -> None:
    """Errors at `path.translations` for what the back office would refuse."""
    if raw is None:
        return
    with translation.override("en"):
        _cleaned, problems = cleaned_translations(
            as_text(raw), model.TRANSLATED, base_language=base
        )
        for problem in problems:
            errors.add(f"{path}.translations", str(problem))


def check_choices(errors, path: str, raw, choices: list[str]) -> None:
    """An attribute's translated choices: as many as its own, one for one."""
    for language, values in (raw or {}).items():
        found = values.get("choices") if isinstance(values, dict) else None
        if found is not None and (not isinstance(found, list) or len(found) != len(choices)):
            errors.add(
                f"{path}.translations.{language}.choices",
                f"a list of {len(choices)} choices, one for each of the attribute's, in order",
            )


def cleaned(raw, model, base: str) -> dict:
    """The translations as the row keeps them (the bundle was checked first)."""
    return cleaned_translations(as_text(raw), model.TRANSLATED, base_language=base)[0]


def values(raw, model, base: str) -> dict:
    """The `translations` column to write: nothing when the bundle leaves them as they are."""
    return {} if raw is None else {"translations": cleaned(raw, model, base)}


def dumped(translations: dict) -> dict:
    """A row's translations as a bundle writes them: the `LISTS` as lists."""
    return {
        language: {
            field: choice_list(value) if field in LISTS else value
            for field, value in values.items()
        }
        for language, values in translations.items()
    }
