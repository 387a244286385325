"""The back office's invoices: read-only copies, payments recorded through the service,
filters, documents; the order's payment status follows the invoice."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from comptoir.core.models import Store
from comptoir.core.selectors import get_store, store_today
from comptoir.ordering.models import Order, PaymentStatus
from comptoir.payments.models import Invoice, InvoicePayment, InvoiceStatus
from tests.factories import CompanyFactory, InvoiceFactory, InvoicePaymentFactory, OrderFactory

from .conftest import place


def url(name, *args):
    return reverse(f"admin:payments_invoice_{name}", args=args)


@pytest.fixture
def invoice(shop):
    return place(shop, ("SCR-100", 120), payment="INVOICE30").invoice  # 522.00


def test_the_change_page_is_read_only_with_links_to_the_documents(admin_client, invoice):
    response = admin_client.get(url("change", invoice.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in page
    assert 'name="total"' not in page
    assert url("document", invoice.pk) in page
    assert url("pdf", invoice.pk) in page
    assert url("payment", invoice.pk) in page
    assert "Acme Outillage" in page

    document = admin_client.get(url("document", invoice.pk))
    assert document.status_code == 200
    assert f"Invoice {invoice.number}" in document.content.decode()
    pdf = admin_client.get(url("pdf", invoice.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'inline; filename="{invoice.number}.pdf"'


def test_recording_a_payment_in_the_back_office(admin_client, admin_user, invoice):
    form = admin_client.get(url("payment", invoice.pk))
    assert 'value="522.00"' in form.content.decode()  # the amount due, offered
    today = store_today(get_store())
    response = admin_client.post(
        url("payment", invoice.pk),
        {
            "amount": "122.00",
            "paid_on": today.isoformat(),
            "method": "bank_transfer",
            "reference": "VIR SEPA 2231",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("change", invoice.pk)
    assert (
        f"Payment of 122.00 recorded on invoice {invoice.number}: Partly paid."
        in response.content.decode()
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PARTLY_PAID, Decimal("122.00"))
    payment = invoice.payments.get()
    assert (payment.reference, payment.recorded_by, payment.paid_on) == (
        "VIR SEPA 2231",
        admin_user,
        today,
    )
    assert Order.objects.get(pk=invoice.order_id).payment_status == PaymentStatus.PARTLY_PAID

    too_much = admin_client.post(
        url("payment", invoice.pk),
        {"amount": "400.01", "paid_on": today.isoformat(), "method": "cheque"},
    )
    assert too_much.status_code == 200
    assert (
        f"400.01 is more than the 400.00 still due on invoice {invoice.number}."
        in too_much.content.decode()
    )
    assert invoice.payments.count() == 1

    admin_client.post(
        url("payment", invoice.pk),
        {"amount": "400.00", "paid_on": today.isoformat(), "method": "cheque"},
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert url("payment", invoice.pk) not in admin_client.get(url("change", invoice.pk)).text


def test_filters_and_search(admin_client, shop, invoice):
    late = InvoiceFactory(
        order=OrderFactory(
            number="CMD-1999-000001", company=CompanyFactory(code="LATE", name="Retard SARL")
        ),
        issued_on=datetime.date(2026, 1, 5),
        status=InvoiceStatus.UNPAID,  # the daily task has not run yet
    )
    changelist = url("changelist")

    def numbers(params):
        response = admin_client.get(changelist, params)
        return {obj.number for obj in response.context["cl"].result_list}

    assert numbers({"overdue": "yes"}) == {late.number}
    assert numbers({"overdue": "no"}) == {invoice.number}
    assert numbers({"status__exact": "unpaid"}) == {late.number, invoice.number}
    assert numbers({"q": "Retard"}) == {late.number}
    assert numbers({"q": "ACME"}) == {invoice.number}


def test_changelist_queries_do_not_grow_with_invoices(
    admin_client, store, django_assert_max_num_queries
):
    InvoiceFactory()
    with django_assert_max_num_queries(12) as one:
        admin_client.get(url("changelist"))
    for _ in range(49):
        InvoiceFactory()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = admin_client.get(url("changelist"))
    assert response.context["cl"].result_count == 50


def test_payments_are_never_changed_or_deleted(admin_client, store):
    payment = InvoicePaymentFactory(amount=Decimal("50.00"))
    change = reverse("admin:payments_invoicepayment_change", args=[payment.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"amount": "1.00"}).status_code == 403
    delete = reverse("admin:payments_invoicepayment_delete", args=[payment.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.get(url("delete", payment.invoice_id)).status_code == 403
    assert InvoicePayment.objects.get().amount == Decimal("50.00")


def test_an_invoiced_orders_payment_status_follows_its_invoice(admin_client, invoice):
    response = admin_client.get(reverse("admin:ordering_order_change", args=[invoice.order_id]))
    page = response.content.decode()
    assert 'name="payment_status"' not in page
    assert url("change", invoice.pk) in page
    assert invoice.number in page


def test_the_store_holds_the_invoicing_settings(admin_client, store):
    change = reverse("admin:core_store_change", args=[store.pk])
    response = admin_client.get(change)
    page = response.content.decode()
    for name in ("invoice_on", "block_overdue_invoice_terms", "legal_address", "iban", "bic"):
        assert f'name="{name}"' in page
    data = {
        "name": store.name,
        "language": "en",
        "country": "FR",
        "region": "",
        "currency": "EUR",
        "time_zone": "Europe/Paris",
        "access_mode": store.access_mode,
        "default_group": store.default_group_id,
        "base_price_list": store.base_price_list_id,
        "min_order_amount": "150.00",
        "approval_valid_days": "14",
        "return_window_days": "30",
        "legal_notice": "",
        "invoice_on": "shipped",
        "block_overdue_invoice_terms": "on",
        "legal_address": "18 rue de l'Industrie\n69200 Vénissieux",
        "vat_number": "FR40303265045",
        "iban": "FR76 3000 6000 0112 3456 7890 188",
        "bic": "AGRIFRPP",
    }
    refused = admin_client.post(change, data)
    assert refused.status_code == 200
    assert "is not a valid IBAN" in refused.content.decode()
    response = admin_client.post(change, {**data, "iban": "FR76 3000 6000 0112 3456 7890 189"})
    assert response.status_code == 302, response.context["errors"]
    store = Store.objects.get()
    assert (store.invoice_on, store.block_overdue_invoice_terms, store.bic) == (
        "shipped",
        True,
        "AGRIFRPP",
    )
    assert Invoice.objects.count() == 0
