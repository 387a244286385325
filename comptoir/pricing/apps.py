from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "comptoir.pricing"
    label = "pricing"
    verbose_name = _("Pricing")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
        from comptoir.core.versioned_cache import track
        from comptoir.pricing.models import PriceList, Promotion, VolumeDiscountTier

        track(PriceList, Promotion, VolumeDiscountTier)
