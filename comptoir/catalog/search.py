"""Product search, one function for the storefront, the API and the quick order (issue 20).

A product is found by its SKU typed whole (first), by the start of its SKU (next), then by
every word typed, each the start of a word of its SKU, name, description or attribute values
(`vis inox` finds "Vis à tête inox"). Case and accents never matter (`ecrou` finds "Écrou").

Both databases search the same text, `Product.search_text`, folded and split into words by
`folded_words` here, once, by `refresh_search_text` (every writer calls it: the signals of
apps.py for single saves, the bundle loader for its bulk writes). The typed words are folded
by the same function, so the two databases agree on what a word is:

- SQLite (the embedded default): an FTS5 index on `search_text` (catalog migration 0011),
  kept in step by triggers whatever writes the column;
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)` for the words, prefix
  queries (`vis:*`), and pg_trgm for a typo (`ecrouu` finds "Écrou", ranked after the
  words). `simple`, not `french`: SKUs, threads and grades (`M6`, `A2`, `4x40`) must not be
  stemmed, catalogues mix languages, and the folding is ours (not `unaccent`), the same on
  both databases.
"""

import unicodedata

from django.db import connection
from django.db.models import Case, CharField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from comptoir.catalog.models import Product, ProductAttributeValue
from comptoir.catalog.selectors import sku_key

MAX_TERMS = 8
MAX_LENGTH = 200
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})
"""Letters NFKD does not split into a letter and an accent."""
EXACT_SKU, SKU_PREFIX, ALL_WORDS, NEAR_WORDS = 0, 1, 2, 3
"""The ranks of a match, best first."""
RELEVANCE = ("search_rank", "search_sku", "name", "sku")


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
    for product_id, value in (
        ProductAttributeValue.objects.filter(product_id__in=ids)
        .order_by("definition__position", "definition__code")
        .values_list("product_id", "value")
    ):
        values.setdefault(product_id, []).append(value)
    changed = []
    rows = Product.objects.filter(pk__in=ids).values_list(
        "pk", "sku", "name", "description", "search_text"
    )
    for pk, sku, name, description, current in rows:
        wanted = search_text(sku, name, description, values.get(pk, []))
        if wanted != current:
            changed.append(Product(pk=pk, search_text=wanted))
    Product.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def search_condition(text: str) -> tuple[Q, Case]:
    """What `text` finds: the condition, and the rank of each product found (0: the SKU typed
    whole, 1: the start of its SKU, 2: every word, 3: every word but for typos)."""
    text = " ".join(text.split())[:MAX_LENGTH]
    key = sku_key(text)
    by_sku = Product.objects.alias(key=Upper("sku"))
    exact = Q(pk__in=by_sku.filter(key=key).values("pk"))
    prefix = Q(pk__in=by_sku.filter(key__startswith=key).values("pk")) if key else Q(pk__in=[])
    words = folded_words(text)[:MAX_TERMS]
    ranks = [When(exact, then=Value(EXACT_SKU)), When(prefix, then=Value(SKU_PREFIX))]
    if not words:
        condition = prefix
    elif connection.vendor == "postgresql":
        by_words = Q(pk__in=_word_matches(words))
        condition = prefix | by_words | Q(pk__in=_near_matches(words))
        ranks.append(When(by_words, then=Value(ALL_WORDS)))
    else:
        condition = prefix | Q(pk__in=_word_matches(words))
    default = NEAR_WORDS if words and connection.vendor == "postgresql" else ALL_WORDS
    return condition, Case(*ranks, default=Value(default), output_field=IntegerField())


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


def _word_matches(words: list[str]) -> RawSQL:
    """The ids of the products having a word starting with each of `words` (folded: letters
    and digits only, so they need no quoting in either query language)."""
    table = connection.ops.quote_name(Product._meta.db_table)
    if connection.vendor == "postgresql":
        return RawSQL(
            f"SELECT id FROM {table} WHERE to_tsvector('simple'::regconfig, search_text) "
            "@@ to_tsquery('simple'::regconfig, %s)",
            [" & ".join(f"{word}:*" for word in words)],
        )
    return RawSQL(
        "SELECT rowid FROM catalog_product_fts WHERE catalog_product_fts MATCH %s",
        [" ".join(f'"{word}"*' for word in words)],
    )


def _near_matches(words: list[str]) -> RawSQL:
    """PostgreSQL: the ids of the products with a word like each of `words` (pg_trgm)."""
    table = connection.ops.quote_name(Product._meta.db_table)
    condition = " AND ".join(["%s <%% search_text"] * len(words))
    return RawSQL(f"SELECT id FROM {table} WHERE {condition}", list(words))
