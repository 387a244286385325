"""Translations of the catalogue's content (issue 20): pure rules.

The base columns of a product, a category, an attribute or a method are written in the
store's language (`Store.language`); a row's `translations` holds the same fields in other
content languages, `{"en": {"name": "Wood screw"}}`. Kept on the row itself (a JSON
column) rather than in a table of translations, so that every page and API call that reads
the rows reads their translations with them, without a query more or a prefetch to forget.
"""

from django.conf import settings
from django.utils.translation import gettext as _


def choice_list(text: str) -> list[str]:
    """Lines of text, blank ones left out (as catalog/attributes.py reads choices)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def content_languages() -> list[str]:
    """The languages content may be written in: those of the storefront (settings.LANGUAGES,
    which COMPTOIR_LANGUAGES extends)."""
    return [code for code, _name in settings.LANGUAGES]


def language_of(code: str | None) -> str:
    """A language code as the content knows it: `fr-ca` reads French, `""` nothing."""
    return (code or "").lower().split("-")[0]


def translated(translations, field: str, base_value: str, language, base_language: str) -> str:
    """The `field` of a row in `language`: the base value in the store's language, else the
    translation when there is one, else the base value (a buyer reads the store's language
    rather than nothing)."""
    code = (language or "").lower()
    language = language_of(code)
    if not language or base_language in (code, language) or not isinstance(translations, dict):
        return base_value
    # a regional content language (`pt-br`) is written under its own code
    found = translations.get(code) or translations.get(language)
    value = found.get(field) if isinstance(found, dict) else None
    return value if isinstance(value, str) and value else base_value


def translated_choice(value: str, base_choices: str, translated_choices: str) -> str:
    """A choice attribute's value in the translated list: the line at the same place."""
    base, other = choice_list(base_choices), choice_list(translated_choices)
    if len(base) != len(other) or value not in base:
        return value
    return other[base.index(value)]


def cleaned_translations(
    raw, fields: dict[str, int], *, base_language: str, languages: list[str] | None = None
) -> tuple[dict, list[str]]:
    """`raw` translations checked and tidied, and what is wrong with them (nothing is kept
    when something is). `fields` names the translatable fields with their greatest length.

    Each language is a content language other than the store's (its text is the base
    columns'); each field one of `fields`, a string within its length. Text is stripped;
    empty fields and languages left empty are dropped (they read the base value anyway).
    Every channel that writes translations (back office, bundle) calls it."""
    languages = content_languages() if languages is None else languages
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [_("Translations are an object of languages.")]
    problems, cleaned = [], {}
    for language, values in raw.items():
        if language == base_language:
            problems.append(
                _("%(language)s is the store's language: its text goes in the fields themselves.")
                % {"language": language}
            )
            continue
        if language not in languages:
            problems.append(
                _("%(language)s is not a content language (%(languages)s).")
                % {"language": language, "languages": ", ".join(languages)}
            )
            continue
        if not isinstance(values, dict):
            problems.append(
                _("The %(language)s translation is an object of fields.") % {"language": language}
            )
            continue
        kept = {}
        for field, value in values.items():
            params = {"language": language, "field": field}
            if field not in fields:
                problems.append(
                    _("%(field)s cannot be translated (only %(fields)s).")
                    % {"field": field, "fields": ", ".join(fields)}
                )
            elif not isinstance(value, str):
                problems.append(_("The %(language)s %(field)s is not text.") % params)
            elif len(value.strip()) > fields[field]:
                problems.append(
                    _("The %(language)s %(field)s is longer than %(max)s characters.")
                    % {**params, "max": fields[field]}
                )
            elif value.strip():
                kept[field] = value.strip()
        if kept:
            cleaned[language] = kept
    return ({}, problems) if problems else (cleaned, [])


def choices_problems(translations: dict, base_choices: str) -> list[str]:
    """A choice attribute's translated choices name as many values as its own, in order."""
    count = len(choice_list(base_choices))
    return [
        _("The %(language)s choices must have %(count)s lines, one per choice, in order.")
        % {"language": language, "count": count}
        for language, values in translations.items()
        if "choices" in values and len(choice_list(values["choices"])) != count
    ]
