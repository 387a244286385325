"""Product search, one function for the storefront, the API and the quick order (issue 20).

A product is found by its SKU typed whole (first), by the start of its SKU (next), then by
every word typed, each the start of a word of its SKU, name, description or attribute values,
in any content language (`vis inox` finds "Vis à tête inox", `steel` a product whose
material is the choice "Acier" translated "Steel", `galvanized` one whose finish is the text
"Galvanisé" translated "Galvanized"). Case and accents never
matter (`ecrou` finds "Écrou").

Both databases search the same text, `Product.search_text`, folded and split into words by
`folded_words` here, once, by `refresh_search_text` (every writer calls it: the signals of
apps.py for single saves, the bundle loader for its bulk writes). The typed words are folded
by the same function, so the two databases agree on what a word is:

- SQLite (the embedded default): an FTS5 index on `search_text` (catalog migration 0011),
  kept in step by triggers whatever writes the column;
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)` for the words, prefix
  queries (`vis:*`). `simple`, not `french`: SKUs, threads and grades (`M6`, `A2`, `4x40`)
  must not be stemmed, catalogues mix languages, and the folding is ours (not `unaccent`),
  the same on both databases.

A typo (`ecrouu` finds "Écrou", ranked after the exact matches) is tolerated on both, only
when no product has every word as typed, by pg_trgm's word similarity (0.6 or more for each
word): PostgreSQL's `<%` through its trigram index; on SQLite the same computation in
Python (catalog/trigrams.py, checked against PostgreSQL's values), a function every SQLite
connection is given (catalog/search_index.py), called on each product's text until
`MAX_NEAR` are found. That scan is paid only when nothing matches as typed: about 5 ms per
1,000 products for a word nothing is near, 50 ms for a typo on 10,000 (bench/README.md,
"Typos on SQLite"); the embedded database is for small catalogues.
"""

import unicodedata

from django.db import connection
from django.db.models import Case, CharField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from comptoir.catalog.models import AttributeType, Product, ProductAttributeValue
from comptoir.catalog.search_index import NEAR_FUNCTION
from comptoir.catalog.selectors import sku_key
from comptoir.core.content_languages import translated_choice

MAX_TERMS = 8
MAX_LENGTH = 200
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})
"""Letters NFKD does not split into a letter and an accent."""
EXACT_SKU, SKU_PREFIX, ALL_WORDS, NEAR_WORDS = 0, 1, 2, 3
"""The ranks of a match, best first."""
MAX_NEAR = 200
"""The most products a search finds by typos."""
RELEVANCE = ("search_rank", "search_sku", "name", "sku")
REFRESH_BATCH = 500
"""Products re-indexed per statement when an attribute's translations change (an `IN` list
within every database's limit on parameters)."""


