"""Product listings with filters and facets (issue 20): the one selector of the storefront's
category and search pages and of the API's product listing, so both show the same products.

A listing is the buyer's visible products, in a category (and those below it) or found by a
search, narrowed by filters: attribute values (several values of one attribute: any of
them; several attributes: all of them), in stock, and a range of the buyer's own price.
Each facet counts the products the other filters leave, so ticking a value never hides its
neighbours; only products the buyer may see are counted.

The counts and the total are one statement; the page another. The buyer's prices come from
the pricing engine, which no database can sort or filter by: a price filter or sort prices
every candidate, at most `MAX_PRICED` of them, and is refused beyond (the page says so).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import reduce
from operator import or_

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comptoir.catalog.attributes import CHOICE, NUMBER, TEXT, choice_list, normalized_value
from comptoir.catalog.family_selectors import WITH_FAMILY
from comptoir.catalog.models import Category, Product, ProductAttributeValue
from comptoir.catalog.packagings import with_enabled_packagings
from comptoir.catalog.search import RELEVANCE, ranked, search_condition
from comptoir.catalog.selectors import _restrictions, _visibility_parts, with_card_image
from comptoir.core.admin_money import localized_decimal
from comptoir.core.content_languages import language_of, translated, translated_choice
from comptoir.core.translatable import base_language
from comptoir.core.trees import ancestry, descendants
from comptoir.core.versioned_cache import cached
from comptoir.pricing.offers import offers

SORTS = {
    "relevance": RELEVANCE,
    "name": ("name", "sku"),
    "-name": ("-name", "-sku"),
    "sku": ("sku",),
}
PRICE_SORTS = {"price": False, "-price": True}
"""Sorts by the buyer's own price: the value is whether the dearest come first."""
MAX_PRICED = 1000
"""The most products priced at once to sort or filter by price: the engine prices each."""
MAX_FACET_VALUES = 30
"""The values an attribute's facet shows at most, the most frequent (and the chosen ones)."""
MAX_FILTER_VALUES = 20
ATTRIBUTE_PREFIX = "attr."
MAX_PRICE = Decimal("1e12")
MAX_PRICE_DECIMALS = 12
TRUE_WORDS, FALSE_WORDS = {"1", "true", "on", "yes"}, {"", "0", "false", "off", "no"}


@dataclass(frozen=True)
class Definition:
    """An attribute a category's listing is filtered by (catalog.AttributeDefinition)."""

    pk: int
    code: str
    label: str
    type: str
    unit: str
    choices: tuple[str, ...]
    shown: dict[str, str] = field(default_factory=dict, compare=False)
    """A choice as the reader's language writes it, by its stored value."""


@dataclass(frozen=True)
class CategoryScope:
    """A category as listings see it: its id and those below it, and its attributes with
    those it inherits, in the order they are shown."""

    code: str
    ids: tuple[int, ...]
    definitions: tuple[Definition, ...]


def category_scope(code: str) -> CategoryScope | None:
    """The category of this code (None: none), its attributes in the active language, read
    with every category once per process, language and version (one query, shared with
    `category_rows`)."""
    return _categories_in(get_language())[1].get(code)


def category_rows(language: str | None = None) -> list[tuple[int, str, str, int | None]]:
    """Every category's id, code, name in `language` and parent's id (the storefront's
    tree)."""
    return _categories_in(language or get_language())[0]


def _categories_in(language: str | None) -> tuple[list, dict[str, CategoryScope]]:
    language = (language or "").lower()  # whole: a regional language has its own text
    return cached(("listing_categories", language), lambda: _categories(language))


def _categories(language: str) -> tuple[list, dict[str, CategoryScope]]:
    rows = Category.objects.values_list(
        "pk",
        "code",
        "name",
        "translations",
        "parent_id",
        "attributes__pk",
        "attributes__code",
        "attributes__label",
        "attributes__type",
        "attributes__unit",
        "attributes__choices",
        "attributes__position",
        "attributes__translations",
        "position",
    )
    base = base_language()
    parents, names, codes, own = {}, {}, {}, {}
    positions = {}
    for pk, code, name, translations, parent, *definition, position in rows:
        name = translated(translations, "name", name, language, base)
        parents[pk], codes[pk], names[pk], positions[pk] = parent, code, name, position
        if definition[0] is not None:
            d_pk, d_code, label, kind, unit, choices, d_position, d_translations = definition
            shown = {
                choice: translated_choice(
                    choice, choices, translated(d_translations, "choices", "", language, base)
                )
                for choice in choice_list(choices)
            }
            own.setdefault(pk, []).append(
                (
                    d_pk,
                    d_code,
                    translated(d_translations, "label", label, language, base),
                    kind,
                    translated(d_translations, "unit", unit, language, base),
                    choices,
                    d_position,
                    shown,
                )
            )
    children: dict[int | None, list[int]] = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    scopes = {}
    for pk, code in codes.items():
        found = [d for above in ancestry(pk, parents) for d in own.get(above, [])]
        found.sort(key=lambda d: (d[6], d[2], d[1]))  # position, label, code
        by_code = {}
        for d_pk, d_code, label, kind, unit, choices, _position, shown in found:
            by_code.setdefault(
                d_code,
                Definition(d_pk, d_code, label, kind, unit, tuple(choice_list(choices)), shown),
            )
        scopes[code] = CategoryScope(
            code, tuple(descendants([pk], children)), tuple(by_code.values())
        )
    ordered = sorted(parents, key=lambda pk: (positions[pk], names[pk], pk))
    return [(pk, codes[pk], names[pk], parents[pk]) for pk in ordered], scopes


@dataclass(frozen=True)
class Filters:
    """What a listing is narrowed by, as read from a query string (`parse_filters`)."""

    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    in_stock: bool = False
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    @property
    def by_price(self) -> bool:
        return self.price_min is not None or self.price_max is not None

    def key(self) -> tuple:
        """What copies of a listing are kept by (core/versioned_cache.py)."""
        return (self.attributes, self.in_stock, self.price_min, self.price_max)

    def query(self) -> list[tuple[str, str]]:
        """The filters as query string pairs, for the links of the listing's pages."""
        pairs = [
            (ATTRIBUTE_PREFIX + code, value) for code, values in self.attributes for value in values
        ]
        if self.in_stock:
            pairs.append(("in_stock", "1"))
        for name in ("price_min", "price_max"):
            if getattr(self, name) is not None:
                pairs.append((name, format(getattr(self, name), "f")))
        return pairs


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def parse_filters(
    params, scope: CategoryScope | None, *, sees_prices: bool
) -> tuple[Filters, list[Problem]]:
    """The filters of `params` (a QueryDict), and the problems of those refused: an unknown
    attribute, a value not of its type, a price that is not a number or below zero, a
    price filter for a buyer who does not see prices."""
    problems = []
    definitions = {d.code: d for d in scope.definitions} if scope else {}
    attributes = []
    for name in sorted(key for key in params if key.startswith(ATTRIBUTE_PREFIX)):
        code = name[len(ATTRIBUTE_PREFIX) :]
        definition = definitions.get(code)
        if definition is None:
            problems.append(Problem(name, _unknown_attribute(code, scope)))
            continue
        values = []
        for raw in params.getlist(name)[:MAX_FILTER_VALUES]:
            if not raw.strip():
                continue
            value, problem = normalized_value(definition.type, list(definition.choices), raw)
            if problem:
                problems.append(Problem(name, f"{definition.label}: {problem}"))
            elif value not in values:
                values.append(value)
        if values:
            attributes.append((code, tuple(sorted(values))))
    in_stock = params.get("in_stock", "").strip().lower()
    if in_stock not in TRUE_WORDS | FALSE_WORDS:
        problems.append(Problem("in_stock", _("“In stock” is 1 or 0.")))
    prices = {}
    for name in ("price_min", "price_max"):
        raw = params.get(name, "").strip()
        if not raw:
            continue
        if not sees_prices:
            problems.append(
                Problem(name, _("Log in with a role that sees prices to filter by price."))
            )
            continue
        price, problem = _price(raw)
        if problem:
            problems.append(Problem(name, problem))
        else:
            prices[name] = price
    if len(prices) == 2 and prices["price_min"] > prices["price_max"]:
        problems.append(Problem("price_max", _("The highest price is below the lowest.")))
        prices = {}
    return (
        Filters(
            attributes=tuple(attributes),
            in_stock=in_stock in TRUE_WORDS,
            price_min=prices.get("price_min"),
            price_max=prices.get("price_max"),
        ),
        problems,
    )


