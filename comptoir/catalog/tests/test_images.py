"""Product pictures (issue 20): uploads judged by their content, the two renditions, the
back office's inline, the media view, the product page's gallery and the API's `images`."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from comptoir.catalog.images import image_problem
from comptoir.catalog.models import ProductImage
from comptoir.catalog.services import product_image_add
from comptoir.catalog.tests.product_admin_form import product_form_data
from tests.factories import PriceEntryFactory, ProductFactory
from tests.shops import build_shop


def picture(width=2400, height=1600, fmt="PNG", colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def shop(store):
    shop = build_shop(store)
    screws = ProductFactory(sku="IMG-1", name="Wood screws", stock=100)
    PriceEntryFactory(price_list=store.base_price_list, product=screws, price=Decimal("0.12"))
    return shop


@pytest.fixture
def screws(shop):
    from comptoir.catalog.models import Product

    return Product.objects.get(sku="IMG-1")


def test_a_picture_is_kept_as_a_400_and_a_1200_pixel_webp(screws):
    image = product_image_add(product=screws, data=picture(), alt="A box of screws")
    assert (image.thumbnail_width, image.thumbnail_height) == (400, 267)
    assert (image.large_width, image.large_height) == (1200, 800)
    with image.large.open("rb") as stored, Image.open(stored) as large:
        assert (large.format, large.size) == ("WEBP", (1200, 800))
    assert image.thumbnail.name.startswith("products/")
    assert image.thumbnail.name.endswith("-400.webp")


def test_a_small_picture_is_never_enlarged(screws):
    image = product_image_add(product=screws, data=picture(300, 200, "JPEG"), alt="Small")
    assert (image.thumbnail_width, image.large_width) == (300, 300)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7 not a picture", "not_an_image"),
        (b"", "not_an_image"),
        (picture()[:200], "not_an_image"),
        (picture(fmt="JPEG")[:5000], "not_an_image"),
        (picture(40, 30, "BMP"), "not_an_image"),
        (b"\x89PNG" + b"\0" * (10 * 1024 * 1024), "too_large"),
    ],
    ids=["pdf", "empty", "truncated-png", "truncated-jpeg", "bmp", "over-10-mb"],
)
def test_refused_uploads_say_why(data, code):
    assert image_problem(data).code == code


def test_a_picture_of_too_many_pixels_is_refused():
    assert image_problem(picture(8000, 6000, "GIF")).code == "too_many_pixels"


def test_the_back_office_uploads_a_picture_and_refuses_a_pdf(admin_client, screws):
    url = f"/admin/catalog/product/{screws.pk}/change/"
    data = product_form_data(admin_client, url, "images")
    data |= {"images-0-alt": "Front view", "images-0-position": "0"}
    refused = admin_client.post(
        url, data | {"images-0-picture": SimpleUploadedFile("a.png", b"%PDF-1.4 x")}
    )
    assert refused.status_code == 200
    assert "Send a JPEG, PNG, WebP or GIF picture" in refused.content.decode()
    assert not ProductImage.objects.exists()
    upload = SimpleUploadedFile("photo.jpg", picture(fmt="JPEG"))
    saved = admin_client.post(url, data | {"images-0-picture": upload})
    assert saved.status_code == 302
    image = ProductImage.objects.get()
    assert (image.alt, image.large_width) == ("Front view", 1200)
    assert f'src="{image.thumbnail.url}"' in admin_client.get(url).content.decode()


def test_the_product_page_shows_lazy_pictures_with_their_alt_text(client, screws):
    product_image_add(product=screws, data=picture(), alt="A box of screws", position=2)
    product_image_add(product=screws, data=picture(800, 800), alt="One screw", position=1)
    page = client.get("/p/IMG-1/").content.decode()
    one_screw, box = ProductImage.objects.order_by("position")
    assert (
        f'<img src="/media/{one_screw.thumbnail.name}" alt="One screw" width="400" '
        f'height="400" loading="lazy" decoding="async">'
    ) in page
    assert page.index('alt="One screw"') < page.index('alt="A box of screws"')
    assert f'href="/media/{box.large.name}"' in page


def test_a_new_picture_shows_on_a_page_already_copied(client, screws):
    assert "gallery" not in client.get("/p/IMG-1/").content.decode()
    product_image_add(product=screws, data=picture(), alt="A box of screws")
    assert 'alt="A box of screws"' in client.get("/p/IMG-1/").content.decode()


def test_the_media_view_serves_pictures_for_a_year(client, screws):
    image = product_image_add(product=screws, data=picture(), alt="A box of screws")
    response = client.get(image.large.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
        assert served.size == (1200, 800)


@pytest.mark.parametrize(
    "path",
    [
        "/media/products/" + "0" * 32 + "-400.webp",
        "/media/../secret_key",
        "/media/products/..%2F..%2Fsecret_key",
        "/media/tax-certificates/1/" + "0" * 32 + ".pdf",
    ],
)
def test_the_media_view_serves_nothing_else(client, path):
    assert client.get(path).status_code == 404


def test_the_api_product_detail_lists_the_pictures(client, screws, settings):
    settings.SITE_URL = "https://shop.example.com/"
    image = product_image_add(product=screws, data=picture(), alt="A box of screws")
    body = client.get("/api/v1/products/IMG-1").json()
    assert body["images"] == [
        {
            "url": f"https://shop.example.com/media/{image.large.name}",
            "alt": "A box of screws",
            "width": 1200,
            "height": 800,
            "thumbnail_url": f"https://shop.example.com/media/{image.thumbnail.name}",
            "thumbnail_width": 400,
            "thumbnail_height": 267,
        }
    ]
    assert body["description"] == screws.description
    assert "images" not in client.get("/api/v1/products").json()["items"][0]


def test_deleting_a_product_deletes_its_pictures_rows(screws):
    product_image_add(product=screws, data=picture(), alt="A box of screws")
    screws.delete()
    assert not ProductImage.objects.exists()