def folded_words(text: str) -> list[str]:
    """The words of `text` without accents nor case, split on anything not a letter or digit:
    "Vis à tête M6-40" → ["vis", "a", "tete", "m6", "40"]."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isalnum() else " " for c in plain).split()


def search_text(sku: str, name: str, description: str, values: list[str]) -> str:
    """What a product is found by, as its search index holds it."""
    return " ".join(folded_words(" ".join([sku, name, description, *values])))


def refresh_search_text(product_ids) -> int:
    """Rewrites the search text of these products from their rows and attribute values (two
    reads, then one update per changed product); returns how many changed."""
    ids = list(product_ids)
    if not ids:
        return 0
    values: dict[int, list[str]] = {}
    for product_id, value, value_translations, kind, choices, translations in (
        ProductAttributeValue.objects.filter(product_id__in=ids)
        .order_by("definition__position", "definition__code")
        .values_list(
            "product_id",
            "value",
            "translations",
            "definition__type",
            "definition__choices",
            "definition__translations",
        )
    ):
        found = values.setdefault(product_id, [])
        found.append(value)
        if kind == AttributeType.CHOICE:
            found += _translated_choices(value, choices, translations)
        elif kind == AttributeType.TEXT:
            found += _translated_texts(value_translations, ("value",))
    changed = []
    rows = Product.objects.filter(pk__in=ids).values_list(
        "pk", "sku", "name", "description", "translations", "search_text"
    )
    for pk, sku, name, description, translations, current in rows:
        wanted = search_text(
            sku, name, description, [*values.get(pk, []), *_translated_texts(translations)]
        )
        if wanted != current:
            changed.append(Product(pk=pk, search_text=wanted))
    Product.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def _translated_choices(value: str, choices: str, translations) -> list[str]:
    """A choice in every language its attribute is translated into: "acier" is found as
    "steel" too, by a buyer reading English or typing the word he knows."""
    if not isinstance(translations, dict):
        return []
    return [
        translated_choice(value, choices, fields["choices"])
        for fields in translations.values()
        if isinstance(fields, dict) and isinstance(fields.get("choices"), str)
    ]


def refresh_search_text_of(definition_id: int) -> int:
    """Rewrites the search text of the products having a value of this attribute (its
    translated choices changed), by batches of `REFRESH_BATCH`; returns how many changed."""
    ids = list(
        ProductAttributeValue.objects.filter(definition_id=definition_id)
        .order_by("product_id")
        .values_list("product_id", flat=True)
    )
    return sum(
        refresh_search_text(ids[start : start + REFRESH_BATCH])
        for start in range(0, len(ids), REFRESH_BATCH)
    )


def _translated_texts(translations, names=("name", "description")) -> list[str]:
    """The product's name and description (a text attribute's `value`) in every other
    language: a buyer finds a product by its name in the language he reads (or any other he
    types in)."""
    if not isinstance(translations, dict):
        return []
    return [
        text
        for fields in translations.values()
        if isinstance(fields, dict)
        for name in names
        if isinstance(text := fields.get(name), str)
    ]


def search_condition(text: str) -> tuple[Q, Case]:
    """What `text` finds: the condition, and the rank of each product found (0: the SKU typed
    whole, 1: the start of its SKU, 2: every word, 3: every word but for typos).

    One `IN` of a `UNION` of indexed reads, so the database joins the few ids found rather
    than testing each product of the listing against each way of finding it. Typos
    are tolerated only when no product has every word as typed (read once per statement):
    a trigram match of a common word would otherwise bring in
    thousands of near misses.
    """
    text = " ".join(text.split())[:MAX_LENGTH]
    key = sku_key(text)
    words = folded_words(text)[:MAX_TERMS]
    ways = [_sku_start(key)] if key else []
    if words:
        ways.append(_word_matches(words))
        ways.append(_near_matches(words))
    if not ways:
        return Q(pk__in=[]), Value(ALL_WORDS)
    sql = " UNION ".join(f"SELECT * FROM ({way[0]}) AS way{n}" for n, way in enumerate(ways))
    found = RawSQL(sql, [param for way in ways for param in way[1]])
    by_sku = Product.objects.alias(key=Upper("sku"))
    ranks = [
        When(pk__in=by_sku.filter(key=key).values("pk"), then=Value(EXACT_SKU)),
        When(pk__in=RawSQL(*_sku_start(key)), then=Value(SKU_PREFIX)),
    ]
    if words:
        ranks.append(When(pk__in=RawSQL(*_word_matches(words)), then=Value(ALL_WORDS)))
    rank = Case(
        *ranks,
        default=Value(NEAR_WORDS),
        output_field=IntegerField(),
    )
    return Q(pk__in=found), rank


def search_products(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    """The products of `queryset` that `text` finds, with their `search_rank` and their
    `search_sku` (`RELEVANCE` orders by both)."""
    condition, rank = search_condition(text)
    return ranked(queryset.filter(condition), rank)


def ranked(queryset: QuerySet[Product], rank: Case) -> QuerySet[Product]:
    """`queryset` with the `search_rank` and `search_sku` that `RELEVANCE` orders by: the SKUs
    that start with the text typed come by SKU (VIS-4, VIS-40, VIS-400), the rest by name."""
    return queryset.annotate(search_rank=rank).annotate(
        search_sku=Case(
            When(search_rank__lte=SKU_PREFIX, then=Upper("sku")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def _sku_start(key: str) -> tuple[str, list[str]]:
    """The ids of the products whose SKU starts with `key` (upper case): `UPPER(sku) LIKE`,
    read from an index on PostgreSQL (product_sku_prefix_idx)."""
    table = connection.ops.quote_name(Product._meta.db_table)
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    escape = "" if connection.vendor == "postgresql" else " ESCAPE '\\'"
    return f"SELECT id FROM {table} WHERE UPPER(sku) LIKE %s{escape}", [pattern]


def _word_matches(words: list[str]) -> tuple[str, list[str]]:
    """The ids of the products having a word starting with each of `words` (folded: letters
    and digits only, so they need no quoting in either query language)."""
    table = connection.ops.quote_name(Product._meta.db_table)
    if connection.vendor == "postgresql":
        return (
            f"SELECT id FROM {table} WHERE to_tsvector('simple'::regconfig, search_text) "
            "@@ to_tsquery('simple'::regconfig, %s)",
            [" & ".join(f"{word}:*" for word in words)],
        )
    return (
        "SELECT rowid AS id FROM catalog_product_fts WHERE catalog_product_fts MATCH %s",
        [" ".join(f'"{word}"*' for word in words)],
    )


def _near_matches(words: list[str]) -> tuple[str, list[str]]:
    """The ids of `MAX_NEAR` products with a word like each of `words` (pg_trgm's `<%`, word
    similarity of 0.6 or more), when none has them all as typed. Each candidate's text is
    compared: a typo of a common word ("rondele") would compare thousands (4 s on 100,000
    products on PostgreSQL, bench/README.md), a few hundred are enough to show. Which
    few hundred, when more are near, is the order each database reads them in: SQLite by
    id, PostgreSQL by the table's pages, not in id order once rows were rewritten (the
    same products when fewer are near; `ORDER BY id` measured, bench/README.md)."""
    table = connection.ops.quote_name(Product._meta.db_table)
    exact, exact_params = _word_matches(words)
    if connection.vendor == "postgresql":
        condition = " AND ".join(["%s <%% search_text"] * len(words))
        return (
            # COUNT, not NOT EXISTS: its LIMIT 1 makes PostgreSQL scan every row's text rather
            # than the index when it expects many matches (2.9 s on 100,000 products).
            f"SELECT id FROM {table} WHERE (SELECT COUNT(*) FROM ({exact}) AS typed) = 0"
            f" AND {condition} LIMIT {MAX_NEAR}",
            [*exact_params, *words],
        )
    with connection.cursor() as cursor:
        # Read here, once: a listing's statements hold the condition several times (the
        # count of each visibility part, the facets, the page) and SQLite would scan the
        # catalogue in Python for each. The guard is a row of its own that the scan is
        # joined to: SQLite reads the FTS index for one match, once, and when it finds one
        # does not scan at all (in the WHERE clause it tested every row against the guard:
        # 11 ms on 100,000 products).
        cursor.execute(
            f"SELECT product.id FROM (SELECT 1 WHERE NOT EXISTS ({exact})) AS guard"
            f" CROSS JOIN {table} AS product WHERE {NEAR_FUNCTION}(%s, product.search_text)"
            f" LIMIT {MAX_NEAR}",
            [*exact_params, " ".join(words)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    if not ids:
        return f"SELECT id FROM {table} WHERE 0 = 1", []
    return f"SELECT id FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids
