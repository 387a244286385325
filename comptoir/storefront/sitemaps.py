"""sitemap.xml: what a visitor may see, nothing more (exclusive products never appear)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from comptoir.accounts.access import viewer_for
from comptoir.core.selectors import get_store
from comptoir.storefront.selectors import category_tree, viewer_products


class ProductSitemap(Sitemap):
    i18n = True
    alternates = True
    limit = 10_000

    def items(self):
        return (
            viewer_products(viewer_for(get_store(), None))
            .select_related(None)
            .order_by("sku")
            .only("sku")
        )

    def location(self, item):
        return reverse("storefront:product", args=[item.sku])


class CategorySitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return sorted(category_tree(viewer_for(get_store(), None)).by_code)

    def location(self, item):
        return reverse("storefront:category", args=[item])
