from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "comptoir.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
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
