"""Every page's frame: the favicon browsers ask for, and the cart's line count in the header."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


def test_the_favicon_is_served(client, store):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    assert "max-age=86400" in response["Cache-Control"]
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").content.decode()
    store.access_mode = "login_required"
    store.save()
    assert client.get("/favicon.ico").status_code == 200


def count_badge(page: str) -> str:
    return page.split('id="cart-count"', 1)[1].split("</span></span>", 1)[0]


def test_the_header_shows_the_carts_line_count(client, shop):
    client.force_login(shop.buyer)
    assert count_badge(client.get("/").content.decode()).startswith(' class="cart-count">0<')
    client.post("/quick-order/", {"lines": "SCR-100 10\nMNL-1 2\nSCR-100 5"})
    page = client.get("/c/FASTENERS/").content.decode()
    assert count_badge(page) == ' class="cart-count">2<span class="visually-hidden"> lines'
    fragment = client.post(
        "/cart/lines/MNL-1/", {"remove": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="cart-count" class="cart-count" hx-swap-oob="true">1<' in fragment


def test_the_line_count_costs_no_query_of_its_own(client, shop):
    client.force_login(shop.buyer)
    client.post("/quick-order/", {"lines": "SCR-100 10"})
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    cart_queries = [q["sql"] for q in captured if "ordering_cartline" in q["sql"]]
    assert len(cart_queries) == 1
    assert cart_queries[0].startswith('SELECT "accounts_user"."id"')


def test_a_logged_in_page_reads_the_user_once_with_company_group_and_cart(client, shop):
    """storefront/auth_backend.py: the session's user comes with what the viewer needs, so
    the page does not read the user a second time."""
    client.force_login(shop.buyer)
    client.get("/c/FASTENERS/")
    client.get("/c/FASTENERS/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/c/FASTENERS/").status_code == 200
    users = [q["sql"] for q in captured if 'FROM "accounts_user"' in q["sql"]]
    assert len(users) == 1
    assert '"customers_company"' in users[0] and '"customers_customergroup"' in users[0]


def test_a_user_made_inactive_is_logged_out_at_the_next_page(client, shop):
    client.force_login(shop.buyer)
    assert client.get("/account/").status_code == 200
    shop.buyer.is_active = False
    shop.buyer.save()
    assert client.get("/account/").status_code == 302
