"""Access mode × viewer × product: what each one is shown, on pages and over the API.

The expectations are written out once (`sees`, `price_of`) from DESIGN.md "Visibility and
access"; every cell of the matrix checks the content shown, not only the status code.
"""

import pytest

from comptoir.core.models import AccessMode
from comptoir.storefront.tests.conftest import set_access

MODES = [AccessMode.PUBLIC, AccessMode.PRICES_HIDDEN, AccessMode.LOGIN_REQUIRED]
VIEWERS = ["visitor", "pending", "gold", "silver", "owner"]
KINDS = ["public", "group", "exclusive"]


def sees(viewer, kind):
    return {
        "public": True,
        "group": viewer in {"pending", "gold"},
        "exclusive": viewer == "owner",
    }[kind]


def price_of(viewer, kind, mode):
    """The unit price the viewer is shown, or None where prices are hidden from it."""
    if viewer == "visitor" and mode != AccessMode.PUBLIC:
        return None
    if kind == "public":
        return "9.00" if viewer in {"pending", "gold"} else "10.00"
    return {"group": "20.00", "exclusive": "30.00"}[kind]


@pytest.fixture
def as_viewer(world, client):
    def log_in(viewer, mode):
        set_access(world.store, mode)
        if viewer != "visitor":
            client.force_login(world.buyers[viewer])
        return client

    return log_in


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", KINDS)
def test_product_page(world, as_viewer, mode, viewer, kind):
    client = as_viewer(viewer, mode)
    sku = world.products[kind].sku
    response = client.get(f"/p/{sku}/")

    if viewer == "visitor" and mode == AccessMode.LOGIN_REQUIRED:
        assert response.status_code == 302
        assert response["Location"] == f"/account/login/?next=/p/{sku}/"
        return
    if not sees(viewer, kind):
        unknown = client.get("/p/NO-SUCH-SKU/")
        assert response.status_code == unknown.status_code == 404
        assert response.content == unknown.content
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert world.products[kind].name in page
    price = price_of(viewer, kind, mode)
    if price is None:
        assert "€" not in page
        assert "Log in to see prices" in page
    else:
        assert f"€{price}" in page


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_listing_search_and_categories(world, as_viewer, mode, viewer):
    client = as_viewer(viewer, mode)
    listing = client.get("/c/FASTENERS/")
    search = client.get("/search/", {"q": "-1"})
    home = client.get("/")

    if viewer == "visitor" and mode == AccessMode.LOGIN_REQUIRED:
        for response in (listing, search, home):
            assert response.status_code == 302
            assert response["Location"].startswith("/account/login/?next=/")
        return
    for kind, product in world.products.items():
        in_listing = product.sku in listing.content.decode()
        in_search = product.sku in search.content.decode()
        assert in_search == sees(viewer, kind), (kind, "search")
        if kind != "exclusive":
            assert in_listing == sees(viewer, kind), (kind, "listing")
    prints = client.get("/c/LOGO-PRINTS/")
    assert prints.status_code == (200 if viewer == "owner" else 404)
    assert ("Logo prints" in home.content.decode()) == (viewer == "owner")
    price = price_of(viewer, "public", mode)
    if price is None:
        assert "€" not in listing.content.decode() + search.content.decode()
    else:
        assert f"€{price}" in listing.content.decode()
        assert f"€{price}" in search.content.decode()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", KINDS)
def test_api_product(world, as_viewer, mode, viewer, kind):
    client = as_viewer(viewer, mode)
    sku = world.products[kind].sku
    response = client.get(f"/api/v1/products/{sku}")
    listing = client.get("/api/v1/products", {"search": sku})

    if viewer == "visitor" and mode == AccessMode.LOGIN_REQUIRED:
        assert response.status_code == listing.status_code == 401
        assert response.json()["code"] == "login_required"
        return
    if not sees(viewer, kind):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert listing.json()["items"] == []
        return
    assert response.status_code == 200
    price = price_of(viewer, kind, mode)
    body = response.json()
    (item,) = listing.json()["items"]
    if price is None:
        assert body["price"] is None
        assert item["price"] is None
    else:
        assert body["price"]["unit_price"] == item["price"]["unit_price"] == price


@pytest.mark.parametrize("mode", MODES)
def test_open_pages_reach_every_visitor(world, client, mode):
    set_access(world.store, mode)
    for path in (
        "/account/login/",
        "/account/request/",
        "/account/password/reset/",
        "/legal/",
    ):
        assert client.get(path).status_code == 200, path
    closed = client.get("/account/")
    assert closed.status_code == 302


def test_sitemap_lists_what_visitors_see(world, client):
    body = client.get("/sitemap.xml").content.decode()
    assert "/p/PUB-1/" in body
    assert "/fr/p/PUB-1/" in body
    assert "GOLD-1" not in body
    assert "OWN-1" not in body
    assert "LOGO-PRINTS" not in body


def test_sitemap_of_a_private_store_needs_a_login(world, client):
    set_access(world.store, AccessMode.LOGIN_REQUIRED)
    response = client.get("/sitemap.xml")
    assert response.status_code == 302
    assert "PUB-1" not in response.content.decode()
