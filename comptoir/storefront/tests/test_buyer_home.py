"""A logged-in buyer's home (issue 20, "Look"): their recent orders, the company's open
invoices with what is due, their lists and shortcuts; per viewer, never from another
company's copy of the page; the same number of queries for 1 order as for 50."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from comptoir.accounts.models import Role
from comptoir.lists.models import RequisitionList
from comptoir.payments.models import InvoiceStatus
from tests.factories import (
    CompanyFactory,
    InvoiceFactory,
    OrderFactory,
    UserFactory,
)
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


def order(company, number, total, days_ago=0, buyer=None):
    return OrderFactory(
        number=number,
        company=company,
        buyer=buyer or company.users.first(),
        subtotal=Decimal(total),
        shipping_total=Decimal("0.00"),
        tax_total=Decimal("0.00"),
        placed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_buyer_sees_recent_orders_open_invoices_and_lists(client, shop):
    first = order(shop.company, "CMD-2026-000101", "150.00", days_ago=3)
    second = order(shop.company, "CMD-2026-000102", "1234.50", days_ago=1)
    InvoiceFactory(
        order=first,
        number="FAC-2026-000101",
        amount_paid=Decimal("50.00"),
        status=InvoiceStatus.PARTLY_PAID,
    )
    InvoiceFactory(
        order=second,
        number="FAC-2026-000102",
        amount_paid=Decimal("1234.50"),
        status=InvoiceStatus.PAID,
    )
    RequisitionList.objects.create(
        company=shop.company, owner=shop.buyer, name="Monday restock", sharing="company"
    )
    client.force_login(shop.buyer)
    page = client.get("/").content.decode()

    orders = page.split('id="recent-orders-title"', 1)[1].split("</section>", 1)[0]
    assert orders.index("CMD-2026-000102") < orders.index("CMD-2026-000101")
    assert "1,234.50" in orders and "150.00" in orders
    invoices = page.split('id="open-invoices-title"', 1)[1].split("</section>", 1)[0]
    assert "FAC-2026-000101" in invoices and "100.00" in invoices  # 150.00 less 50.00 paid
    assert "FAC-2026-000102" not in invoices  # paid: not open
    lists = page.split('id="home-lists-title"', 1)[1].split("</section>", 1)[0]
    assert "Monday restock" in lists and "0 lines" in lists
    assert 'href="/quick-order/"' in page and 'href="/account/quotes/new/"' in page


def test_a_role_without_prices_sees_its_orders_without_amounts(client, shop):
    order(shop.company, "CMD-2026-000201", "987.65")
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["see_company_orders"])
    keeper = UserFactory(company=shop.company, email="stock@acme.example", role="STOREKEEPER")
    client.force_login(keeper)
    page = client.get("/").content.decode()
    assert "CMD-2026-000201" in page
    assert "987.65" not in page
    assert 'id="open-invoices-title"' not in page
    assert 'id="home-lists-title"' not in page
    assert 'href="/quick-order/"' not in page


def test_a_visitor_keeps_the_catalogue_home(client, shop):
    page = client.get("/").content.decode()
    assert 'class="buyer-home"' not in page
    assert 'id="categories-title"' in page


def test_no_buyer_sees_another_companys_home_through_a_page_copy(client, shop):
    """Two companies of the same group share the catalogue, so the same copy of the page:
    each buyer's orders and invoices come from their own part, never the copy."""
    other = CompanyFactory(code="GLOBEX", name="Globex", group=shop.group)
    rival = UserFactory(company=other, email="buyer@globex.example")
    InvoiceFactory(order=order(shop.company, "CMD-2026-000301", "300.00"), number="FAC-2026-000301")
    InvoiceFactory(order=order(other, "CMD-2026-000302", "400.00"), number="FAC-2026-000302")

    client.force_login(shop.buyer)
    acme = client.get("/").content.decode()
    client.force_login(rival)
    globex = client.get("/").content.decode()
    client.force_login(shop.buyer)
    acme_again = client.get("/").content.decode()

    for page in (acme, acme_again):
        assert "CMD-2026-000301" in page and "FAC-2026-000301" in page
        assert "CMD-2026-000302" not in page and "FAC-2026-000302" not in page
    assert "CMD-2026-000302" in globex and "FAC-2026-000302" in globex
    assert "CMD-2026-000301" not in globex and "FAC-2026-000301" not in globex


@pytest.mark.parametrize("count", [1, 50])
def test_the_home_reads_as_many_queries_for_50_orders_as_for_1(
    client, shop, count, django_assert_max_num_queries
):
    for n in range(count):
        placed = order(shop.company, f"CMD-2026-{n + 400:06d}", "10.00", days_ago=n)
        InvoiceFactory(order=placed, number=f"FAC-2026-{n + 400:06d}")
        RequisitionList.objects.create(
            company=shop.company, owner=shop.buyer, name=f"List {n}", sharing="company"
        )
    client.force_login(shop.buyer)
    client.get("/")  # the page's copy, the catalogue
    # session, user, company, role's access, cart count, orders, invoices, lists: 7 today
    with django_assert_max_num_queries(8):
        page = client.get("/").content.decode()
    assert page.count('href="/orders/CMD-2026-') == min(count, 5)
    assert page.count('href="/invoices/FAC-2026-') == min(count, 5)
