"""Invoices: issued with the order (or when shipped), numbered without gaps, paid in full or
in part, overdue after their due date; the open balance and the credit check follow."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import default_task_backend

from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import InvoiceOn
from comptoir.core.selectors import get_store, store_today
from comptoir.ordering.models import Order, OrderStatus, PaymentStatus
from comptoir.ordering.order_status import order_set_status, orders_set_status
from comptoir.payments.invoicing import (
    invoice_for_order,
    invoice_record_payment,
    invoices_mark_overdue,
)
from comptoir.payments.models import Invoice, InvoiceCounter, InvoicePayment, InvoiceStatus
from comptoir.payments.selectors import credit_of, open_balance
from comptoir.payments.tasks import daily_overdue_invoices
from tests.factories import InvoiceFactory, OrderFactory, StaffUserFactory

from .conftest import SELLER_VAT, place

D = Decimal
MARCH_4 = datetime.date(2026, 3, 4)


def invoice_on_shipping(store):
    store.invoice_on = InvoiceOn.SHIPPED
    store.save()


def pay(invoice, amount, paid_on=None, **kwargs):
    return invoice_record_payment(
        invoice=invoice,
        amount=D(amount),
        paid_on=paid_on or store_today(get_store()),
        method=kwargs.pop("method", "bank_transfer"),
        reference=kwargs.pop("reference", "VIR 0042"),
        **kwargs,
    )


# Issuing


def test_placing_an_order_invoices_it_with_copies_of_seller_buyer_and_amounts(shop):
    order = place(shop, ("SCR-100", 120), ("MNL-1", 2), payment="INVOICE30", po_number="PO-1")

    invoice = Invoice.objects.get(order=order)
    today = store_today(get_store())
    assert invoice.number == f"FAC-{today.year}-000001"
    assert (invoice.issued_on, invoice.due_on) == (today, today + datetime.timedelta(days=30))
    assert (invoice.status, invoice.amount_paid, invoice.amount_due) == (
        "unpaid",
        D("0.00"),
        D("547.32"),
    )
    assert (invoice.payment_type, invoice.net_days, invoice.term_rule) == ("invoice", 30, "net")
    assert (invoice.seller_name, invoice.seller_vat_number) == (
        "Quincaillerie Martin & Fils",
        SELLER_VAT,
    )
    assert invoice.seller_address.startswith("Quincaillerie Martin & Fils SAS\n18 rue")
    assert (invoice.buyer_name, invoice.buyer_code, invoice.buyer_vat_number) == (
        "Acme Outillage",
        "ACME",
        "FR83404833048",
    )
    assert invoice.billing_address["city"] == "Lyon"
    assert invoice.po_number == "PO-1"
    assert (invoice.subtotal, invoice.shipping_total, invoice.tax_total, invoice.total) == (
        D("444.00"),
        D("15.00"),
        D("88.32"),
        D("547.32"),
    )
    assert invoice.tax_lines == [
        {"rate": "20.0000", "base": "435.00", "amount": "87.00", "reason": ""},
        {"rate": "5.5000", "base": "24.00", "amount": "1.32", "reason": ""},
    ]
    assert [(line["sku"], line["quantity"], line["net"]) for line in invoice.lines] == [
        ("SCR-100", 120, "420.00"),
        ("MNL-1", 2, "24.00"),
    ]
    # Later changes of the store or the company do not touch the invoice.
    store = get_store()
    store.vat_number = "FR00000000000"
    store.save()
    invoice.refresh_from_db()
    assert invoice.seller_vat_number == SELLER_VAT


@pytest.mark.parametrize(
    ("method", "issued_on", "due_on"),
    [
        ("INVOICE30", datetime.date(2026, 3, 4), datetime.date(2026, 4, 3)),
        ("INVOICE30", datetime.date(2026, 12, 15), datetime.date(2027, 1, 14)),
        ("INVOICE45EOM", datetime.date(2026, 1, 31), datetime.date(2026, 3, 31)),
        ("INVOICE45EOM", datetime.date(2026, 3, 4), datetime.date(2026, 4, 30)),
        ("TRANSFER", datetime.date(2026, 3, 4), datetime.date(2026, 3, 4)),
    ],
)
def test_due_dates_follow_the_terms_of_the_payment_method(shop, method, issued_on, due_on):
    invoice_on_shipping(shop.store)
    order = place(shop, ("SCR-100", 120), payment=method)
    invoice = invoice_for_order(order=order, issued_on=issued_on)
    assert (invoice.issued_on, invoice.due_on) == (issued_on, due_on)
    assert invoice.number == f"FAC-{issued_on.year}-000001"


def test_invoicing_twice_gives_the_same_invoice(shop):
    order = place(shop, ("SCR-100", 120))
    first = Invoice.objects.get(order=order)
    assert invoice_for_order(order=order) == first
    assert Invoice.objects.count() == 1
    assert InvoiceCounter.objects.get().last == 1


def test_numbers_follow_each_other_per_year_and_a_rollback_leaves_no_gap(shop):
    invoice_on_shipping(shop.store)
    orders = [place(shop, ("SCR-100", 120)) for _ in range(3)]
    assert invoice_for_order(order=orders[0], issued_on=MARCH_4).number == "FAC-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_for_order(order=orders[1], issued_on=MARCH_4)
        raise RuntimeError("the placement failed after the invoice was numbered")
    assert invoice_for_order(order=orders[2], issued_on=MARCH_4).number == "FAC-2026-000002"
    next_year = datetime.date(2027, 1, 2)
    assert invoice_for_order(order=orders[1], issued_on=next_year).number == "FAC-2027-000001"


def test_a_store_invoicing_on_shipping_invoices_shipped_and_delivered_orders(shop):
    invoice_on_shipping(shop.store)
    shipped, delivered, confirmed = (place(shop, ("SCR-100", 120)) for _ in range(3))
    assert not Invoice.objects.exists()

    order_set_status(order=shipped, status=OrderStatus.SHIPPED)
    order_set_status(order=delivered, status=OrderStatus.DELIVERED)  # shipping not marked
    order_set_status(order=confirmed, status=OrderStatus.CONFIRMED)
    order_set_status(order=shipped, status=OrderStatus.DELIVERED)

    year = store_today(get_store()).year
    assert dict(Invoice.objects.values_list("order__number", "number")) == {
        shipped.number: f"FAC-{year}-000001",
        delivered.number: f"FAC-{year}-000002",
    }


def test_an_order_marked_paid_before_it_ships_gets_a_paid_invoice(shop):
    invoice_on_shipping(shop.store)
    order = place(shop, ("SCR-100", 120))
    Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PAID)
    order_set_status(order=order, status=OrderStatus.SHIPPED)

    invoice = Invoice.objects.get(order=order)
    assert (invoice.status, invoice.amount_paid) == ("paid", D("522.00"))
    assert list(InvoicePayment.objects.values_list("amount", "reference")) == [
        (D("522.00"), "Paid before invoicing")
    ]


# Payments


def test_partial_then_full_payment(shop):
    order = place(shop, ("SCR-100", 120), ("MNL-1", 2), payment="INVOICE30")  # 547.32
    invoice = order.invoice
    staff = StaffUserFactory()

    pay(invoice, "200.00", user=staff)
    invoice.refresh_from_db()
    order.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.amount_due) == (
        "partly_paid",
        D("200.00"),
        D("347.32"),
    )
    assert order.payment_status == PaymentStatus.PARTLY_PAID

    payment = pay(invoice, "347.32", reference="  CHQ 5521 ", method="cheque")
    invoice.refresh_from_db()
    order.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.amount_due) == (
        "paid",
        D("547.32"),
        D("0.00"),
    )
    assert order.payment_status == PaymentStatus.PAID
    assert (payment.method, payment.reference) == ("cheque", "CHQ 5521")
    assert list(invoice.payments.values_list("amount", "recorded_by")) == [
        (D("200.00"), staff.pk),
        (D("347.32"), None),
    ]


def test_paying_more_than_is_due_is_refused_and_writes_nothing(shop):
    invoice = place(shop, ("SCR-100", 120), payment="INVOICE30").invoice  # 522.00
    pay(invoice, "500.00")
    with pytest.raises(BusinessRuleError) as refused:
        pay(invoice, "22.01")
    assert refused.value.code == "payment_above_amount_due"
    assert refused.value.message == (
        f"22.01 is more than the 22.00 still due on invoice {invoice.number}."
    )
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status, invoice.payments.count()) == (
        D("500.00"),
        "partly_paid",
        1,
    )


@pytest.mark.parametrize(
    ("amount", "days_ahead", "code"),
    [("0.00", 0, "payment_not_positive"), ("10.00", 1, "payment_in_the_future")],
)
def test_bad_payments_are_refused(shop, amount, days_ahead, code):
    invoice = place(shop, ("SCR-100", 120)).invoice
    with pytest.raises(BusinessRuleError) as refused:
        pay(invoice, amount, store_today(get_store()) + datetime.timedelta(days=days_ahead))
    assert refused.value.code == code


# Cancelling an invoiced order


def test_cancelling_an_order_credits_its_unpaid_invoice_and_keeps_its_number(shop):
    order = place(shop, ("SCR-100", 120), payment="INVOICE30")
    assert open_balance(shop.company) == D("522.00")

    order_set_status(order=order, status=OrderStatus.CANCELLED)

    invoice = Invoice.objects.get(order=order)
    assert invoice.status == InvoiceStatus.CREDITED
    assert invoice.amount_credited == D("522.00")
    [note] = invoice.credit_notes.all()
    assert (note.total, note.kind, note.reason) == (D("522.00"), "whole", "Order cancelled")
    assert open_balance(shop.company) == D("0.00")
    with pytest.raises(BusinessRuleError) as refused:
        pay(invoice, "10.00")
    assert refused.value.code == "invoice_credited"
    assert place(shop, ("SCR-100", 120)).invoice.number.endswith("-000002")


def test_cancelling_an_order_with_payments_credits_its_invoice_and_owes_the_payment_back(shop):
    paid, free = (place(shop, ("SCR-100", 120), payment="INVOICE30") for _ in range(2))
    pay(paid.invoice, "100.00")

    change = orders_set_status(
        orders=Order.objects.filter(pk__in=[paid.pk, free.pk]), status=OrderStatus.CANCELLED
    )

    assert (change.changed, change.refused) == (2, [])
    invoice = Invoice.objects.get(order=paid)
    assert invoice.status == InvoiceStatus.CREDITED
    assert (invoice.amount_credited, invoice.amount_due, invoice.amount_refundable) == (
        D("522.00"),
        D("-100.00"),
        D("100.00"),
    )
    assert Invoice.objects.get(order=free).status == InvoiceStatus.CREDITED
    assert list(paid.invoice.credit_notes.values_list("number", flat=True)) + list(
        free.invoice.credit_notes.values_list("number", flat=True)
    ) == [
        f"AV-{invoice.issued_on.year}-000001",
        f"AV-{invoice.issued_on.year}-000002",
    ]


# Overdue


def test_invoices_past_their_due_date_become_overdue(shop):
    invoice_on_shipping(shop.store)
    orders = [place(shop, ("SCR-100", 120), payment="INVOICE30") for _ in range(5)]
    unpaid, partly, paid = (invoice_for_order(order=o, issued_on=MARCH_4) for o in orders[:3])
    later = invoice_for_order(order=orders[3], issued_on=datetime.date(2026, 3, 5))
    assert (unpaid.due_on, later.due_on) == (datetime.date(2026, 4, 3), datetime.date(2026, 4, 4))

    assert invoices_mark_overdue(day=datetime.date(2026, 4, 3)) == 0  # the last day to pay
    assert invoices_mark_overdue(day=datetime.date(2026, 4, 4)) == 3
    assert invoices_mark_overdue(day=datetime.date(2026, 4, 4)) == 0
    pay(partly, "100.00", datetime.date(2026, 4, 10))
    pay(paid, "522.00", datetime.date(2026, 4, 10))
    statuses = dict(Invoice.objects.values_list("pk", "status"))
    assert [statuses[i.pk] for i in (unpaid, partly, paid, later)] == [
        "overdue",
        "overdue",
        "paid",
        "unpaid",
    ]
    assert Order.objects.get(pk=partly.order_id).payment_status == PaymentStatus.PARTLY_PAID
    pay(Invoice.objects.get(pk=partly.pk), "400.00")  # 22.00 still due
    assert Invoice.objects.get(pk=partly.pk).status == "overdue"
    pay(Invoice.objects.get(pk=partly.pk), "22.00")
    assert Invoice.objects.get(pk=partly.pk).status == "paid"

    assert invoices_mark_overdue(day=datetime.date(2026, 4, 5)) == 1  # later's turn

    # A partly paid invoice becomes overdue too.
    recent = invoice_for_order(order=orders[4], issued_on=store_today(get_store()))
    pay(recent, "100.00")
    assert Invoice.objects.get(pk=recent.pk).status == "partly_paid"
    assert invoices_mark_overdue(day=recent.due_on) == 0
    assert invoices_mark_overdue(day=recent.due_on + datetime.timedelta(days=1)) == 1
    assert Invoice.objects.get(pk=recent.pk).status == "overdue"


def test_the_daily_task_marks_todays_overdue_invoices_and_is_scheduled(shop, settings):
    invoice_on_shipping(shop.store)
    order = place(shop, ("SCR-100", 120), payment="INVOICE30")
    today = store_today(get_store())
    invoice = invoice_for_order(order=order, issued_on=today - datetime.timedelta(days=31))

    result = daily_overdue_invoices.call()

    assert result == {"day": today.isoformat(), "marked_overdue": 1}
    invoice.refresh_from_db()
    assert invoice.status == "overdue"

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("schedule_daily_tasks")
    call_command("schedule_daily_tasks")
    assert sorted(result.task.name for result in default_task_backend.results) == [
        "daily_approval_expiry",
        "daily_certificate_reminders",
        "daily_overdue_invoices",
        "daily_quote_expiry",
        "nightly_segmentation",
        "sweep_deliveries",
        "sweep_unsent_confirmations",
    ]


# Open balance and credit


def test_open_balance_is_unpaid_invoices_plus_orders_not_invoiced_yet(shop):
    company = shop.company
    invoiced = InvoiceFactory(order=OrderFactory(company=company, subtotal=D("1000.00")))
    partly = InvoiceFactory(
        order=OrderFactory(company=company, subtotal=D("2000.00")),
        status=InvoiceStatus.OVERDUE,
        amount_paid=D("750.50"),
    )
    InvoiceFactory(
        order=OrderFactory(company=company, payment_status=PaymentStatus.PAID),
        status=InvoiceStatus.PAID,
        amount_paid=D("291.60"),
    )
    InvoiceFactory(order=OrderFactory(company=company), status=InvoiceStatus.CANCELLED)
    OrderFactory(company=company, subtotal=D("100.00"))  # not invoiced yet: 163.60
    OrderFactory(company=company, payment_status=PaymentStatus.PAID)
    OrderFactory(company=company, status=OrderStatus.CANCELLED)
    InvoiceFactory()  # another company's

    # 1,063.60 + (2,063.60 − 750.50) + 163.60
    assert (invoiced.total, partly.total) == (D("1063.60"), D("2063.60"))
    assert open_balance(company) == D("2540.30")
    credit = credit_of(company)
    assert (credit.limit, credit.open_balance, credit.overdue) == (
        D("5000.00"),
        D("2540.30"),
        True,
    )
    assert credit.block_when_overdue is False


def test_credit_of_is_one_query_whatever_the_invoices(shop, django_assert_num_queries):
    with django_assert_num_queries(1):
        credit_of(shop.company)
    for _ in range(5):
        InvoiceFactory(order=OrderFactory(company=shop.company))
        OrderFactory(company=shop.company)
    with django_assert_num_queries(1):
        assert credit_of(shop.company).open_balance == D("2916.00")


def _owing(shop, amount):
    """The company owes `amount`: an invoice of 3,000.00 paid 500.00, and the rest as an
    order not invoiced yet."""
    invoice = InvoiceFactory(order=OrderFactory(company=shop.company, subtotal=D("3000.00")))
    invoice_record_payment(
        invoice=invoice,
        amount=invoice.total - D("2500.00"),
        paid_on=store_today(get_store()),
        method="bank_transfer",
    )
    rest = D(amount) - D("2500.00")
    OrderFactory(
        company=shop.company,
        subtotal=rest,
        shipping_total=D("0.00"),
        tax_total=D("0.00"),
    )
    assert open_balance(shop.company) == D(amount)


def _checkout(client, shop, payment):
    client.force_login(shop.buyer)
    client.put("/api/v1/cart/lines/SCR-100", {"qty": 120}, content_type="application/json")
    return client.post(
        "/api/v1/checkout", {"payment_method": payment}, content_type="application/json"
    )


def test_checkout_with_the_credit_limit_exactly_reached(client, shop):
    _owing(shop, "4478.00")  # + 522.00 = 5,000.00
    response = _checkout(client, shop, "INVOICE30")
    assert response.status_code == 201, response.json()
    assert open_balance(shop.company) == D("5000.00")


def test_checkout_over_the_credit_limit_by_one_cent_is_refused(client, shop):
    _owing(shop, "4478.01")
    response = _checkout(client, shop, "INVOICE30")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "credit_limit_exceeded"
    assert body["errors"] == [
        {
            "field": "payment_method",
            "code": "credit_limit_exceeded",
            "message": "INVOICE30: credit limit 5,000.00 exceeded by 0.01.",
        }
    ]
    assert _checkout(client, shop, "TRANSFER").status_code == 201


def test_overdue_invoices_close_invoice_terms_when_the_store_says_so(client, shop):
    InvoiceFactory(
        order=OrderFactory(company=shop.company, subtotal=D("10.00")),
        status=InvoiceStatus.OVERDUE,
    )
    store = get_store()
    store.block_overdue_invoice_terms = True
    store.save()

    response = _checkout(client, shop, "INVOICE30")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "INVOICE30: closed while invoices are overdue."
    )

    store.block_overdue_invoice_terms = False
    store.save()
    assert _checkout(client, shop, "INVOICE30").status_code == 201
