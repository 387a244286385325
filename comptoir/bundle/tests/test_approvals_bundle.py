"""Approval rules, budgets and approval requests in a store bundle (issue 16)."""

import datetime
import io
import json
from decimal import Decimal

import pytest

from comptoir.accounts.models import User
from comptoir.approvals.checkout import next_approval_number
from comptoir.approvals.models import ApprovalRequest, ApprovalRule, Budget
from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.core.models import Store
from comptoir.ordering.models import Order

pytestmark = pytest.mark.django_db


def test_rules_and_budgets_load_with_codes_as_the_store_spells_them(sample, write_bundle):
    counts = load_store(write_bundle(sample))

    assert (counts["approval_rules"], counts["budgets"], counts["approval_requests"]) == (2, 3, 2)
    second = User.objects.get(email="second@acme.example")
    above, pallets = ApprovalRule.objects.order_by("level")
    assert (above.name, above.level, above.approver_roles, above.active) == (
        "Above 2,000",
        1,
        ["admin"],
        True,
    )
    assert [(c.kind, c.values, c.amount) for c in above.conditions.order_by("id")] == [
        ("total_above", [], Decimal("2000.00")),
        ("requester", [str(second.pk)], None),
    ]
    assert list(pallets.approvers.values_list("email", flat=True)) == ["buyer@acme.example"]
    assert not pallets.active
    assert {c.kind: c.values for c in pallets.conditions.all()} == {
        "contains_product": ["PAL-1"],
        "contains_category": ["vis"],
        "payment_method": ["INVOICE30"],
        "shipping_method": ["PALLET"],
        "requester_role": ["STOREKEEPER"],
        "location": ["LYON"],
        "budget_exceeded": [],
    }
    budgets = {
        (b.location.code if b.location else None, b.user.email if b.user else None): b
        for b in Budget.objects.select_related("location", "user")
    }
    company = budgets[(None, None)]
    assert (company.period, company.amount, company.over_budget) == (
        "year",
        Decimal("20000.00"),
        "refuse",
    )
    lyon = budgets[("LYON", None)]
    assert (lyon.period, lyon.over_budget, lyon.active) == ("month", "approval", True)
    assert not budgets[(None, "second@acme.example")].active
    assert Store.objects.get().approval_valid_days == 14


def test_approval_requests_load_with_their_snapshot_and_trail(sample, write_bundle):
    sample["store"]["approval_valid_days"] = 21
    load_store(write_bundle(sample))

    assert Store.objects.get().approval_valid_days == 21
    pending = ApprovalRequest.objects.get(number="APR-2026-000003")
    above = ApprovalRule.objects.get(name="Above 2,000")
    assert (pending.status, pending.location.code, pending.requester.email) == (
        "pending",
        "LYON",
        "second@acme.example",
    )
    assert pending.valid_until == datetime.date(2026, 3, 24)
    # The snapshot's rule is the company's rule of that name, not approved yet.
    assert pending.rules == [
        {
            "id": above.pk,
            "name": "Above 2,000",
            "level": 1,
            "approver_roles": ["admin"],
            "approver_ids": [],
            "conditions": [{"kind": "total_above", "values": [], "amount": "2000.00"}],
        }
    ]
    assert pending.facts["requester_role"] == "requester"
    assert pending.facts["categories"] == ["FASTENERS"]
    assert pending.facts["total"] == "2304.00"
    assert pending.rule_views()[0]["reasons"] == ["the total 2304.00 EUR is above 2000.00 EUR"]
    assert pending.approved_rules == []
    assert (pending.subtotal, pending.shipping_total, pending.tax_total, pending.total) == (
        Decimal("1920.00"),
        Decimal("0.00"),
        Decimal("384.00"),
        Decimal("2304.00"),
    )
    assert (pending.payment_method_name, pending.shipping_method_name) == (
        "Facture à 30 jours",
        "Standard",
    )
    line = pending.lines.get()
    assert (line.position, line.product.sku, line.gross, line.net) == (
        1,
        "SCR-100",
        Decimal("1920.00"),
        Decimal("1920.00"),
    )
    assert [(e.action, e.actor.email) for e in pending.events.all()] == [
        ("submitted", "second@acme.example")
    ]

    ordered = ApprovalRequest.objects.get(number="APR-2026-000001")
    buyer = User.objects.get(email="buyer@acme.example")
    # A rule the company no longer has keeps an id of its own in the snapshot.
    assert ordered.rules[0]["id"] == -1
    assert ordered.rules[0]["approver_ids"] == [buyer.pk]
    assert ordered.approved_rules == [-1]
    # ... and its name: only the rules checkout adds itself are named in the reader's language.
    assert [(v["name"], v["reasons"], v["approved"]) for v in ordered.rule_views()] == [
        ("Retired rule", ["every order needs this approval"], True)
    ]
    assert ordered.order == Order.objects.get(number="CMD-2026-000001")
    assert ordered.location is None
    assert ordered.total == Decimal("279.52")
    assert [(e.action, e.actor_id) for e in ordered.events.all()] == [
        ("submitted", User.objects.get(email="second@acme.example").pk),
        ("approved", buyer.pk),
        ("ordered", None),
    ]
    # The next request of 2026 follows the highest loaded.
    assert next_approval_number(2026) == "APR-2026-000004"


