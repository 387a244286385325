"""The database's own search indexes over `Product.search_text` (catalog/search.py).

SQLite: an FTS5 table holding no text of its own (`content=catalog_product`), fed by
triggers on the column, so any writer (the ORM, `bulk_update`, raw SQL) keeps it in step.
SQLite drops a table's triggers with the table, and Django rebuilds `catalog_product` to
alter most of its columns: `ensure_sqlite_index` runs after every `migrate` (apps.py) and
recreates what is missing, then reindexes. Every SQLite connection is also given
`NEAR_FUNCTION`, pg_trgm's `<%` computed in Python (catalog/trigrams.py), for a typo
(`add_sqlite_functions`, on Django's `connection_created`, apps.py).

PostgreSQL: GIN indexes on the words and on the trigrams of the text, and one for SKU
prefixes; they survive any ALTER TABLE. pg_trgm must be created by a superuser or a user
allowed to (docs/deployment.md, "Search").
"""

FTS_TABLE = "catalog_product_fts"
NEAR_FUNCTION = "comptoir_words_near"
"""SQLite: `comptoir_words_near(words, search_text)`, 1 when the folded text has a word like
each of the space-separated `words` (pg_trgm's `word <% search_text` for each), else 0."""

SQLITE_TRIGGERS = {
    "catalog_product_fts_insert": (
        "AFTER INSERT ON catalog_product BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "catalog_product_fts_delete": (
        "AFTER DELETE ON catalog_product BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "catalog_product_fts_update": (
        "AFTER UPDATE OF search_text ON catalog_product BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS product_search_words_idx ON catalog_product"
    " USING gin (to_tsvector('simple'::regconfig, search_text))",
    "CREATE INDEX IF NOT EXISTS product_search_trigram_idx ON catalog_product"
    " USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS product_sku_prefix_idx ON catalog_product"
    " (UPPER(sku) text_pattern_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS product_sku_prefix_idx",
    "DROP INDEX IF EXISTS product_search_trigram_idx",
    "DROP INDEX IF EXISTS product_search_words_idx",
]


def ensure_sqlite_index(connection) -> bool:
    """Creates the FTS5 table and its triggers where missing, reindexing then; True if it
    had to. Nothing on other databases, or before the column exists."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        columns = (
            [
                c.name
                for c in connection.introspection.get_table_description(cursor, "catalog_product")
            ]
            if "catalog_product" in connection.introspection.table_names(cursor)
            else []
        )
        if "search_text" not in columns:
            return False
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{FTS_TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        if FTS_TABLE in present and not missing:
            return False
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text,"
            " content='catalog_product', content_rowid='id',"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {SQLITE_TRIGGERS[name]}")
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def add_sqlite_functions(sender, connection, **kwargs) -> None:
    """Gives a new SQLite connection what search uses besides SQL (`connection_created`);
    deterministic, as PostgreSQL's is immutable."""
    if connection.vendor != "sqlite":
        return
    from comptoir.catalog.trigrams import is_near

    connection.connection.create_function(NEAR_FUNCTION, 2, is_near, deterministic=True)


def drop_sqlite_index(connection) -> None:
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
