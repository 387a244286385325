"""Product cards show their first picture's thumbnail, read by the listing's own query: the
category page takes as many queries with pictures as without, for 1 product as for 50."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from comptoir.catalog.models import Category, Product, ProductImage
from comptoir.catalog.services import product_image_add
from comptoir.core import versioned_cache
from tests.factories import CategoryFactory, PriceEntryFactory, ProductFactory


def picture(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, format="PNG")
    return out.getvalue()


def shelf(world, count: int, *, pictures: bool):
    shelves = CategoryFactory(code="SHELVES", name="Shelves")
    for n in range(count):
        product = ProductFactory(sku=f"SH-{n:02d}", name=f"Shelf {n:02d}", category=shelves)
        PriceEntryFactory(
            price_list=world.store.base_price_list, product=product, price=Decimal("5.00")
        )
        if pictures:
            product_image_add(
                product=product, data=picture((0, 0, 200)), alt=f"Back {n}", position=1
            )
            product_image_add(product=product, data=picture((200, 0, 0)), alt=f"Front {n}")


def queries(client, url) -> tuple[int, int, str]:
    versioned_cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    return len(cold), len(warm), first.content.decode()


def test_a_card_shows_the_first_picture_lazily_with_its_alt_text(client, world):
    shelf(world, 1, pictures=True)
    page = client.get("/c/SHELVES/").content.decode()
    front = ProductImage.objects.get(alt="Front 0")
    assert (
        f'<img class="card-image" src="/media/{front.thumbnail.name}" alt="Front 0" '
        f'width="80" height="60" loading="lazy" decoding="async">'
    ) in page
    assert "Back 0" not in page


def test_a_card_without_a_picture_has_no_image(client, world):
    shelf(world, 1, pictures=False)
    assert "card-image" not in client.get("/c/SHELVES/").content.decode()


@pytest.mark.parametrize(("sort", "expected"), [("name", (11, 4)), ("price", (14, 4))])
def test_pictures_add_no_query_for_1_or_50_products(client, world, sort, expected):
    # a buyer sees prices, so that `price` sorts by them (storefront/selectors.py)
    client.force_login(world.buyers["gold"])
    counts = {}
    for count in (1, 50):
        for pictures in (False, True):
            ProductImage.objects.all().delete()
            Product.objects.filter(sku__startswith="SH-").delete()
            Category.objects.filter(code="SHELVES").delete()
            shelf(world, count, pictures=pictures)
            cold, warm, page = queries(client, f"/c/SHELVES/?sort={sort}")
            assert f'<option value="{sort}" selected>' in page
            assert len(re.findall('class="card-image"', page)) == (
                min(count, 24) if pictures else 0
            )
            counts[count, pictures] = (cold, warm)
    assert len(set(counts.values())) == 1, counts
    # cold, then warm (the buyer's session, then the user with its company, group and cart
    # count in one statement, storefront/auth_backend.py, are read on every request)
    assert counts[50, True] == expected


def test_a_cards_and_the_product_pages_picture_text_speak_the_readers_language(client, world):
    shelf(world, 1, pictures=True)
    ProductImage.objects.filter(alt="Front 0").update(translations={"fr": {"alt": "Face avant 0"}})
    versioned_cache.bump()
    french = client.get("/fr/c/SHELVES/").content.decode()
    assert 'alt="Face avant 0"' in french
    assert 'alt="Front 0"' in client.get("/c/SHELVES/").content.decode()
    assert 'alt="Face avant 0"' in client.get("/fr/p/SH-00/").content.decode()
