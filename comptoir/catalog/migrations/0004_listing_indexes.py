"""Indexes that answer the catalogue listing from the index alone (catalog.selectors).

- product_visibility_idx counts the products a buyer sees: (visibility, category) of the
  active products, so the products visible to all, in every category or in a few, are
  counted without reading a product row.
- product_listing_idx pages through them by SKU: an OFFSET skips index entries that hold
  everything the visibility filter needs, never product rows.

Both are partial (`WHERE active`) and written in SQL that SQLite and PostgreSQL both take.
`active` is a key column all the same: SQLite only reads an index alone when it holds every
column the query names, even one that the index's WHERE already settles.
They are not in the model state yet: Product.Meta.indexes should list them, with a
migration that moves them into the state (SeparateDatabaseAndState), when the model is
next edited.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_step_constraints_never_divide_by_zero"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE INDEX product_visibility_idx"
                " ON catalog_product (visibility, category_id, active) WHERE active",
                "CREATE INDEX product_listing_idx"
                " ON catalog_product (sku, visibility, category_id, active, id) WHERE active",
            ],
            reverse_sql=[
                "DROP INDEX product_listing_idx",
                "DROP INDEX product_visibility_idx",
            ],
        ),
    ]
