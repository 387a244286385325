from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
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
        pre_save.connect(
            _definition_saving, sender=AttributeDefinition, dispatch_uid="search_definition_old"
        )
        post_save.connect(
            _definition_saved, sender=AttributeDefinition, dispatch_uid="search_definition"
        )
        post_migrate.connect(_migrated, sender=self, dispatch_uid="search_index")
        from comptoir.catalog.search_index import add_sqlite_functions

        connection_created.connect(add_sqlite_functions, dispatch_uid="search_functions")


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


# A choice is found in every language its attribute translates it into (catalog/search.py):
# the products having a value of an attribute follow its translated choices. Compared with
# the row as it was, so that the bundle, which saves every attribute it lists, re-indexes
# only the products of those it changed.
DEFINITION_SEARCHED = ("type", "choices", "translations")


def _definition_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._searched_before = (
        sender.objects.filter(pk=instance.pk).values_list(*DEFINITION_SEARCHED).first()
    )


def _definition_saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_searched_before", None)
    if raw or created or before == tuple(getattr(instance, f) for f in DEFINITION_SEARCHED):
        return
    from comptoir.catalog.attributes import translation_refusal
    from comptoir.catalog.models import ProductAttributeValue
    from comptoir.catalog.search import refresh_search_text_of

    if translation_refusal(instance.type) is not None:
        # Only a text value is translated: the translations of the values of an attribute
        # that is no longer text would be refused by every later save of their products.
        ProductAttributeValue.objects.filter(definition_id=instance.pk).exclude(
            translations={}
        ).update(translations={})
    refresh_search_text_of(instance.pk)


def _migrated(sender, using, **kwargs):
    from django.db import connections

    from comptoir.catalog.search_index import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
