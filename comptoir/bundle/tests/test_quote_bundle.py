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


@pytest.mark.django_db
def test_the_trail_and_the_order_placed_round_trip(sample, write_bundle):
    """A quote ordered as CMD-2026-000001 keeps that order and its trail, dumped as loaded;
    the dump loaded again changes nothing."""
    quote = sample["quotes"][0]
    quote["state"] = "ordered"
    quote["order"] = "CMD-2026-000001"
    quote["events"].append(
        {
            "at": "2026-03-04T10:15:00+01:00",
            "actor": "buyer@acme.example",
            "action": "order",
            "from_state": "accepted",
            "to_state": "ordered",
            "detail": "CMD-2026-000001",
        }
    )
    load_store(write_bundle(sample))

    loaded = Quote.objects.get(number="DEV-2026-000001")
    assert loaded.order.number == "CMD-2026-000001"
    assert [
        (e.action, e.actor.email if e.actor else None, e.from_state, e.to_state, e.detail)
        for e in loaded.events.order_by("at")
    ] == [
        ("requested", "buyer@acme.example", "", "requested", "Yearly price for 37 boxes?"),
        ("send", None, "requested", "sent", ""),
        ("order", "buyer@acme.example", "accepted", "ordered", "CMD-2026-000001"),
    ]
    out = io.StringIO()
    dump_store(out)
    dumped = json.loads(out.getvalue())
    (quote_out,) = dumped["quotes"]
    assert quote_out["order"] == "CMD-2026-000001"
    assert [(e["action"], e["actor"], e["at"]) for e in quote_out["events"]] == [
        ("requested", "buyer@acme.example", "2026-03-02T08:00:00+00:00"),
        ("send", None, "2026-03-03T10:30:00+00:00"),
        ("order", "buyer@acme.example", "2026-03-04T09:15:00+00:00"),
    ]
    before = database_snapshot()
    load_store(write_bundle(dumped, "dumped.json"))
    assert database_snapshot() == before


@pytest.mark.django_db
def test_a_quote_without_events_keeps_its_trail(sample, write_bundle):
    load_store(write_bundle(sample))
    del sample["quotes"][0]["events"]
    load_store(write_bundle(sample, "no-events.json"))
    assert Quote.objects.get(number="DEV-2026-000001").events.count() == 2


@pytest.mark.django_db
def test_an_order_already_from_another_quote_is_refused(sample, write_bundle):
    from comptoir.bundle.errors import BundleError

    sample["quotes"][0] |= {"state": "ordered", "order": "CMD-2026-000001"}
    load_store(write_bundle(sample))
    before = database_snapshot()
    second = json.loads(json.dumps(sample["quotes"][0])) | {"number": "DEV-2026-000002"}
    sample["quotes"] = [second]

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample, "second.json"))

    assert refused.value.messages == [
        "quotes[0].order: order 'CMD-2026-000001' already comes from DEV-2026-000001"
    ]
    assert database_snapshot() == before


@pytest.mark.django_db
def test_the_terms_are_the_rounds_and_the_quote_level_ones_those_of_the_offer_sent(
    sample, write_bundle
):
    """The round sent keeps its 15.00; a round being prepared that gives no terms takes the
    quote-level ones, as bundles written before the terms moved onto the rounds hold them."""
    quote = sample["quotes"][0]
    quote |= {"state": "in_review", "shipping_price": "30.00", "promotions_apply": True}
    quote["rounds"].append(
        {
            "buyer_message": "Cheaper shipping?",
            "opened_at": "2026-03-04T08:00:00+01:00",
            "lines": [dict(quote["rounds"][0]["lines"][0], unit_price=None)],
        }
    )
    quote["rounds"][0]["promotions_apply"] = False
    load_store(write_bundle(sample))

    first, second = Quote.objects.get(number="DEV-2026-000001").rounds.order_by("position")
    assert (first.shipping_price, first.promotions_apply) == (Decimal("15.00"), False)
    assert (second.shipping_price, second.promotions_apply) == (Decimal("30.00"), True)
    out = io.StringIO()
    dump_store(out)
    (dumped,) = json.loads(out.getvalue())["quotes"]
    assert (dumped["shipping_price"], dumped["promotions_apply"]) == ("15.00", False)
    assert [(r["shipping_price"], r["promotions_apply"]) for r in dumped["rounds"]] == [
        ("15.00", False),
        ("30.00", True),
    ]
