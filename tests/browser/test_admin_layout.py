"""The back office's company and order pages on a laptop: no horizontal scrolling, money as money.

A company with many addresses and buyers and an order of many discounted lines are what
staff open all day; at 1280 and 1024 pixels wide they must fit the window, and amounts,
unit prices and rates read `8.49`, `6.9913`, `20 %` (core/money.py), never `8.4900`.
"""

from decimal import Decimal

import pytest

from tests.factories import (
    AddressFactory,
    CompanyFactory,
    CustomerGroupFactory,
    ProductFactory,
    StaffUserFactory,
    StoreFactory,
    UserFactory,
    create_order,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADMIN = ("merchant@comptoir.example", "Back-Office-2026")
WIDTHS = (1280, 1024)


@pytest.fixture
def office(transactional_db):
    """Company ETS-DURAND-FILS with 6 addresses and 5 buyers; its order of 14 lines."""
    StoreFactory()
    StaffUserFactory(email=ADMIN[0], password=ADMIN[1], is_superuser=True)
    company = CompanyFactory(
        code="ETS-DURAND-FILS",
        name="Établissements Durand et Fils, quincaillerie industrielle et fournitures",
        group=CustomerGroupFactory(code="PRO-INDUSTRIE", name="Professionnels de l'industrie"),
    )
    for n in range(6):
        AddressFactory(
            company=company,
            code=f"DEPOT-{n}",
            position=n,
            line1=f"{n + 12} avenue du Maréchal de Lattre de Tassigny, zone industrielle nord",
            line2="Bâtiment C, quai de déchargement numéro 4, accès poids lourds",
            city="Saint-Quentin-Fallavier",
            postal_code="38070",
            country="FR",
        )
    buyers = [
        UserFactory(company=company, email=f"acheteur.principal.{n}@durand-et-fils.example")
        for n in range(5)
    ]
    products = [
        ProductFactory(
            sku=f"VIS-INOX-A4-{n:03d}",
            name=f"Vis à tête fraisée inox A4 6 × {40 + n} mm, boîte de 200",
            min_qty=1,
            qty_step=1,
            max_qty=None,
        )
        for n in range(14)
    ]
    order = create_order(
        company=company,
        buyer=buyers[0],
        items=[
            (product, 1200 + n, Decimal("6.9913") if n % 2 else Decimal("8.4900"))
            for n, product in enumerate(products)
        ],
        volume_percent=Decimal("2.5000"),
        number="CMD-2026-004217",
        po_number="BC-2026-DURAND-000123456",
    )
    return company, order


def login(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("E-mail address").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    page.get_by_role("button", name="Log in").click()


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_company_and_order_pages_fit_the_window(office, live_server, new_page, screenshot, width):
    company, order = office
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url)

    page.goto(f"{live_server.url}/admin/customers/company/{company.pk}/change/")
    screenshot(page, f"admin-company-{width}")
    company_overflow = overflow(page)
    page.goto(f"{live_server.url}/admin/ordering/order/{order.pk}/change/")
    screenshot(page, f"admin-order-{width}")
    order_overflow = overflow(page)

    assert (company_overflow, order_overflow) == (0, 0)
