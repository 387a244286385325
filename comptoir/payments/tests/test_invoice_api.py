"""Invoices over the REST API (issue 19): the list with its filters, one invoice, its PDF,
with the rights of the invoice pages."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from comptoir.credits.services import credit_note_issue, invoice_record_refund
from comptoir.customers.models import Location
from comptoir.payments.invoicing import invoice_record_payment, invoices_mark_overdue
from comptoir.payments.models import InvoiceStatus
from tests.factories import CompanyFactory, InvoiceFactory, OrderFactory, UserFactory

from .conftest import place


@pytest.fixture
def invoice(shop):
    """ACME's order of 120 screws and 2 binders on 30-day terms: 547.32, 200.00 paid."""
    order = place(shop, ("SCR-100", 120), ("MNL-1", 2), payment="INVOICE30", po_number="PO-88")
    invoice_record_payment(
        invoice=order.invoice, amount=Decimal("200.00"), paid_on=order.invoice.issued_on,
        method="bank_transfer",
    )  # fmt: skip
    order.invoice.refresh_from_db()
    return order.invoice


def test_one_invoice_reads_as_issued(client, shop, invoice):
    client.force_login(shop.buyer)
    body = client.get(f"/api/v1/invoices/{invoice.number}").json()
    assert body["number"] == invoice.number
    assert body["order"] == invoice.order.number
    assert body["status"] == "partly_paid"
    assert body["po_number"] == "PO-88"
    assert body["payment_method"] == "INVOICE30"
    assert body["buyer"] == {
        "code": "ACME",
        "name": "Acme Outillage",
        "vat_number": "FR83404833048",
    }
    assert (body["total"], body["amount_paid"], body["amount_due"]) == (
        "547.32",
        "200.00",
        "347.32",
    )
    assert [line["sku"] for line in body["lines"]] == ["SCR-100", "MNL-1"]
    assert body["lines"][0]["quantity"] == 120
    assert body["tax_lines"][0]["rate"] == "20.00"
    assert body["due_on"] == (invoice.issued_on + datetime.timedelta(days=30)).isoformat()


def test_the_pdf_is_the_invoice_document(client, shop, invoice):
    client.force_login(shop.buyer)
    response = client.get(f"/api/v1/invoices/{invoice.number}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert invoice.number in text


def test_the_list_filters_by_status_and_issue_date(client, shop, invoice):
    paid = place(shop, ("SCR-100", 50), payment="INVOICE30").invoice
    invoice_record_payment(
        invoice=paid, amount=paid.total, paid_on=paid.issued_on, method="bank_transfer"
    )
    old = InvoiceFactory(
        order=OrderFactory(company=shop.company, number="CMD-2025-000001"),
        issued_on=datetime.date(2025, 1, 10),
    )
    client.force_login(shop.buyer)

    def numbers(query=""):
        body = client.get(f"/api/v1/invoices{query}").json()
        return [item["number"] for item in body["items"]], body["count"]

    assert numbers() == ([paid.number, invoice.number, old.number], 3)
    assert numbers("?status=paid") == ([paid.number], 1)
    assert numbers("?status=open") == ([invoice.number, old.number], 2)
    assert numbers("?issued_until=2025-12-31") == ([old.number], 1)
    assert numbers("?issued_from=2026-01-01&status=open") == ([invoice.number], 1)
    invoices_mark_overdue(day=datetime.date(2025, 3, 1))
    assert numbers("?status=overdue") == ([old.number], 1)
    assert numbers("?page=2&page_size=2") == ([old.number], 3)


def test_credit_notes_and_refunds_show_on_the_invoice_and_credited_filters(client, shop, invoice):
    before = invoice.updated_at
    credit_note_issue(invoice=invoice, kind="amount", amount=Decimal("100.00"), reason="Damaged")
    client.force_login(shop.buyer)
    body = client.get(f"/api/v1/invoices/{invoice.number}").json()
    assert (body["status"], body["amount_credited"], body["amount_due"]) == (
        "partly_paid",
        "100.00",
        "247.32",
    )
    # The rest credited: 200.00 paid is owed back to the buyer, then refunded.
    credit_note_issue(invoice=invoice, kind="whole", reason="Order returned")
    invoice.refresh_from_db()
    assert invoice.updated_at > before
    invoice_record_refund(
        invoice=invoice,
        amount=Decimal("150.00"),
        refunded_on=invoice.issued_on,
        method="bank_transfer",
    )
    body = client.get(f"/api/v1/invoices/{invoice.number}").json()
    assert (
        body["status"],
        body["amount_credited"],
        body["amount_paid"],
        body["amount_refunded"],
        body["amount_due"],
    ) == ("credited", "547.32", "200.00", "150.00", "-50.00")
    assert body["updated_at"] > invoice.updated_at.isoformat()
    listed = client.get("/api/v1/invoices?status=credited").json()
    assert [item["number"] for item in listed["items"]] == [invoice.number]
    assert client.get("/api/v1/invoices?status=open").json()["count"] == 0


@pytest.mark.parametrize(
    "query", ["?status=late", "?issued_from=yesterday", "?page_size=101", "?page=0"]
)
def test_bad_filters_are_invalid_requests(client, shop, query):
    client.force_login(shop.buyer)
    response = client.get(f"/api/v1/invoices{query}")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_request")


@pytest.mark.parametrize("role", ["viewer", "requester"])
def test_a_role_without_invoices_is_refused(client, shop, invoice, role):
    client.force_login(UserFactory(company=shop.company, role=role))
    for path in ("", f"/{invoice.number}", f"/{invoice.number}/pdf"):
        response = client.get(f"/api/v1/invoices{path}")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_another_companys_invoice_is_not_found(client, shop, invoice):
    stranger = UserFactory(company=CompanyFactory(code="OTHER", group=shop.group))
    client.force_login(stranger)
    assert client.get("/api/v1/invoices").json()["count"] == 0
    for path in (f"/{invoice.number}", f"/{invoice.number}/pdf", "/FAC-1999-000001"):
        response = client.get(f"/api/v1/invoices{path}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_user_limited_to_another_location_sees_none_of_its_invoices(client, shop, invoice):
    elsewhere = Location.objects.create(company=shop.company, code="PARIS", name="Paris")
    user = UserFactory(company=shop.company, all_locations=False)
    user.locations.set([elsewhere])
    invoice.order.location = shop.company.locations.exclude(pk=elsewhere.pk).get()
    invoice.order.save()
    client.force_login(user)
    assert client.get("/api/v1/invoices").json()["count"] == 0
    response = client.get(f"/api/v1/invoices/{invoice.number}")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_guest_and_a_pending_company_are_refused(client, shop, invoice):
    assert client.get("/api/v1/invoices").status_code == 401
    shop.company.status = "pending"
    shop.company.save()
    client.force_login(shop.buyer)
    response = client.get("/api/v1/invoices")
    assert (response.status_code, response.json()["code"]) == (403, "company_not_approved")


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_reads_in_constant_queries(client, shop, count, django_assert_max_num_queries):
    for _ in range(count):
        InvoiceFactory(order=OrderFactory(company=shop.company), status=InvoiceStatus.UNPAID)
    client.force_login(shop.buyer)
    client.get("/api/v1/invoices")  # the session and the store are read once
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/invoices?page_size=100").json()
    assert body["count"] == count
