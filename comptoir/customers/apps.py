from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "comptoir.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
        from comptoir.core.versioned_cache import track
        from comptoir.customers.models import CustomerGroup

        track(CustomerGroup)
