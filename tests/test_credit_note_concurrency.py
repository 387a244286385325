"""Credit note numbers under concurrent issues (issue 21): unique, without gaps, and never
more taken back than the invoice holds.

Threads, connections and barrier are those of tests/test_placement_concurrency.py. Twenty
clerks credit 50.00 each at once on one invoice of 559.98 (two invoices' worth of
racers on one row): the invoice's row lock serialises them, so eleven fit (550.00), nine
are refused, and the eleven numbers follow each other.
"""

from collections import Counter
from decimal import Decimal

import pytest

from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.credits.models import CreditNote, CreditNoteCounter
from comptoir.credits.services import credit_note_issue
from comptoir.payments.models import Invoice
from tests.factories import InvoiceFactory
from tests.test_placement_concurrency import (  # noqa: F401 (fixtures)
    _threads_share_a_file,
    in_threads,
)

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_twenty_racing_credit_notes_get_consecutive_numbers(store):
    invoice = InvoiceFactory(
        order__subtotal=Decimal("450.00"),
        order__shipping_total=Decimal("16.65"),
        order__tax_total=Decimal("93.33"),
        lines=[],
        tax_lines=[{"rate": "20.00", "base": "466.65", "amount": "93.33", "reason": ""}],
    )
    assert invoice.total == Decimal("559.98")

    def clerk(index):
        found = Invoice.objects.get(pk=invoice.pk)
        return lambda: credit_note_issue(
            invoice=found, kind="amount", amount=Decimal("50.00"), reason=f"Clerk {index}"
        )

    outcomes = in_threads(20, clerk)

    issued = [outcome for outcome in outcomes if isinstance(outcome, CreditNote)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, CreditNote)]
    assert all(isinstance(error, BusinessRuleError) for error in refused), refused
    assert Counter(error.code for error in refused) == {"credit_amount_above_remaining": 9}
    year = store_today(get_store()).year
    numbers = sorted(CreditNote.objects.values_list("number", flat=True))
    assert numbers == [f"AV-{year}-{n:06d}" for n in range(1, 12)]
    assert sorted(note.number for note in issued) == numbers
    assert CreditNoteCounter.objects.get(year=year).last == 11
    invoice.refresh_from_db()
    assert invoice.amount_credited == Decimal("550.00")
    assert invoice.amount_due == Decimal("9.98")
