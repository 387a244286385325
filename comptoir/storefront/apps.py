from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "comptoir.storefront"
    label = "storefront"
    verbose_name = _("Storefront")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
        from comptoir.core.versioned_cache import track
        from comptoir.storefront.models import Banner

        track(Banner)
