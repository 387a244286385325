"""The demo store's pictures (demo/images/, drawn by demo/build_demo_bundle.py) and
attributes load with `make demo`'s bundle and show on the product pages."""

import re
from pathlib import Path

import pytest

from comptoir.bundle.loader import load_store
from comptoir.catalog.models import ProductAttributeValue, ProductImage

DEMO_BUNDLE = Path(__file__).resolve().parent.parent / "demo" / "store.json"


@pytest.mark.django_db
def test_the_demo_pictures_load_and_show_on_their_product_pages(client):
    load_store(DEMO_BUNDLE)
    assert ProductImage.objects.count() == 24
    image = ProductImage.objects.select_related("product").get(product__sku="BAC-BEC-T1-BL")
    assert (image.large_width, image.large_height) == (800, 600)
    page = client.get(f"/p/{image.product.sku}/").content.decode()
    (src,) = re.findall(r'<img src="(/media/products/[0-9a-f]{32}-400\.webp)" alt="([^"]*)"', page)
    assert src == (image.thumbnail.url, image.alt)
    served = client.get(src[0])
    assert (served.status_code, served["Content-Type"]) == (200, "image/webp")


@pytest.mark.django_db
def test_the_demo_screws_show_their_specifications(client):
    load_store(DEMO_BUNDLE)
    # diameter, length, material, thread and use of the demo's screws (catalog/listing.py
    # facets); the use is a text translated on each product
    assert ProductAttributeValue.objects.count() == 112 + 30
    found = ProductAttributeValue.objects.select_related("product").get(
        definition__code="diametre", value="3.5", product__sku="VIS-3525-B200"
    )
    french = client.get(f"/fr/p/{found.product.sku}/").content.decode()
    assert (
        '<tr><th scope="row">Diamètre</th><td>3,5 mm</td></tr>'
        '<tr><th scope="row">Longueur</th><td>25 mm</td></tr>'
        '<tr><th scope="row">Matière</th><td>Acier zingué</td></tr>'
        '<tr><th scope="row">Filetage</th><td>Partiel</td></tr>'
        '<tr><th scope="row">Usage</th><td>Bois tendre et panneaux de particules</td></tr>'
    ) in french
    english = client.get(f"/p/{found.product.sku}/").content.decode()
    assert (
        '<tr><th scope="row">Diameter</th><td>3.5 mm</td></tr>'
        '<tr><th scope="row">Length</th><td>25 mm</td></tr>'
        '<tr><th scope="row">Material</th><td>Zinc-plated steel</td></tr>'
        '<tr><th scope="row">Thread</th><td>Partial</td></tr>'
        '<tr><th scope="row">Use</th><td>Softwood and chipboard</td></tr>'
    ) in english
