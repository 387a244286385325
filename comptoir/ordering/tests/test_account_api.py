"""`GET /account`: company, credit (limit, open balance, available) and certificates."""

from decimal import Decimal

from comptoir.ordering.models import OrderStatus, PaymentStatus
from tests.factories import CompanyFactory, TaxCertificateFactory, UserFactory, create_order


def test_the_account_shows_credit_from_unpaid_orders(api, shop):
    shop.company.credit_limit = Decimal("5000.00")
    shop.company.save()
    item = [(shop.products["SCR-100"], 100, Decimal("3.50"))]
    create_order(company=shop.company, buyer=shop.buyer, items=item)  # 438.00 incl. tax
    create_order(
        company=shop.company, buyer=shop.buyer, items=item, payment_status=PaymentStatus.PAID
    )
    create_order(company=shop.company, buyer=shop.buyer, items=item, status=OrderStatus.CANCELLED)
    body = api.get("/api/v1/account").json()
    assert body["company"] == {
        "code": "ACME",
        "name": "Acme Outillage",
        "group": "PRO",
        "status": "approved",
        "country": "FR",
        "vat_number": shop.company.vat_number,
    }
    assert body["credit"] == {"limit": "5000.00", "open_balance": "438.00", "available": "4562.00"}


def test_no_limit_means_no_available_credit_and_pending_buyers_see_their_status(client, store):
    company = CompanyFactory(pending=True, american=True)
    TaxCertificateFactory(company=company, number="ST-1")
    client.force_login(UserFactory(company=company))
    body = client.get("/api/v1/account").json()
    assert body["company"]["status"] == "pending"
    assert body["credit"] == {"limit": None, "open_balance": "0.00", "available": None}
    assert [c["number"] for c in body["tax_certificates"]] == ["ST-1"]
    assert body["tax_certificates"][0]["region"] == "NY"


def test_the_account_needs_a_login(client, store):
    response = client.get("/api/v1/account")
    assert response.status_code == 401
    assert response.json()["code"] == "login_required"
