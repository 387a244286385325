from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "comptoir.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
        from comptoir.catalog import file_cleanup
        from comptoir.catalog.models import (
            AttributeDefinition,
            Category,
            FamilyVariant,
            Packaging,
            Product,
            ProductAttributeValue,
            ProductDocument,
            ProductFamily,
            ProductImage,
        )
        from comptoir.core.versioned_cache import track

        track(
            Category,
            Product,
            Packaging,
            ProductImage,
            ProductDocument,
            AttributeDefinition,
            ProductAttributeValue,
            ProductFamily,
            FamilyVariant,
        )
        file_cleanup.connect()
        post_save.connect(_product_saved, sender=Product, dispatch_uid="search_product")
        post_save.connect(_value_written, sender=ProductAttributeValue, dispatch_uid="search_value")
        post_delete.connect(
            _value_written, sender=ProductAttributeValue, dispatch_uid="search_value_deleted"
        )
        post_migrate.connect(_migrated, sender=self, dispatch_uid="search_index")


# What a product is found by follows its text and values (catalog/search.py); bulk writers
# send no signals and call `refresh_search_text` themselves (bundle/loader.py).
SEARCHED_FIELDS = {"sku", "name", "description", "translations"}


def _product_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    from comptoir.catalog.search import refresh_search_text

    refresh_search_text([instance.pk])


def _value_written(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from comptoir.catalog.search import refresh_search_text

    refresh_search_text([instance.product_id])


def _migrated(sender, using, **kwargs):
    from django.db import connections

    from comptoir.catalog.search_index import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
