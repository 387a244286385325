from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "comptoir.pricing"
    label = "pricing"
    verbose_name = _("Pricing")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
        from comptoir.core.versioned_cache import track
        from comptoir.pricing.models import PriceEntry, PriceList, Promotion, VolumeDiscountTier

        track(PriceList, Promotion, VolumeDiscountTier)
        # Prices are copied too (whole priced pages). Deleting entries bumps where it is
        # done (the back office, the CSV import, the loader) or through the price list or
        # product whose deletion cascades to them, so that deletes stay one statement.
        track(PriceEntry, deletes=False)
