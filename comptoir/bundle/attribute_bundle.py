"""Product attributes in a bundle (docs/bundle.md, "Attributes"): `categories[].attributes`
define them, `products[].attributes` give values and `products[].attribute_translations` the
text values in other languages, checked as the back office checks them (catalog/attributes.py,
core/content_languages.py), in English whatever the language."""

from django.utils import translation

from comptoir.bundle import translation_bundle
from comptoir.catalog.attributes import (
    CHOICE,
    MAX_VALUE_LENGTH,
    normalized_value,
    translation_refusal,
)
from comptoir.catalog.models import (
    AttributeDefinition,
    Category,
    Product,
    ProductAttributeValue,
)
from comptoir.core.content_languages import cleaned_translations
from comptoir.core.trees import ancestry


def check_category_attributes(errors, position, category) -> None:
    seen = set()
    for index, attribute in enumerate(category.attributes or ()):
        path = f"categories[{position}].attributes[{index}]"
        if attribute.code in seen:
            errors.add(f"{path}.code", f"duplicate attribute {attribute.code!r}")
        seen.add(attribute.code)
        if attribute.type == CHOICE and not attribute.choices:
            errors.add(f"{path}.choices", "a choice needs at least one value")


class KeptTranslations:
    """An attribute the bundle lists without `translations` keeps those it has: they must
    still name its choices one for one, as the back office checks them
    (`AttributeDefinition.translation_problems`), or the bundle is refused rather than the
    translated choices read against other values. Read once, at the first such attribute."""

    def __init__(self):
        self._stored = None

    def check(self, errors, path: str, category: str, attribute) -> None:
        if self._stored is None:
            self._stored = {
                (category_code, code): translations
                for category_code, code, translations in AttributeDefinition.objects.values_list(
                    "category__code", "code", "translations"
                )
            }
        stored = self._stored.get((category, attribute.code))
        if not stored or attribute.type != CHOICE:
            return
        base = {"choices": "\n".join(attribute.choices)}
        with translation.override("en"):
            for language, field, problem in AttributeDefinition.translation_problems(stored, base):
                errors.add(
                    f"{path}.translations.{language}.{field}",
                    f"{problem} (the stored translation, kept as the bundle gives none)",
                )


class Definitions:
    """The attributes each category code may have, its own and its ancestors' (the nearest
    wins): the bundle's categories that list them, else the database's. Read once, when a
    product first names an attribute."""

    def __init__(self, categories: list):
        self.bundle = categories
        self._by_category = None

    def of(self, category: str | None) -> dict[str, tuple[str, list[str]]]:
        if category is None:
            return {}
        if self._by_category is None:
            self._by_category = self._read()
        parents, own = self._by_category
        found: dict = {}
        for code in reversed(ancestry(category, parents)):
            found.update(own.get(code, {}))
        return found

    def _read(self):
        parents = dict(Category.objects.values_list("code", "parent__code"))
        own: dict[str, dict] = {}
        for code, attr, kind, choices in AttributeDefinition.objects.values_list(
            "category__code", "code", "type", "choices"
        ):
            own.setdefault(code, {})[attr] = (kind, [c for c in choices.splitlines() if c])
        for category in self.bundle:
            parents[category.code] = category.parent
            if category.attributes is not None:
                own[category.code] = {a.code: (a.type, a.choices) for a in category.attributes}
        return parents, own


def check_product_attributes(errors, path, product, definitions: Definitions) -> None:
    if not product.attributes:
        return
    allowed = definitions.of(product.category)
    for code, raw in product.attributes.items():
        where = f"{path}.attributes.{code}"
        if code not in allowed:
            errors.add(where, "not an attribute of the product's category or those above it")
            continue
        kind, choices = allowed[code]
        _value, problem = normalized_value(kind, choices, raw)
        if problem:
            with translation.override("en"):
                errors.add(where, str(problem))