def _unknown_attribute(code: str, scope: CategoryScope | None) -> str:
    if scope is None:
        return _("Choose a category to filter by its attributes.")
    return _("The category has no attribute “%(code)s”.") % {"code": code[:50]}


def _price(raw: str) -> tuple[Decimal | None, str | None]:
    try:
        price = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None, _("Write the price as a number, e.g. 12.50.")
    if not price.is_finite() or abs(price) >= MAX_PRICE:
        return None, _("Write the price as a number, e.g. 12.50.")
    # `1e-999999` would be written out in full in every link of the page (`Filters.query`)
    if price and price.normalize().as_tuple().exponent < -MAX_PRICE_DECIMALS:
        return None, _("Write the price as a number, e.g. 12.50.")
    if price < 0:
        return None, _("A price cannot be below zero.")
    return price.normalize() if price else Decimal(0), None


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool
    label: str
    """The value as the reader's language writes it (a choice's translated line, a text's
    translation); `value` stays the stored one, which filters."""


@dataclass(frozen=True)
class AttributeFacet:
    code: str
    label: str
    type: str
    unit: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Facets:
    attributes: tuple[AttributeFacet, ...] = ()
    in_stock: int = 0
    """The products in stock among those the other filters leave."""
    price_refused: bool = False
    """A price filter was asked for a listing of more than `MAX_PRICED` products."""


@dataclass
class Listing:
    """A listing's total and facets (read at once) and its pages (read when asked)."""

    count: int
    facets: Facets
    sort: str
    sort_refused: bool = False
    """A price sort was asked for more than `MAX_PRICED` products: sorted by name."""
    queryset: QuerySet | None = None
    rank: object = None
    """The search's rank (catalog/search.py), to order a page by relevance."""
    ids: list[int] = field(default_factory=list)
    """Sorted by price: the products' ids in order."""

    def products(self, start: int, stop: int, *, packagings: bool = False) -> list[Product]:
        """The products from `start` to `stop` in the listing's order, with their card's
        picture, their family and, if asked, their enabled packagings (one query). The page's
        ids are chosen first, in a subquery: an OFFSET then skips index entries, not product
        rows with their pictures (bench/README.md)."""
        rows = with_card_image(Product.objects.select_related("category", WITH_FAMILY))
        if packagings:
            rows = with_enabled_packagings(rows)
        if self.queryset is None:
            found = rows.in_bulk(self.ids[start:stop])
            return [found[pk] for pk in self.ids[start:stop] if pk in found]
        order = self.queryset.query.order_by
        rows = rows.filter(pk__in=self.queryset.values("pk")[start:stop])
        if self.rank is not None:
            rows = ranked(rows, self.rank)
        return list(rows.order_by(*order))


