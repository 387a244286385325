"""Whole pages copied per catalogue (storefront/page_copies.py): what one viewer's request
built never leaks another viewer's header, cart count, CSRF token, prices or messages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.catalog.models import Product
from comptoir.lists.models import RequisitionList
from tests.factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def cart_badge(page: str) -> str:
    return page.split('id="cart-count" class="cart-count">', 1)[1].split("<", 1)[0]


def tokens(page: str) -> set[str]:
    found = set(TOKEN.findall(page))
    found |= set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]+)"', page))
    return found


def card(page: str, sku: str) -> str:
    return page.split(f'href="/p/{sku}/"', 1)[1].split("</li>", 1)[0]


@pytest.fixture
def colleagues(world):
    """Two users of the approved GOLD company: the first with 1 cart line, the second none."""
    first = world.buyers["gold"]
    second = UserFactory(company=first.company)
    clients = []
    for user in (first, second):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients.append(client)
    page = clients[0].get("/c/FASTENERS/").content.decode()
    (token,) = tokens(page)
    response = clients[0].post(
        "/cart/add/",
        {"sku": "PUB-1", "qty": "3", "next": "/c/FASTENERS/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    clients[0].get("/c/FASTENERS/")  # shows and uses up the "added" message
    return clients


def test_colleagues_share_the_copy_but_not_the_cart_count_nor_the_token(colleagues):
    first, second = colleagues
    for _ in range(2):
        pages = [client.get("/c/FASTENERS/").content.decode() for client in (first, second)]
        assert [cart_badge(page) for page in pages] == ["1", "0"]
        first_tokens, second_tokens = (tokens(page) for page in pages)
        assert len(first_tokens) == len(second_tokens) == 1
        assert first_tokens != second_tokens
    # each page's token is the one its own session's cookie accepts
    for client, page in zip((first, second), pages, strict=True):
        (token,) = tokens(page)
        response = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    (first_token,) = tokens(pages[0])
    refused = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403


def test_a_copied_page_still_sets_the_csrf_cookie(world):
    client = Client()
    client.get("/c/FASTENERS/")  # builds the copy
    fresh = Client()
    response = fresh.get("/c/FASTENERS/")
    assert "csrftoken" in response.cookies
    (token,) = tokens(response.content.decode())
    assert token != "" and "csrftoken" in fresh.cookies


def test_buyers_of_two_companies_get_their_own_header_and_prices(world):
    gold, silver = Client(), Client()
    gold.force_login(world.buyers["gold"])
    silver.force_login(world.buyers["silver"])
    for _ in range(2):
        for path in ("/", "/c/FASTENERS/"):
            gold_page = gold.get(path).content.decode()
            silver_page = silver.get(path).content.decode()
            gold_name = world.buyers["gold"].company.name
            silver_name = world.buyers["silver"].company.name
            assert gold_name in gold_page and silver_name not in gold_page
            assert silver_name in silver_page and gold_name not in silver_page
        assert "9.00" in card(gold_page, "PUB-1") and "10.00" not in card(gold_page, "PUB-1")
        assert "10.00" in card(silver_page, "PUB-1") and "9.00" not in card(silver_page, "PUB-1")
        assert 'href="/p/GOLD-1/"' in gold_page and 'href="/p/GOLD-1/"' not in silver_page


def test_a_renamed_company_is_welcomed_by_its_new_name(world):
    client = Client()
    client.force_login(world.buyers["gold"])
    company = world.buyers["gold"].company
    client.get("/")
    type(company).objects.filter(pk=company.pk).update(name="Renamed Gold SA")
    page = client.get("/").content.decode()
    # the welcome, the account menu's button and its link to the account page
    assert page.count("Renamed Gold SA") == 3


def test_a_page_with_a_flash_message_is_not_copied(world):
    first, second = Client(), Client()
    first.force_login(world.buyers["gold"])
    second.force_login(UserFactory(company=world.buyers["gold"].company))
    first.post("/cart/add/", {"sku": "PUB-1", "qty": "2", "next": "/c/FASTENERS/"})
    shown = first.get("/c/FASTENERS/").content.decode()
    assert "2 × PUB-1 added to the cart." in shown
    for client in (second, first):
        page = client.get("/c/FASTENERS/").content.decode()
        assert "added to the cart" not in page
        assert 'class="messages"' not in page


def test_stock_labels_are_read_live_under_the_copy(world):
    client = Client()
    Product.objects.filter(sku="PUB-1").update(stock=500, backorder=False)
    assert "In stock" in card(client.get("/c/FASTENERS/").content.decode(), "PUB-1")
    Product.objects.filter(sku="PUB-1").update(stock=0)  # as an order does: no version bump
    assert "Out of stock" in card(client.get("/c/FASTENERS/").content.decode(), "PUB-1")


def test_a_visitor_and_a_buyer_get_their_own_header(world):
    visitor, buyer = Client(), Client()
    buyer.force_login(world.buyers["gold"])
    for _ in range(2):
        visitor_page = visitor.get("/").content.decode()
        buyer_page = buyer.get("/").content.decode()
        assert "Log in" in visitor_page and "Log out" not in visitor_page
        assert "Log out" in buyer_page and "Open a business account" not in buyer_page


def test_a_visitors_product_page_is_copied_with_its_stock_read_live(world):
    client = Client()
    Product.objects.filter(sku="PUB-1").update(stock=500, backorder=False)
    assert "In stock" in client.get("/p/PUB-1/").content.decode()
    Product.objects.filter(sku="PUB-1").update(stock=0)
    page = client.get("/p/PUB-1/").content.decode()
    assert "Out of stock" in page and "In stock" not in page


def test_a_buyers_product_page_shows_his_own_lists(world):
    first, second = Client(), Client()
    first.force_login(world.buyers["gold"])
    second.force_login(world.buyers["silver"])
    for client in (first, second, first):
        page = client.get("/p/PUB-1/").content.decode()
        assert 'class="add-to-list"' in page
        assert 'name="next" value="/p/PUB-1/"' in page
    gold = world.buyers["gold"]
    RequisitionList.objects.create(company=gold.company, owner=gold, name="Gold restock")
    assert "Gold restock" in first.get("/p/PUB-1/").content.decode()
    assert "Gold restock" not in second.get("/p/PUB-1/").content.decode()


def test_the_acting_banner_stays_with_the_representative(colleagues, world, admin_client):
    """A copy made for the buyer has no banner for the representative acting as him, and the
    representative's copy (banner naming the buyer) reaches neither the buyer nor colleagues."""
    first, second = colleagues
    buyer, colleague = world.buyers["gold"], second.session["_auth_user_id"]
    assert 'id="acting-banner"' not in first.get("/c/FASTENERS/").content.decode()
    admin_client.post(reverse("admin:sales_acting_start", args=[buyer.pk]))
    acting = admin_client.get("/c/FASTENERS/").content.decode()
    assert 'id="acting-banner"' in acting
    assert buyer.get_full_name() in acting.split('id="acting-banner"', 1)[1].split("</div>", 1)[0]
    for client in (first, second):
        assert 'id="acting-banner"' not in client.get("/c/FASTENERS/").content.decode()

    admin_client.post(reverse("sales:acting_stop"))
    admin_client.post(reverse("admin:sales_acting_start", args=[colleague]))
    banner = admin_client.get("/c/FASTENERS/").content.decode().split('id="acting-banner"', 1)[1]
    assert buyer.get_full_name() not in banner.split("</div>", 1)[0]
