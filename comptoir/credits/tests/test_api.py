"""Credit notes over the REST API: the list, one credit note with its figures, its PDF."""

from decimal import Decimal

import pytest
from django.test import Client

from comptoir.credits.services import credit_note_issue
from tests.factories import CompanyFactory, InvoiceFactory, UserFactory, create_order

from .conftest import place

PASSWORD = "Comptoir-2026!"
pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    client = Client()
    token = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def note(shop):
    invoice = place(shop, ("SCR-100", 120), ("MNL-1", 3), payment="INVOICE30").invoice
    return credit_note_issue(
        invoice=invoice, kind="lines", quantities={0: 40, 1: 1}, reason="Damaged"
    )


def test_read_a_credit_note_and_its_pdf(shop, note):
    api = _api(shop.buyer)
    body = api.get(f"/api/v1/credit-notes/{note.number}").json()
    assert {key: body[key] for key in ("number", "invoice", "kind", "reason", "total")} == {
        "number": note.number,
        "invoice": note.invoice.number,
        "kind": "lines",
        "reason": "Damaged",
        "total": "180.66",
    }
    assert body["tax_lines"] == [
        {"rate": "20.0000", "base": "140.00", "amount": "28.00", "reason": None},
        {"rate": "5.5000", "base": "12.00", "amount": "0.66", "reason": None},
    ]
    assert [(line["sku"], line["quantity"], line["net"]) for line in body["lines"]] == [
        ("SCR-100", 40, "140.00"),
        ("MNL-1", 1, "12.00"),
    ]
    assert body["buyer"]["vat_number"] == "FR83404833048"
    pdf = api.get(body["pdf_url"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    listed = api.get("/api/v1/credit-notes").json()
    assert listed["count"] == 1
    assert listed["items"][0]["number"] == note.number


def test_a_viewer_without_invoices_gets_403_and_another_company_404(shop, note):
    picker = UserFactory(company=shop.company, role="viewer", email="lecture@acme.example")
    response = _api(picker).get("/api/v1/credit-notes")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    stranger = _api(UserFactory(company=CompanyFactory(group=shop.group)))
    response = stranger.get(f"/api/v1/credit-notes/{note.number}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert stranger.get("/api/v1/credit-notes").json()["count"] == 0
    assert Client().get("/api/v1/credit-notes").status_code == 401


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_costs_a_fixed_number_of_queries(shop, count, django_assert_max_num_queries):
    for _ in range(count):
        order = create_order(
            company=shop.company, items=[(shop.products["SCR-100"], 10, Decimal("3.90"))]
        )
        credit_note_issue(
            invoice=InvoiceFactory(order=order), kind="amount", amount=Decimal("5.00"), reason="x"
        )
    api = _api(shop.buyer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/credit-notes?page_size=100")
    assert response.json()["count"] == count