def product_listing(
    buyer,
    *,
    scope: CategoryScope | None = None,
    category_ids=None,
    search: str = "",
    filters: Filters = Filters(),
    sort: str = "name",
) -> Listing:
    """The `buyer`'s listing (a storefront viewer or an API caller: its group, company,
    store and whether it sees prices). `category_ids` narrow it further than the scope's
    (the storefront leaves out categories the viewer sees nothing in)."""
    narrowing = _restrictions(buyer.group)
    if scope is not None:
        narrowing &= Q(category_id__in=category_ids if category_ids is not None else scope.ids)
    rank = None
    if search:
        condition, rank = search_condition(search)
        narrowing &= condition
    elif sort == "relevance":
        sort = "name"
    parts = _visibility_parts(buyer.group, buyer.company)
    base = Product.objects.filter(reduce(or_, parts), narrowing)
    definitions = {d.code: d for d in scope.definitions} if scope else {}
    chosen = dict(filters.attributes)

    def by_attributes(field: str, leaving: str | None = None) -> Q:
        condition = Q()
        for code, values in chosen.items():
            if code != leaving:
                found = ProductAttributeValue.objects.filter(
                    definition_id=definitions[code].pk, value__in=values
                )
                condition &= Q(**{f"{field}__in": found.values("product_id")})
        return condition

    stock = Q(stock__gt=0) if filters.in_stock else Q()
    price_ids, price_refused, prices = None, False, None
    if buyer.sees_prices and (filters.by_price or sort in PRICE_SORTS):
        prices = _buyer_prices(buyer, base)
        if prices is None:
            price_refused = filters.by_price
        elif filters.by_price:
            low, high = filters.price_min, filters.price_max
            price_ids = [
                pk
                for pk, price in prices.items()
                if price is not None
                and (low is None or price >= low)
                and (high is None or price <= high)
            ]
    by_price = Q(pk__in=price_ids) if price_ids is not None else Q()
    kept = by_attributes("pk") & stock & by_price
    count, in_stock, values = _counts(
        [Product.objects.filter(part, narrowing, kept) for part in parts],
        [
            Product.objects.filter(part, narrowing, by_attributes("pk"), by_price, stock__gt=0)
            for part in parts
        ],
        _value_counts(base.filter(stock, by_price), definitions, by_attributes),
    )
    facets = Facets(
        attributes=_attribute_facets(definitions, chosen, values),
        in_stock=in_stock,
        price_refused=price_refused,
    )
    listing = base.filter(kept).select_related("category")
    if rank is not None:
        listing = ranked(listing, rank)
    if sort in PRICE_SORTS:
        if prices is not None:
            ids = set(prices)  # unfiltered, the listing is the candidates priced
            if kept:
                ids = set(listing.values_list("pk", flat=True)) if count else set()
            dearest_first = PRICE_SORTS[sort]
            priced = sorted(
                (pk for pk in ids if prices.get(pk) is not None),
                key=lambda pk: (prices[pk], pk),
                reverse=dearest_first,
            )
            on_request = sorted(pk for pk in ids if prices.get(pk) is None)
            return Listing(count, facets, sort, ids=priced + on_request)
        sort_refused = buyer.sees_prices
        sort = "relevance" if rank is not None else "name"
        order = SORTS[sort]
        return Listing(
            count, facets, sort, sort_refused, queryset=listing.order_by(*order), rank=rank
        )
    order = SORTS.get(sort, SORTS["name"])
    return Listing(count, facets, sort, queryset=listing.order_by(*order), rank=rank)


def _buyer_prices(buyer, candidates: QuerySet[Product]) -> dict[int, Decimal | None] | None:
    """Each candidate's unit price for the buyer at its minimum orderable quantity (None:
    on request), as the listing shows it; None for more than `MAX_PRICED` candidates."""
    fields = ("pk", "sku", "name", "category_id", "min_qty", "max_qty", "qty_step")
    found = list(candidates.select_related(None).only(*fields).order_by()[: MAX_PRICED + 1])
    if len(found) > MAX_PRICED:
        return None
    priced = offers(
        store=buyer.store,
        group=buyer.group,
        company=buyer.company,
        products=found,
        with_prices=True,
    )
    return {offer.product.pk: offer.breaks[0][1] if offer.breaks else None for offer in priced}


def _value_counts(base, definitions, by_attributes) -> QuerySet | None:
    """Per attribute value and its translation in the reader's language (a text's, read
    from the same rows), the products having it among `base` (the listing with its stock
    and price filters) that the other attributes' filters leave."""
    if not definitions:
        return None
    each = []
    for code, definition in definitions.items():
        others = by_attributes("product_id", leaving=code)
        each.append(Q(definition_id=definition.pk) & others)
    return (
        ProductAttributeValue.objects.filter(
            definition_id__in=[d.pk for d in definitions.values()],
            product_id__in=base.values("pk"),
        )
        .values("definition_id", "value", label=_translation_in_reader_language())
        .annotate(products=Count("product_id", filter=reduce(or_, each)))
        .order_by()
    )


def _translation_in_reader_language():
    """A value's `translations` in the active language as core/content_languages.translated
    reads them (the regional code, else its language), NULL in the store's language."""
    code = (get_language() or "").lower()
    language, base = language_of(code), base_language()
    if not language or base in (code, language):
        return Value(None, output_field=CharField())
    found = KT(f"translations__{code}__value")
    return found if code == language else Coalesce(found, KT(f"translations__{language}__value"))


