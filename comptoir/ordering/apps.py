from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderingConfig(AppConfig):
    name = "comptoir.ordering"
    label = "ordering"
    verbose_name = _("Orders")

    def ready(self):
        # What requests keep a copy of (core/versioned_cache.py): each write makes it stale.
        from comptoir.core.versioned_cache import track
        from comptoir.ordering.models import GroupOrderRule

        track(GroupOrderRule)
