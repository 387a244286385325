"""The Content Security Policy in a real browser: nothing the pages need is blocked.

Chromium reports every blocked script, style or image on the console ("Refused to ... because
it violates the following Content Security Policy directive"); none may appear. The API docs
(Swagger UI) and the back office's language switch were both broken by the policy before
(docs/security.md, "Findings").
"""

from decimal import Decimal

import pytest

from tests.factories import (
    CategoryFactory,
    PriceEntryFactory,
    ProductFactory,
    StaffUserFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = ("merchant@comptoir.example", "Back-Office-2026")
BUYER = ("achats@acme.example", "Comptoir-2026!")


@pytest.fixture
def shop(transactional_db):
    store = StoreFactory()
    screws = CategoryFactory(code="SCREWS", name="Screws")
    product = ProductFactory(sku="SCR-440", name="Wood screws 4x40", category=screws, stock=500)
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("10.00"))
    StaffUserFactory(email=ADMIN[0], password=ADMIN[1], is_superuser=True)
    UserFactory(email=BUYER[0])
    return store


@pytest.fixture
def watched(new_page):
    """A page whose policy violations (console errors of Chromium) are collected."""
    violations = []

    def open_page():
        page = new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    open_page.violations = violations
    return open_page


def log_in(page, base, email, password, path="/account/login/"):
    page.goto(base + path)
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("[type=submit]").last.click()
    page.wait_for_load_state()


def test_the_api_docs_run_under_the_policy(shop, live_server, watched, screenshot):
    page = watched()
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="Comptoir").wait_for()
    page.get_by_text("/api/v1/products/{sku}/price").first.wait_for()
    screenshot(page, "security-api-docs")
    assert watched.violations == []


def test_storefront_pages_run_under_the_policy(shop, live_server, watched, screenshot):
    page = watched()
    log_in(page, live_server.url, *BUYER)
    for path in ("/", "/c/SCREWS/", "/p/SCR-440/", "/quick-order/", "/cart/", "/account/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # An htmx request (sorting a listing swaps only its results) still works.
    page.goto(live_server.url + "/c/SCREWS/")
    screenshot(page, "security-storefront")
    assert watched.violations == []


def test_the_back_office_language_switch_runs_under_the_policy(shop, live_server, watched):
    page = watched()
    log_in(page, live_server.url, *ADMIN, path="/admin/login/")
    page.locator("#admin-language").select_option("fr")
    page.wait_for_url(lambda url: "/fr/admin/" in url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert watched.violations == []
