"""The back office's fields for the translations of catalogue rows (issue 20): one field per
content language and translatable field (`name_en`, `description_de`), shown for every
language but the store's, whose text is the row's own fields."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from comptoir.core.content_languages import cleaned_translations, content_languages
from comptoir.core.translatable import base_language


def field_name(field: str, language: str) -> str:
    return f"{field}_{language}"


def shown_fields(model) -> list[str]:
    """The translation fields the back office shows now: all but the store language's."""
    base = base_language()
    return [
        field_name(field, language)
        for language in content_languages()
        if language != base
        for field in model.TRANSLATED
    ]


class TranslationsFormMixin:
    """Fills the translation fields from the row and writes them back, checked by the rule
    every channel uses (core/content_languages.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language, values in (self.instance.translations or {}).items():
            for field, value in values.items():
                if field_name(field, language) in self.fields:
                    self.initial[field_name(field, language)] = value

    def clean(self):
        cleaned_data = super().clean()
        model = self._meta.model
        base = base_language()
        raw = {
            language: {
                field: cleaned_data.get(field_name(field, language)) or ""
                for field in model.TRANSLATED
            }
            for language in content_languages()
            if language != base
        }
        translations, problems = cleaned_translations(raw, model.TRANSLATED, base_language=base)
        for problem in problems:
            self.add_error(None, problem)
        wrong = model.translation_problems(translations, cleaned_data)
        for language, field, problem in wrong:
            self.add_error(field_name(field, language), problem)
        if not problems and not wrong:
            self.instance.translations = translations
        return cleaned_data

    def _update_errors(self, errors):
        """The model's check of its `translations` (no field of the form) is the one this form
        made: shown on the translation fields already when it failed, it would otherwise fail
        again on the row's former translations (former choices against new ones)."""
        if hasattr(errors, "error_dict") and "translations" not in self.fields:
            errors.error_dict.pop("translations", None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)


def with_translations(form_class, model):
    """`form_class` with the translation fields of `model` for every content language."""
    names = dict(settings.LANGUAGES)
    declared = {}
    for language in content_languages():
        for field, length in model.TRANSLATED.items():
            model_field = model._meta.get_field(field)
            long_text = isinstance(model_field, models.TextField)
            declared[field_name(field, language)] = forms.CharField(
                label=format_lazy("{} ({})", model_field.verbose_name, names[language]),
                required=False,
                max_length=length,
                widget=forms.Textarea(attrs={"rows": 3}) if long_text else None,
            )
    return type(form_class.__name__, (TranslationsFormMixin, form_class), declared)


class TranslationsAdminMixin:
    """A ModelAdmin (with `fieldsets`) or an inline (with `fields`) showing the fields."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if getattr(self, "fieldsets", None) is None:
            return fieldsets
        return [*fieldsets, (_("Translations"), {"fields": shown_fields(self.model)})]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if getattr(self, "fieldsets", None) is not None:
            return fields
        return [name for name in fields if name not in _all_fields(self.model)] + shown_fields(
            self.model
        )


def _all_fields(model) -> set[str]:
    return {
        field_name(field, language)
        for language in content_languages()
        for field in model.TRANSLATED
    }