def check_attribute_translations(errors, path, product, definitions: Definitions, base) -> None:
    """`attribute_translations` name the product's text values in content languages other
    than the store's, each within a value's length (`translated_values` writes them)."""
    raw = product.attribute_translations
    if raw is None:
        return
    where = f"{path}.attribute_translations"
    if product.attributes is None:
        errors.add(where, "give the product's attributes with their translations")
        return
    allowed = definitions.of(product.category)
    refused = {
        code: refusal
        for code in product.attributes
        if code in allowed and (refusal := translation_refusal(allowed[code][0])) is not None
    }
    # A number's or a choice's translation is told why on its own path, and the others are
    # told which codes take one: the product's text values.
    texts = {
        language: {c: v for c, v in values.items() if c not in refused}
        if isinstance(values, dict)
        else values
        for language, values in raw.items()
    }
    fields = _fields(code for code in product.attributes if code in allowed and code not in refused)
    with translation.override("en"):
        for problem in cleaned_translations(texts, fields, base_language=base)[1]:
            errors.add(where, str(problem))
        for language, values in raw.items():
            for code in values if isinstance(values, dict) else ():
                if code in refused:
                    errors.add(f"{where}.{language}.{code}", str(refused[code]))


def _fields(codes) -> dict[str, int]:
    """Attribute codes as the translatable fields of their values."""
    return dict.fromkeys(codes, MAX_VALUE_LENGTH)


def translated_values(attributes: dict, raw, base: str) -> dict[str, dict] | None:
    """Each value's `translations` column, by attribute code, from a checked
    `attribute_translations` (None: the bundle gives none)."""
    if raw is None:
        return None
    cleaned = cleaned_translations(raw, _fields(attributes), base_language=base)[0]
    found: dict[str, dict] = {code: {} for code in attributes}
    for language, values in cleaned.items():
        for code, text in values.items():
            found[code][language] = {"value": text}
    return found


def write_category_attributes(categories: list, category_ids: dict, base: str) -> None:
    """Each listed category's attributes as the bundle says; one no longer listed goes,
    with its values."""
    for category in categories:
        if category.attributes is None:
            continue
        category_id = category_ids[category.code]
        codes = [a.code for a in category.attributes]
        AttributeDefinition.objects.filter(category_id=category_id).exclude(code__in=codes).delete()
        for attribute in category.attributes:
            AttributeDefinition.objects.update_or_create(
                category_id=category_id,
                code=attribute.code,
                defaults={
                    "label": attribute.label,
                    "type": attribute.type,
                    "unit": attribute.unit,
                    "choices": "\n".join(attribute.choices),
                    "position": attribute.position,
                    **translation_bundle.values(attribute.translations, AttributeDefinition, base),
                },
            )


def write_product_attributes(wanted: dict[int, tuple[dict[str, str], dict | None]]) -> None:
    """The listed products' values and their translations (`translated_values`) as the bundle
    says (checked in the first pass). Without translations in the bundle, a value keeps its
    own while its text is unchanged: they translate that text, not the next."""
    if not wanted:
        return
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    own: dict[int, dict] = {}
    for definition in AttributeDefinition.objects.all():
        own.setdefault(definition.category_id, {})[definition.code] = definition
    categories = dict(Product.objects.filter(pk__in=wanted).values_list("pk", "category_id"))
    current = {
        (v.product_id, v.definition_id): v
        for v in ProductAttributeValue.objects.filter(product_id__in=wanted)
    }
    rows = []
    for product_id, (values, translations) in wanted.items():
        allowed: dict = {}
        for category_id in reversed(ancestry(categories[product_id], parents)):
            allowed.update(own.get(category_id, {}))
        for code, raw in values.items():
            definition = allowed[code]
            value, _problem = normalized_value(
                definition.type, [c for c in definition.choices.splitlines() if c], raw
            )
            if translations is not None:
                kept = translations[code]
            else:
                stored = current.get((product_id, definition.pk))
                kept = stored.translations if stored is not None and stored.value == value else {}
            rows.append(
                ProductAttributeValue(
                    product_id=product_id, definition=definition, value=value, translations=kept
                )
            )
    if {key: (v.value, v.translations) for key, v in current.items()} == {
        (r.product_id, r.definition_id): (r.value, r.translations) for r in rows
    }:
        return
    # Without a signal per value (each would bump the cache version and rewrite the search
    # text): the loader bumps once and rewrites the search text of the chunk.
    stale = ProductAttributeValue.objects.filter(product_id__in=wanted)
    stale._raw_delete(stale.db)
    ProductAttributeValue.objects.bulk_create(rows)
