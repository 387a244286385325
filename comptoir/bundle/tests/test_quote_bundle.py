"""Quotes in the bundle: loaded by number with their rounds, twice the same, dumped back."""

import io
import json
from decimal import Decimal

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.quotes.models import Quote, QuoteCounter


@pytest.mark.django_db
def test_a_quote_loads_with_its_rounds_and_again_changes_nothing(sample, write_bundle):
    counts = load_store(write_bundle(sample))
    assert counts["quotes"] == 1
    quote = Quote.objects.get(number="DEV-2026-000001")
    assert (quote.company.code, quote.requester.email, quote.location.code, quote.state) == (
        "ACME",
        "buyer@acme.example",
        "LYON",
        "sent",
    )
    (line,) = quote.lines.all()
    assert (line.sku, line.quantity, line.unit_price, line.round.position) == (
        "SCR-100",
        37,
        Decimal("7.1234"),
        1,
    )
    assert QuoteCounter.objects.get(year=2026).last == 1
    before = database_snapshot()
    load_store(write_bundle(sample, "again.json"))
    assert database_snapshot() == before


@pytest.mark.django_db
def test_a_second_round_replaces_the_rounds_and_dumps_back(sample, write_bundle):
    load_store(write_bundle(sample))
    first = sample["quotes"][0]["rounds"][0]
    sample["quotes"][0]["state"] = "revision_requested"
    sample["quotes"][0]["rounds"].append(
        {
            "buyer_message": "7.00?",
            "opened_at": "2026-03-04T08:00:00+01:00",
            "lines": [dict(first["lines"][0], unit_price=None, quoted_unit_price="7.00")],
        }
    )
    load_store(write_bundle(sample, "revised.json"))

    out = io.StringIO()
    dump_store(out)
    (dumped,) = json.loads(out.getvalue())["quotes"]
    assert [r["buyer_message"] for r in dumped["rounds"]] == ["Yearly price for 37 boxes?", "7.00?"]
    assert dumped["rounds"][1]["lines"][0]["quoted_unit_price"] == "7.00"
    assert dumped["state"] == "revision_requested"
