"""Invoices in the store bundle (`orders[].invoice`, docs/bundle.md): loaded with copies of
the order, the store and the company, dumped with their dates and payments."""

import copy
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.core.models import Store
from comptoir.ordering.models import Order
from comptoir.payments.invoicing import invoice_for_order
from comptoir.payments.models import Invoice, InvoiceCounter

pytestmark = pytest.mark.django_db

STORE_KEYS = {
    "invoice_on": "shipped",
    "block_overdue_invoice_terms": True,
    "legal_address": "Comptoir Test SAS\n1 rue du Commerce\n75001 Paris",
    "vat_number": "FR40303265045",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
}
# The sample's order: 228.00 + 3.33 − 11.40 + 15.00 shipping + 44.59 tax.
TOTAL = "279.52"


def with_invoice(sample, **invoice):
    bundle = copy.deepcopy(sample)
    bundle["store"].update(STORE_KEYS)
    bundle["orders"][0]["invoice"] = {
        "number": "FAC-2026-000007",
        "payments": [{"amount": TOTAL, "paid_on": "2026-03-20", "reference": "VIR 7"}],
        **invoice,
    }
    return bundle


def dumped() -> dict:
    out = io.StringIO()
    dump_store(out)
    return json.loads(out.getvalue())


def test_an_invoice_is_loaded_with_copies_and_its_payments(sample, write_bundle):
    load_store(write_bundle(with_invoice(sample)))

    store = Store.objects.get()
    assert (store.invoice_on, store.block_overdue_invoice_terms, store.bic) == (
        "shipped",
        True,
        "AGRIFRPP",
    )
    invoice = Invoice.objects.get()
    assert invoice.order.number == "CMD-2026-000001"
    # INVOICE30 of the sample: 30 days, then the end of that month.
    assert (invoice.issued_on, invoice.due_on) == (
        datetime.date(2026, 3, 4),
        datetime.date(2026, 4, 30),
    )
    assert (invoice.net_days, invoice.term_rule, invoice.payment_type) == (
        30,
        "end_of_month",
        "invoice",
    )
    assert (invoice.status, invoice.amount_paid, invoice.total) == (
        "paid",
        Decimal(TOTAL),
        Decimal(TOTAL),
    )
    assert (invoice.seller_name, invoice.seller_vat_number) == ("Comptoir Test", "FR40303265045")
    assert (invoice.buyer_code, invoice.buyer_name) == ("ACME", invoice.order.company.name)
    assert [line["sku"] for line in invoice.lines] == ["SCR-100", "OLD-1"]
    assert invoice.tax_lines == [
        {"rate": "20.0000", "base": "222.93", "amount": "44.59", "reason": ""}
    ]
    assert list(invoice.payments.values_list("amount", "paid_on", "method", "reference")) == [
        (Decimal(TOTAL), datetime.date(2026, 3, 20), "bank_transfer", "VIR 7")
    ]
    assert InvoiceCounter.objects.get(year=2026).last == 7

    assert dumped()["orders"][0]["invoice"] == {
        "number": "FAC-2026-000007",
        "issued_on": "2026-03-04",
        "due_on": "2026-04-30",
        "payments": [
            {
                "amount": TOTAL,
                "paid_on": "2026-03-20",
                "method": "bank_transfer",
                "reference": "VIR 7",
            }
        ],
    }
    assert {key: dumped()["store"][key] for key in STORE_KEYS} == STORE_KEYS


def test_reloading_keeps_the_copies_and_payments_follow_the_bundle(sample, write_bundle):
    bundle = with_invoice(sample)
    load_store(write_bundle(bundle))
    before = database_snapshot()
    load_store(write_bundle(bundle))
    assert database_snapshot() == before

    bundle["store"]["vat_number"] = "FR83404833048"
    bundle["orders"][0]["payment_status"] = "partly_paid"
    bundle["orders"][0]["invoice"]["payments"] = [
        {"amount": "100.00", "paid_on": "2026-03-20", "method": "cheque", "reference": "CHQ 1"}
    ]
    load_store(write_bundle(bundle))

    invoice = Invoice.objects.get()
    assert invoice.seller_vat_number == "FR40303265045"  # as issued
    assert (invoice.amount_paid, invoice.status) == (Decimal("100.00"), "overdue")
    assert Order.objects.get().payment_status == "partly_paid"
    assert list(invoice.payments.values_list("method", flat=True)) == ["cheque"]


def test_the_next_invoice_follows_the_loaded_numbers(sample, write_bundle):
    bundle = with_invoice(sample)
    second = copy.deepcopy(bundle["orders"][0])
    second.update(number="CMD-2026-000002", status="placed", payment_status="unpaid")
    second.pop("invoice")
    bundle["orders"].append(second)
    load_store(write_bundle(bundle))

    invoice = invoice_for_order(
        order=Order.objects.get(number="CMD-2026-000002"), issued_on=datetime.date(2026, 5, 1)
    )
    assert invoice.number == "FAC-2026-000008"


@pytest.mark.django_db(transaction=True)
def test_dump_load_dump_keeps_the_invoices(sample, write_bundle):
    load_store(write_bundle(with_invoice(sample, issued_on="2026-03-05", due_on="2026-04-04")))
    first = dumped()
    call_command("flush", interactive=False, verbosity=0)

    load_store(write_bundle(first, "dump.json"))

    assert dumped() == first
    assert first["orders"][0]["invoice"]["due_on"] == "2026-04-04"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda bundle: (
                bundle["orders"][0].update(payment_status="paid")
                or bundle["orders"][0]["invoice"]["payments"][0].update(amount="100.00")
            ),
            'orders[0]: payment_status "paid" does not match the invoice\'s '
            'payments (100.00 of 279.52): it should be "partly_paid"',
        ),
        (
            lambda bundle: bundle["orders"][0]["invoice"]["payments"][0].update(amount="279.53"),
            "orders[0]: the invoice's payments (279.53) exceed the order total",
        ),
        (
            lambda bundle: bundle["orders"][0]["invoice"].update(
                issued_on="2026-03-10", due_on="2026-03-09"
            ),
            "orders[0].invoice: due_on is before issued_on",
        ),
        (
            lambda bundle: bundle["orders"].append(
                {**copy.deepcopy(bundle["orders"][0]), "number": "CMD-2026-000002"}
            ),
            "orders[1].invoice.number: duplicate invoice 'FAC-2026-000007' (also orders[0])",
        ),
        (
            lambda bundle: bundle["store"].update(iban="FR7630006000011234567890188"),
            "store.iban: FR7630006000011234567890188 is not a valid IBAN.",
        ),
    ],
    ids=["status", "overpaid", "dates", "duplicate", "iban"],
)
def test_bad_invoices_are_refused(sample, write_bundle, change, expected):
    bundle = with_invoice(sample)
    change(bundle)
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert any(message.startswith(expected) for message in refused.value.messages), (
        refused.value.messages
    )
    assert not Invoice.objects.exists()


def test_an_order_keeps_its_invoice_number(sample, write_bundle):
    load_store(write_bundle(with_invoice(sample)))
    bundle = with_invoice(sample, number="FAC-2026-000099")
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert refused.value.messages == [
        "orders[0].invoice.number: order 'CMD-2026-000001' is already invoiced as 'FAC-2026-000007'"
    ]