def _counts(parts, in_stock, values) -> tuple[int, int, list[tuple[int, str, str | None, int]]]:
    """The total of the disjoint `parts`, of the disjoint `in_stock` parts, and the `values`
    rows, in one statement. Each part is counted in a subquery of its own, so each gets a
    plan of its own: the products visible to all are counted from an index alone
    (product_visibility_idx, product_in_stock_idx), where a COUNT of their OR reads every
    product row on PostgreSQL."""
    branches, params, alias = [], [], Product.objects.db
    if values is not None:
        _branch(branches, params, "SELECT 2, v.* FROM ({}) v", values)
    for part in parts:
        _branch(
            branches, params, "SELECT 0, NULL, NULL, NULL, COUNT(*) FROM ({}) p", part.values("pk")
        )
    for part in in_stock:
        _branch(
            branches, params, "SELECT 1, NULL, NULL, NULL, COUNT(*) FROM ({}) s", part.values("pk")
        )
    if not branches:
        return 0, 0, []
    with connections[alias].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        rows = cursor.fetchall()
    count = sum(row[4] for row in rows if row[0] == 0)
    stocked = sum(row[4] for row in rows if row[0] == 1)
    return count, stocked, [row[1:] for row in rows if row[0] == 2]


def _branch(branches: list, params: list, template: str, queryset: QuerySet) -> None:
    query = queryset.order_by().query
    try:
        sql, query_params = query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. a category with nothing the buyer sees: nothing to count
        return
    branches.append(template.format(sql))
    params.extend(query_params)


def _attribute_facets(definitions, chosen, rows) -> tuple[AttributeFacet, ...]:
    counts: dict[int, dict[str, int]] = {}
    translations: dict[tuple[int, str], dict[str, int]] = {}
    for definition_id, value, translation, products in rows:
        if products:
            found = counts.setdefault(definition_id, {})
            found[value] = found.get(value, 0) + products
            if translation:
                translations.setdefault((definition_id, value), {})[translation] = products
    facets = []
    for code, definition in definitions.items():
        found = counts.get(definition.pk, {})
        selected = set(chosen.get(code, ()))
        shown = sorted(found, key=lambda value: -found[value])[:MAX_FACET_VALUES]
        shown = set(shown) | selected
        if not shown:
            continue
        labels = {
            value: _label(definition, value, translations.get((definition.pk, value), {}))
            for value in shown
        }
        values = tuple(
            FacetValue(value, found.get(value, 0), value in selected, labels[value])
            for value in sorted(shown, key=_value_order(definition, labels))
        )
        facets.append(
            AttributeFacet(
                definition.code, definition.label, definition.type, definition.unit, values
            )
        )
    return tuple(facets)


def _label(definition: Definition, value: str, translations: dict[str, int]) -> str:
    """A facet value as the reader writes it: a number in the active language's format
    (3.5, 3,5 in French; grouped as the product page's spec table writes it), a choice in
    the reader's language, a text as its `translations` (the products' own, by how many
    carry each) write it the most, else as stored. The facets are copied per language
    (views/catalog.py, api.py)."""
    if definition.type == NUMBER:
        number = _number(value)
        return value if number is MAX_PRICE else localized_decimal(number, 0, grouping=True)
    if definition.type == TEXT and translations:
        return min(translations, key=lambda text: (-translations[text], text))
    return definition.shown.get(value, value)


def _value_order(definition: Definition, labels: dict[str, str]):
    """Numbers by size, choices in the merchant's order, texts alphabetically as the reader
    reads them (their labels)."""
    if definition.type == NUMBER:
        return lambda value: (_number(value), value)
    if definition.type == CHOICE:
        positions = {choice: n for n, choice in enumerate(definition.choices)}
        return lambda value: (positions.get(value, len(positions)), value.casefold())
    return lambda value: (labels[value].casefold(), value)


def _number(value: str) -> Decimal:
    """A number attribute's value for sorting; one written past the checks sorts last."""
    try:
        return Decimal(value)
    except InvalidOperation:
        return MAX_PRICE
