"""Rows whose text the catalogue shows in the reader's language (issue 20): their
`translations` column and how a page, the API or an e-mail reads a field of them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.core.content_languages import cleaned_translations, translated


def base_language() -> str:
    """The language the base columns are written in: the store's (read from this process's
    copy of the store row), the default language before a store exists."""
    from django.conf import settings

    from comptoir.core.models import Store
    from comptoir.core.selectors import current_store

    try:
        return current_store().language
    except Store.DoesNotExist:
        return settings.LANGUAGE_CODE


def translation_of(row, field: str, language: str | None = None) -> str:
    """The field of a row, or of a copy of one with its `translations` (a method's facts),
    in `language` (the active one by default): the base value without a translation."""
    return translated(
        getattr(row, "translations", None),
        field,
        getattr(row, field),
        language or get_language(),
        base_language(),
    )


class Translatable(models.Model):
    """`TRANSLATED` names the translatable fields with their greatest length."""

    TRANSLATED: dict[str, int] = {}

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The text in other languages, by language and field."),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """The field in `language` (the active one by default), the base value without a
        translation."""
        return translation_of(self, field, language)

    @classmethod
    def translation_problems(cls, translations: dict, base) -> list[tuple[str, str, str]]:
        """What is wrong with checked translations given the base fields (`base[field]`, as
        they are being saved), as (language, field, message): a translated list must name
        the values of its base list one for one. Every writer (the model, the back office's
        form, the bundle) asks here."""
        return []

    def translation_base(self) -> dict:
        """What `translation_problems` reads of the row: its translated fields, and more where
        the rule depends on more (an attribute value's definition, as the form's
        `cleaned_data` holds it)."""
        return {field: getattr(self, field) for field in self.TRANSLATED}

    def clean(self):
        super().clean()
        cleaned, problems = cleaned_translations(
            self.translations, self.TRANSLATED, base_language=base_language()
        )
        if not problems:
            base = self.translation_base()
            problems = [message for *_, message in self.translation_problems(cleaned, base)]
        if problems:
            raise ValidationError({"translations": problems})
        self.translations = cleaned
