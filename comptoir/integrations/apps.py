from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "comptoir.integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from comptoir.integrations.tombstones import record_deletions

        record_deletions()
