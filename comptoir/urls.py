from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from comptoir.api.main import api
from comptoir.catalog import media
from comptoir.core.health import healthz
from comptoir.pricing.preview import price_preview_view
from comptoir.storefront.views.pages import favicon

# A database lost while a middleware used it answers 503 like one lost in a view.
handler500 = "comptoir.core.outages.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("media/<path:name>", media.serve, name="product_media"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(
        path(
            "admin/pricing/preview/",
            admin.site.admin_view(price_preview_view),
            name="pricing_preview",
        ),
        path("admin/acting/", include("comptoir.sales.urls")),
        path("admin/", admin.site.urls),
        path("", include("comptoir.storefront.urls")),
        prefix_default_language=False,
    ),
]
