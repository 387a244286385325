"""Credit notes and refunds in the store bundle (`orders[].invoice.credit_notes`,
`.refunds`, docs/bundle.md): loaded with copies of the invoice, dumped as issued; returns
(`returns`) after the orders and credit notes they name."""

import copy
import io
import json
from decimal import Decimal

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import empty_the_store
from comptoir.bundle.tests.test_invoices_bundle import with_invoice
from comptoir.credits.models import CreditNote, CreditNoteCounter, InvoiceRefund
from comptoir.credits.services import next_credit_number
from comptoir.payments.models import Invoice
from comptoir.returns.models import ReturnRequest
from comptoir.returns.services import next_return_number

pytestmark = pytest.mark.django_db

NOTE = {
    "number": "AV-2026-000003",
    "issued_on": "2026-03-25",
    "kind": "amount",
    "reason": "Late delivery",
    "tax_lines": [{"rate": "20.00", "base": "50.00", "amount": "10.00", "reason": None}],
}
REFUND = {"amount": "60.00", "refunded_on": "2026-03-28", "reference": "RBT 3"}


def credited(sample, **changes):
    bundle = with_invoice(sample, credit_notes=[NOTE], refunds=[REFUND])
    bundle["orders"][0]["payment_status"] = "paid"
    bundle["orders"][0]["invoice"].update(changes)
    return bundle


def dumped() -> dict:
    out = io.StringIO()
    dump_store(out)
    return json.loads(out.getvalue())


def test_credit_notes_and_refunds_are_loaded_and_round_trip(sample, write_bundle):
    load_store(write_bundle(credited(sample)))

    note = CreditNote.objects.get()
    invoice = Invoice.objects.get()
    assert (note.number, note.total, note.net_total, note.tax_total) == (
        "AV-2026-000003",
        Decimal("60.00"),
        Decimal("50.00"),
        Decimal("10.00"),
    )
    assert (note.buyer_code, note.seller_vat_number) == (
        invoice.buyer_code,
        "FR40303265045",
    )
    assert InvoiceRefund.objects.get().reference == "RBT 3"
    assert (invoice.amount_credited, invoice.amount_refunded, invoice.amount_due) == (
        Decimal("60.00"),
        Decimal("60.00"),
        Decimal("0.00"),
    )
    assert invoice.status == "paid"
    assert CreditNoteCounter.objects.get(year=2026).last == 3
    assert next_credit_number(2026) == "AV-2026-000004"

    first = dumped()
    assert first["orders"][0]["invoice"]["credit_notes"][0]["number"] == "AV-2026-000003"
    empty_the_store()
    load_store(write_bundle(first, "dump.json"))
    assert dumped() == first
    load_store(write_bundle(first, "again.json"))
    assert CreditNote.objects.count() == 1
    assert Invoice.objects.get().status == "paid"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"credit_notes": [{**NOTE, "tax_lines": [{**NOTE["tax_lines"][0], "base": "300"}]}]},
            "orders[0]: the invoice's credit notes (310.00) exceed the order total",
        ),
        (
            {"refunds": [{**REFUND, "amount": "60.01"}]},
            "orders[0]: the invoice's refunds (60.01) exceed what its credit notes left",
        ),
        (
            {"credit_notes": [NOTE, copy.deepcopy(NOTE)]},
            "orders[0].invoice: two credit notes with the same number",
        ),
    ],
    ids=["above-total", "refund-above-credit", "duplicate"],
)
def test_bad_credit_notes_are_refused(sample, write_bundle, changes, expected):
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(credited(sample, **changes)))
    assert any(message.startswith(expected) for message in refused.value.messages), (
        refused.value.messages
    )
    assert not CreditNote.objects.exists()


RETURN = {
    "number": "RMA-2026-000004",
    "order": "CMD-2026-000001",
    "state": "credited",
    "reason": "damaged",
    "comment": "Torn boxes",
    "decision": "Send them back.",
    "restocked": True,
    "credit_note": "AV-2026-000003",
    "requested_at": "2026-03-22T10:00:00+01:00",
    "requested_by": "buyer@acme.example",
    "lines": [{"sku": "SCR-100", "quantity": 2}],
}


def test_returns_are_loaded_and_round_trip(sample, write_bundle):
    bundle = credited(sample)
    bundle["orders"][0]["delivered_on"] = "2026-03-20"
    bundle["returns"] = [RETURN]  # instead of the sample's
    load_store(write_bundle(bundle))

    found = ReturnRequest.objects.get()
    assert (found.state, found.credit_note.number, found.requested_by.email) == (
        "credited",
        "AV-2026-000003",
        "buyer@acme.example",
    )
    assert [(line.sku, line.quantity) for line in found.lines.all()] == [("SCR-100", 2)]
    assert next_return_number(2026) == "RMA-2026-000005"
    first = dumped()
    assert first["returns"] == [{**RETURN, "requested_at": "2026-03-22T09:00:00+00:00"}]
    assert first["orders"][0]["delivered_on"] == "2026-03-20"
    empty_the_store()
    load_store(write_bundle(first, "dump.json"))
    assert dumped() == first


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"order": "CMD-1999-000001"}, "returns[0].order: unknown order 'CMD-1999-000001'"),
        (
            {"lines": [{"sku": "GLV-12", "quantity": 1}]},
            "returns[0].lines[0].sku: 'GLV-12' is not a line of order 'CMD-2026-000001'",
        ),
        ({"credit_note": None}, "returns[0]: a credited return names its credit note"),
        ({"credit_note": "AV-1999-000001"}, "returns[0].credit_note: unknown credit note"),
    ],
)
def test_bad_returns_are_refused(sample, write_bundle, change, expected):
    bundle = credited(sample)
    bundle["returns"] = [{**RETURN, **change}]
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert any(message.startswith(expected) for message in refused.value.messages), (
        refused.value.messages
    )


def test_a_credited_line_in_a_packaging_loads_with_its_base_units(sample, write_bundle):
    line = sample["orders"][0]["lines"][0]
    line |= {"unit": "case", "base_qty": 24 * 144}
    cases = {
        "number": "AV-2026-000004",
        "issued_on": "2026-03-25",
        "kind": "lines",
        "reason": "Damaged",
        "lines": [
            {
                "line": 0,
                "sku": "SCR-100",
                "name": line["name"],
                "quantity": 2,
                "unit": "case",
                "unit_price": "9.50",
                "net": "18.05",
                "tax_rate": "20.00",
            }
        ],
        "tax_lines": [{"rate": "20.00", "base": "18.05", "amount": "3.61", "reason": None}],
    }
    load_store(write_bundle(credited(sample, credit_notes=[cases], refunds=[])))

    credited_line = CreditNote.objects.get().lines[0]
    assert (
        credited_line["quantity"],
        credited_line["unit"],
        credited_line["base_quantity"],
    ) == (2, "case", 288)
    assert Invoice.objects.get().amount_credited == Decimal("21.66")
