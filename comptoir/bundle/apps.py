from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundleConfig(AppConfig):
    name = "comptoir.bundle"
    label = "bundle"
    verbose_name = _("Store bundle")
