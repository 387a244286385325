"""The storefront's look in a real browser (issue 20, point 5): every main page at a phone's
width (390 px) and a laptop's (1366 px), for a visitor and a buyer, in English and French,
with no horizontal scroll of the page and no serious or critical axe-core violation; full-page
screenshots are kept in artifacts/screenshots/ (CI prints where)."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from comptoir.catalog.services import product_image_add
from comptoir.core.logo import store_logo_set
from comptoir.lists.models import RequisitionList
from comptoir.payments.models import InvoiceStatus
from tests.factories import InvoiceFactory, OrderFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
SERIOUS = {"serious", "critical"}
_axe = Axe()


def picture(colour, shape) -> bytes:
    """A product photo stand-in drawn by Pillow: a light ground and a coloured object."""
    image = Image.new("RGB", (800, 600), (244, 246, 249))
    draw = ImageDraw.Draw(image)
    if shape == "bolt":
        draw.rectangle((360, 120, 440, 480), fill=colour)
        draw.rectangle((300, 90, 500, 150), fill=colour)
    else:
        draw.ellipse((220, 120, 580, 480), fill=colour)
        draw.ellipse((330, 230, 470, 370), fill=(244, 246, 249))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def logo() -> bytes:
    image = Image.new("RGBA", (640, 160), (0, 0, 0, 0))  # drawn for a dark header
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 20, 120, 140), radius=24, fill=(255, 176, 32))
    draw.rectangle((40, 50, 80, 110), fill=(15, 29, 51))
    draw.text((145, 34), "MARTIN & FILS", font=ImageFont.load_default(size=60), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def shop(transactional_db):
    store = StoreFactory(name="Quincaillerie Martin & Fils")
    store_logo_set(store, logo())
    store.save()
    shop = build_shop(store)
    product_image_add(
        product=shop.products["SCR-100"], data=picture((90, 110, 140), "bolt"), alt="Wood screw"
    )
    product_image_add(
        product=shop.products["GLV-12"], data=picture((30, 140, 200), "ring"), alt="Blue gloves"
    )
    for n, (total, status) in enumerate(
        (("1250.00", InvoiceStatus.OVERDUE), ("312.40", InvoiceStatus.UNPAID))
    ):
        order = OrderFactory(
            number=f"CMD-2026-00070{n}",
            company=shop.company,
            buyer=shop.buyer,
            subtotal=Decimal(total),
            shipping_total=Decimal("0.00"),
            tax_total=Decimal("0.00"),
            placed_at=timezone.now() - datetime.timedelta(days=40 - 30 * n),
        )
        InvoiceFactory(order=order, number=f"FAC-2026-00070{n}", status=status)
    RequisitionList.objects.create(
        company=shop.company, owner=shop.buyer, name="Monday restock", sharing="company"
    )
    return shop


def open_at(browser, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def log_in(page, url, email, prefix=""):
    page.goto(url + prefix + "/account/login/")
    page.locator("#id_username, input[name=username], input[type=email]").first.fill(email)
    page.locator("input[type=password]").first.fill(PASSWORD)
    page.get_by_role("main").locator("button[type=submit]").click()
    page.wait_for_url(lambda address: "/login/" not in address)


def check(page, name):
    """No horizontal scroll, no serious axe violation; a full-page screenshot kept."""
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow} px"
    found = _axe.run(page).response["violations"]
    serious = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in SERIOUS
    ]
    assert not serious, f"{name}: " + json.dumps(serious, indent=1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


VISITOR_PAGES = {
    "home": "/",
    "category": "/c/FASTENERS/",
    "product": "/p/SCR-100/",
    "search": "/search/?q=screws",
    "login": "/account/login/",
}
BUYER_PAGES = {
    "home": "/",
    "category": "/c/FASTENERS/",
    "product": "/p/GLV-12/",
    "search": "/search/?q=screws",
    "quick-order": "/quick-order/",
    "cart": "/cart/",
    "checkout": "/checkout/",
    "orders": "/orders/",
    "order": "/orders/CMD-2026-000700/",
    "lists": "/lists/",
    "account": "/account/",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_visitors_pages_fit_and_pass_axe(shop, live_server, browser, width):
    context, page = open_at(browser, width)
    try:
        for name, path in VISITOR_PAGES.items():
            page.goto(live_server.url + path)
            check(page, f"{width}-visitor-{name}")
        page.goto(live_server.url + "/c/FASTENERS/")
        cards = page.locator(".product-card")
        assert cards.count() == 5
        # The card with a picture and the one without are the same height in a row.
        assert cards.locator("img.card-image").count() == 2
        assert cards.locator(".card-placeholder").count() == 3
        heights = {round(box["height"]) for box in (c.bounding_box() for c in cards.all()[:2])}
        assert len(heights) == 1, heights
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_buyers_pages_fit_and_pass_axe(shop, live_server, browser, width):
    context, page = open_at(browser, width)
    try:
        log_in(page, live_server.url, shop.buyer.email)
        page.goto(live_server.url + "/quick-order/")
        page.get_by_label("SKU and quantity, one per line").fill("SCR-100 120\nGLV-12 24")
        page.get_by_role("button", name="Add to the cart").click()
        page.get_by_role("link", name="See the cart").wait_for()
        for name, path in BUYER_PAGES.items():
            page.goto(live_server.url + path)
            check(page, f"{width}-buyer-{name}")
        page.goto(live_server.url + "/")
        assert page.locator("#cart-count").inner_text().startswith("2")
        home = page.locator(".buyer-home")
        assert "CMD-2026-000701" in home.inner_text()
        invoices = home.locator("section", has=page.locator("#open-invoices-title"))
        assert "FAC-2026-000700" in invoices.inner_text()
        assert "1,250.00" in invoices.inner_text()
        assert "Monday restock" in home.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_french_pages_fit_and_pass_axe(shop, live_server, browser, width):
    shop.buyer.language = "fr"
    shop.buyer.save()
    context, page = open_at(browser, width)
    try:
        log_in(page, live_server.url, shop.buyer.email, prefix="/fr")
        for name in ("home", "category", "product", "quick-order", "orders", "account"):
            page.goto(live_server.url + "/fr" + BUYER_PAGES[name])
            check(page, f"{width}-fr-{name}")
    finally:
        context.close()


def test_the_account_menu_opens_from_the_keyboard(shop, live_server, browser):
    context, page = open_at(browser, "phone")
    try:
        log_in(page, live_server.url, shop.buyer.email)
        page.goto(live_server.url + "/")
        summary = page.locator(".account-menu summary")
        assert page.get_by_role("button", name="Log out").count() == 0  # folded
        summary.focus()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Log out").wait_for()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Acme Outillage"  # the first link of the menu: the account page
        check(page, "phone-buyer-account-menu")
        page.keyboard.press("Escape")
        # The categories fold under their summary on a phone, the products first.
        page.goto(live_server.url + "/c/FASTENERS/")
        nav = page.get_by_role("navigation", name="Categories")
        assert not nav.locator("ul").first.is_visible()
        nav.locator("summary").click()
        assert nav.get_by_role("link", name="Fasteners").is_visible()
    finally:
        context.close()