def test_a_company_without_rules_or_budgets_in_the_bundle_keeps_its_own(sample, write_bundle):
    load_store(write_bundle(sample))
    del sample["companies"][0]["approval_rules"]
    sample["companies"][0]["budgets"] = None

    load_store(write_bundle(sample, "again.json"))

    assert ApprovalRule.objects.count() == 2
    assert Budget.objects.count() == 3

    sample["companies"][0]["approval_rules"] = [
        sample_rule := {"name": "Only one", "approvers": ["buyer@acme.example"]}
    ]
    sample["companies"][0]["budgets"] = []
    load_store(write_bundle(sample, "fewer.json"))

    assert list(ApprovalRule.objects.values_list("name", flat=True)) == [sample_rule["name"]]
    assert not ApprovalRule.objects.get().conditions.exists()
    assert not Budget.objects.exists()


def test_a_changed_rule_is_updated_in_place(sample, write_bundle):
    load_store(write_bundle(sample))
    rule_id = ApprovalRule.objects.get(name="Above 2,000").pk
    rule = sample["companies"][0]["approval_rules"][0]
    rule["conditions"] = [{"kind": "total_above", "amount": "3000.00"}]
    rule["level"] = 3

    load_store(write_bundle(sample, "changed.json"))

    rule = ApprovalRule.objects.get(name="Above 2,000")
    assert (rule.pk, rule.level) == (rule_id, 3)
    assert [(c.kind, c.amount) for c in rule.conditions.all()] == [
        ("total_above", Decimal("3000.00"))
    ]


def _rule(bundle, n=0):
    return bundle["companies"][0]["approval_rules"][n]


def _budget(bundle, n=0):
    return bundle["companies"][0]["budgets"][n]


def _request(bundle, n=0):
    return bundle["approval_requests"][n]


