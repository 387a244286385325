"""The store's late-payment penalty rate in the bundle (`store.late_payment_penalty_rate`,
docs/bundle.md), and what loaded invoices copy: the rate, the 40 € fee, the lines' units."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.core.models import Store
from comptoir.ordering.models import OrderLine
from comptoir.payments.models import Invoice

pytestmark = pytest.mark.django_db


def with_rate(sample, rate):
    bundle = copy.deepcopy(sample)
    bundle["store"]["late_payment_penalty_rate"] = rate
    bundle["orders"][0]["invoice"] = {"number": "FAC-2026-000007"}
    bundle["orders"][0]["payment_status"] = "unpaid"
    return bundle


def dumped_store() -> dict:
    out = io.StringIO()
    dump_store(out)
    return json.loads(out.getvalue())["store"]


def test_the_rate_is_loaded_dumped_and_copied_onto_invoices(sample, write_bundle):
    load_store(write_bundle(with_rate(sample, "12.15")))
    assert Store.objects.get().late_payment_penalty_rate == Decimal("12.15")
    assert dumped_store()["late_payment_penalty_rate"] == "12.15"
    invoice = Invoice.objects.get()
    assert (invoice.late_payment_penalty_rate, invoice.recovery_fee) == (
        Decimal("12.15"),
        Decimal("40.00"),
    )
    # The lines keep their products' selling unit (OLD-1 is no longer in the catalogue).
    assert [(line["sku"], line["unit"]) for line in invoice.lines] == [
        ("SCR-100", "box"),
        ("OLD-1", ""),
    ]
    assert list(OrderLine.objects.values_list("sku", "unit")) == [("SCR-100", "box"), ("OLD-1", "")]


def test_without_a_rate_the_legal_default_applies(sample, write_bundle):
    load_store(write_bundle(with_rate(sample, None)))
    assert dumped_store()["late_payment_penalty_rate"] is None
    invoice = Invoice.objects.get()
    assert (invoice.late_payment_penalty_rate, invoice.recovery_fee) == (None, Decimal("40.00"))


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("100.01", "Input should be less than or equal to 100"),
        ("-1.00", "Input should be greater than or equal to 0"),
    ],
)
def test_a_rate_outside_0_to_100_is_refused_by_the_bundle(sample, write_bundle, rate, message):
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(with_rate(sample, rate)))
    assert refused.value.messages == [f"store.late_payment_penalty_rate: {message}"]
    assert not Store.objects.exists()


def test_a_rate_outside_0_to_100_is_refused_by_the_back_office(store):
    store.late_payment_penalty_rate = Decimal("120")
    with pytest.raises(ValidationError) as refused:
        store.full_clean()
    assert refused.value.messages == ["A late-payment penalty rate lies between 0 and 100 %."]
