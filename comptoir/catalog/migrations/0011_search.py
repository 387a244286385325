"""Search (issue 20, catalog/search.py): the folded text each product is found by, filled
for the products there are, and its indexes (catalog/search_index.py): FTS5 on SQLite;
pg_trgm and GIN indexes on PostgreSQL, whose user must be allowed to create the extension
(docs/deployment.md, "Search")."""

from django.db import migrations, models

from comptoir.catalog import search_index


def fill(apps, schema_editor):
    from comptoir.catalog.search import search_text

    Product = apps.get_model("catalog", "Product")
    Value = apps.get_model("catalog", "ProductAttributeValue")
    values = {}
    for product_id, value in Value.objects.order_by(
        "definition__position", "definition__code"
    ).values_list("product_id", "value"):
        values.setdefault(product_id, []).append(value)
    changed = []
    for product in Product.objects.only("pk", "sku", "name", "description").iterator():
        product.search_text = search_text(
            product.sku, product.name, product.description, values.get(product.pk, [])
        )
        changed.append(product)
    Product.objects.bulk_update(changed, ["search_text"], batch_size=1000)


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in search_index.POSTGRESQL:
            schema_editor.execute(statement)
    else:
        search_index.ensure_sqlite_index(connection)


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in search_index.POSTGRESQL_REVERSE:
            schema_editor.execute(statement)
    else:
        search_index.drop_sqlite_index(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_product_attributes"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="productattributevalue",
            index=models.Index(
                fields=["definition", "value", "product"], name="attribute_value_filter_idx"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
        # The products in stock a buyer sees, counted from the index alone (catalog/listing.py),
        # as product_visibility_idx (migration 0004) counts them all.
        migrations.RunSQL(
            sql="CREATE INDEX product_in_stock_idx"
            " ON catalog_product (visibility, category_id, active) WHERE active AND stock > 0",
            reverse_sql="DROP INDEX product_in_stock_idx",
        ),
    ]