BAD = {
    "rule naming an unknown category": (
        lambda b: _rule(b, 1)["conditions"][1].update(values=["paint"]),
        "companies[0].approval_rules[1].conditions[1].values: "
        "There is no category with the code “paint”.",
    ),
    "rule naming an unknown SKU": (
        lambda b: _rule(b, 1)["conditions"][0].update(values=["NOPE-1"]),
        "companies[0].approval_rules[1].conditions[0].values: "
        "There is no product with the SKU “NOPE-1”.",
    ),
    "rule naming another company's user as requester": (
        lambda b: _rule(b)["conditions"][1].update(values=["ny@nys.example"]),
        "companies[0].approval_rules[0].conditions[1].values: "
        "“ny@nys.example” is not a user of this company.",
    ),
    "rule naming another company's user as approver": (
        lambda b: _rule(b, 1).update(approvers=["ny@nys.example"]),
        "companies[0].approval_rules[1].approvers: “ny@nys.example” is not a user of this company.",
    ),
    "rule with an unknown role": (
        lambda b: _rule(b).update(approver_roles=["boss"]),
        "companies[0].approval_rules[0].approver_roles: There is no role with the code “boss”.",
    ),
    "rule without approver": (
        lambda b: _rule(b).update(approver_roles=[]),
        "companies[0].approval_rules[0].approvers: "
        "Name who approves: at least one role or one user.",
    ),
    "rule with level 10": (
        lambda b: _rule(b).update(level=10),
        "companies[0].approval_rules[0].level: Input should be less than or equal to 9",
    ),
    "two rules of one name": (
        lambda b: _rule(b, 1).update(name="above 2,000"),
        "companies[0].approval_rules[1].name: The company already has a rule named “above 2,000”.",
    ),
    "total above without amount": (
        lambda b: _rule(b)["conditions"][0].pop("amount"),
        "companies[0].approval_rules[0].conditions[0].amount: "
        "Give the amount the total must exceed.",
    ),
    "negative total": (
        lambda b: _rule(b)["conditions"][0].update(amount="-1.00"),
        "companies[0].approval_rules[0].conditions[0].amount: The amount cannot be negative.",
    ),
    "budget exceeded with values": (
        lambda b: _rule(b, 1)["conditions"][6].update(values=["yes"]),
        "companies[0].approval_rules[1].conditions[6].values: “Budget exceeded” takes no values.",
    ),
    "two conditions of one kind": (
        lambda b: _rule(b)["conditions"].append({"kind": "total_above", "amount": "1.00"}),
        "companies[0].approval_rules[0].conditions[2].kind: "
        "The rule already has a condition “order total above”: give all its values in that one.",
    ),
    "unknown kind of condition": (
        lambda b: _rule(b)["conditions"].append({"kind": "weather"}),
        "companies[0].approval_rules[0].conditions[2].kind: must be one of",
    ),
    "location of another company's": (
        lambda b: _rule(b, 1)["conditions"][5].update(values=["MAIN"]),
        "companies[0].approval_rules[1].conditions[5].values: "
        "“MAIN” is not a location of this company.",
    ),
    "budget for an unknown location": (
        lambda b: _budget(b, 1).update(location="PARIS-9"),
        "companies[0].budgets[1].location: “PARIS-9” is not a location of this company.",
    ),
    "budget for a location and a user": (
        lambda b: _budget(b, 1).update(user="second@acme.example"),
        "companies[0].budgets[1].user: "
        "A budget is for the whole company, one location or one user: not both.",
    ),
    "negative budget": (
        lambda b: _budget(b).update(amount="-5.00"),
        "companies[0].budgets[0].amount: The amount cannot be negative.",
    ),
    "two budgets of one scope and period": (
        lambda b: b["companies"][0]["budgets"].append({"location": "lyon", "amount": "1.00"}),
        "companies[0].budgets[3].period: This location already has a budget for this period.",
    ),
    "budget of an unknown period": (
        lambda b: _budget(b).update(period="week"),
        "companies[0].budgets[0].period: must be one of",
    ),
    "request of an unknown requester": (
        lambda b: _request(b).update(requester="ghost@acme.example"),
        "approval_requests[0].requester: unknown user 'ghost@acme.example'",
    ),
    "request of another company's user": (
        lambda b: _request(b).update(requester="ny@nys.example"),
        "approval_requests[0].requester: ny@nys.example is not a user of ACME",
    ),
    "request for an unknown location": (
        lambda b: _request(b).update(location="MARSEILLE"),
        "approval_requests[0].location: unknown location 'MARSEILLE' of ACME",
    ),
    "ordered request without its order": (
        lambda b: _request(b, 1).pop("order"),
        "approval_requests[1].order: an ordered request names the order it became",
    ),
    "pending request with an order": (
        lambda b: _request(b).update(order="CMD-2026-000001"),
        "approval_requests[0].order: only an ordered request has an order, not a pending one",
    ),
    "request of an unknown order": (
        lambda b: _request(b, 1).update(order="CMD-1999-000001"),
        "approval_requests[1].order: unknown order 'CMD-1999-000001'",
    ),
    "request from an unknown quote": (
        lambda b: _request(b).update(quote="DEV-1999-000001"),
        "approval_requests[0].quote: unknown quote 'DEV-1999-000001'",
    ),
    "request from another company's quote": (
        lambda b: (
            _request(b).update(quote="DEV-2026-000001"),
            b["quotes"][0].update(company="NYS"),
        ),
        "approval_requests[0].quote: DEV-2026-000001 is a quote of NYS",
    ),
    "two requests of one number": (
        lambda b: _request(b, 1).update(number="APR-2026-000003"),
        "approval_requests[1].number: duplicate 'APR-2026-000003' (also approval_requests[0])",
    ),
    "request valid before it was submitted": (
        lambda b: _request(b).update(valid_until="2026-03-01"),
        "approval_requests[0].valid_until: is before the day it was submitted",
    ),
    "request approved by another company's user": (
        lambda b: _request(b, 1)["rules"][0].update(approvers=["ny@nys.example"]),
        "approval_requests[1].rules[0].approvers[0]: 'ny@nys.example' is not a user of ACME",
    ),
    "event of an unknown user": (
        lambda b: _request(b)["events"][0].update(actor="ghost@acme.example"),
        "approval_requests[0].events[0].actor: unknown user 'ghost@acme.example'",
    ),
    "request without lines": (
        lambda b: _request(b).update(lines=[]),
        "approval_requests[0].lines: List should have at least 1 item",
    ),
    "request with an unknown status": (
        lambda b: _request(b).update(status="approved"),
        "approval_requests[0].status: must be one of",
    ),
    "store keeping requests for no day": (
        lambda b: b["store"].update(approval_valid_days=0),
        "store.approval_valid_days: Input should be greater than or equal to 1",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_approvals_are_refused_whole_with_their_path(sample, write_bundle, case):
    load_store(write_bundle(sample))
    before = database_snapshot()
    change, message = BAD[case]
    change(sample)
    sample["companies"][0]["name"] = "Renamed, but not written"

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample, "bad.json"))

    assert any(line.startswith(message) for line in refused.value.messages), refused.value.messages
    assert database_snapshot() == before


def test_a_request_from_a_quote_keeps_it_through_a_dump(sample, write_bundle):
    """Its quote's prices, waivers and shipping price hold when it is approved: the link is
    loaded (quotes are written first) and dumped back."""
    _request(sample)["quote"] = "DEV-2026-000001"
    load_store(write_bundle(sample))
    request = ApprovalRequest.objects.get(number=_request(sample)["number"])
    assert request.quote.number == "DEV-2026-000001"

    out = io.StringIO()
    dump_store(out)
    dumped = json.loads(out.getvalue())
    assert {r["number"]: r["quote"] for r in dumped["approval_requests"]} == {
        _request(sample)["number"]: "DEV-2026-000001",
        _request(sample, 1)["number"]: None,
    }
    before = database_snapshot()
    load_store(write_bundle(dumped, "dumped.json"))
    assert database_snapshot() == before
