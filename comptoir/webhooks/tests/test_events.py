"""Every event is written in the transaction of its change: committed with it, rolled back
with it, with the resource as the API shows it and one delivery per subscribed endpoint."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from comptoir.approvals.models import ApprovalCondition, ApprovalRule
from comptoir.approvals.services import approval_approve, approval_reject
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.credits.models import CreditNote
from comptoir.credits.services import invoice_record_refund
from comptoir.customers.models import Company
from comptoir.customers.services import (
    AccountRequest,
    account_request_submit,
    companies_approve,
    companies_suspend,
)
from comptoir.ordering.order_status import order_set_status
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.payments.invoicing import invoice_for_order, invoice_record_payment
from comptoir.quotes.offers import Terms, quote_send, quote_set_terms
from comptoir.quotes.services import QuoteRequest, quote_accept, quote_request
from comptoir.tax.models import TaxCertificate
from comptoir.tax.services import certificate_reminders, certificates_approve
from comptoir.webhooks import services
from comptoir.webhooks.models import Delivery, Endpoint, Event, EventType
from comptoir.webhooks.outbox import OutsideTransaction, record_event
from comptoir.webhooks.tests.conftest import recorded
from tests.factories import CompanyFactory, TaxCertificateFactory, UserFactory

TRANSFER = CheckoutRequest(payment_method="TRANSFER")


class Rollback(Exception):
    pass


def rolled_back(change):
    """Runs `change` in a transaction that is then rolled back."""
    with pytest.raises(Rollback), transaction.atomic():
        change()
        raise Rollback


def place(shop, buyer, *rows):
    cart_add_lines(viewer=buyer, rows=[(n, sku, qty) for n, (sku, qty) in enumerate(rows, 1)])
    return order_place(viewer=buyer, request=TRANSFER).order


def test_an_order_placed_is_an_event_with_the_order_as_the_api_shows_it(shop, buyer, endpoint):
    order = place(shop, buyer, ("SCR-100", 120))

    event = Event.objects.get(type="order.placed")
    assert (event.type, event.resource_type, event.resource_key, event.sequence) == (
        "order.placed",
        "order",
        order.number,
        1,
    )
    assert event.public_id.startswith("evt_")
    assert event.payload["number"] == order.number
    assert event.payload["total"] == "522.00"
    assert event.payload["lines"][0]["sku"] == "SCR-100"
    assert event.payload["lines"][0]["qty"] == 120
    # The store invoices on placing: the invoice follows, in the same transaction.
    assert list(Delivery.objects.order_by("pk").values_list("event__type", "status")) == [
        ("order.placed", "pending"),
        ("invoice.issued", "pending"),
    ]
    assert {delivery.endpoint_id for delivery in Delivery.objects.all()} == {endpoint.pk}


def test_a_placement_rolled_back_leaves_no_event(shop, buyer, endpoint):
    rolled_back(lambda: place(shop, buyer, ("SCR-100", 120)))
    assert recorded() == []
    assert Delivery.objects.count() == 0


def test_a_refused_placement_leaves_no_event(shop, buyer, endpoint):
    cart_add_lines(viewer=buyer, rows=[(1, "SCR-100", 120)])
    with pytest.raises(Exception, match="purchase"):
        order_place(viewer=buyer, request=CheckoutRequest(payment_method="PO"))
    assert recorded() == []


def test_status_changes_and_cancellation_number_the_orders_events(shop, buyer, endpoint):
    order = place(shop, buyer, ("SCR-100", 120))
    order_set_status(order=order, status="confirmed")
    rolled_back(lambda: order_set_status(order=order, status="shipped"))
    order_set_status(order=order, status="cancelled")

    assert [event for event in recorded() if event[1] == "order"] == [
        ("order.placed", "order", order.number, 1),
        ("order.status_changed", "order", order.number, 2),
        ("order.cancelled", "order", order.number, 3),
    ]
    assert Event.objects.get(type="order.cancelled").payload["status"] == "cancelled"


def test_an_invoice_issued_and_a_payment_recorded_are_events_of_the_invoice(shop, buyer, endpoint):
    store = get_store()
    store.invoice_on = "shipped"
    store.save()
    order = place(shop, buyer, ("SCR-100", 120))
    invoice = invoice_for_order(order=order)
    today = store_today(get_store())
    invoice_record_payment(
        invoice=invoice, amount=Decimal("100.00"), paid_on=today, method="cheque"
    )
    rolled_back(
        lambda: invoice_record_payment(
            invoice=invoice, amount=Decimal("1.00"), paid_on=today, method="cheque"
        )
    )

    assert recorded()[1:] == [
        ("invoice.issued", "invoice", invoice.number, 1),
        ("payment.recorded", "invoice", invoice.number, 2),
    ]
    issued, paid = Event.objects.filter(resource_type="invoice").order_by("sequence")
    assert (issued.payload["order"], issued.payload["total"], issued.payload["amount_due"]) == (
        order.number,
        "522.00",
        "522.00",
    )
    assert paid.payload["amount_paid"] == "100.00"
    assert paid.payload["amount_due"] == "422.00"
    assert paid.payload["payment"] == {
        "amount": "100.00",
        "paid_on": today.isoformat(),
        "method": "cheque",
        "reference": "",
    }


def test_stock_low_is_recorded_once_when_an_order_crosses_the_threshold(shop, buyer, endpoint):
    store = get_store()
    store.low_stock_threshold = 300
    store.save()
    place(shop, buyer, ("SCR-100", 120))  # 500 -> 380: above
    place(shop, buyer, ("SCR-100", 100))  # 380 -> 280: crosses
    place(shop, buyer, ("SCR-100", 100))  # 280 -> 180: already low

    low = Event.objects.get(type="stock.low")
    assert (low.resource_type, low.resource_key) == ("product", "SCR-100")
    assert low.payload == {
        "sku": "SCR-100",
        "name": shop.products["SCR-100"].name,
        "stock": 280,
        "threshold": 300,
        "backorder": False,
    }


def test_no_threshold_no_stock_low(shop, buyer, endpoint):
    store = get_store()
    store.low_stock_threshold = None
    store.save()
    place(shop, buyer, ("SCR-100", 499))
    assert [event[0] for event in recorded()] == ["order.placed", "invoice.issued"]


def test_company_requested_approved_and_suspended(store, endpoint):
    request = AccountRequest(
        company_name="Brico Sud",
        email="achats@brico-sud.example",
        country="FR",
        region="",
        vat_number="",
        line1="1 rue du Port",
        line2="",
        postal_code="13002",
        city="Marseille",
        first_name="Léa",
        last_name="Morel",
        language="fr",
    )
    company = account_request_submit(store=store, request=request, site_url="http://t")
    companies_approve(companies=Company.objects.filter(pk=company.pk), site_url="http://t")
    rolled_back(lambda: companies_suspend(companies=Company.objects.filter(pk=company.pk)))
    companies_suspend(companies=Company.objects.filter(pk=company.pk))

    assert recorded() == [
        ("company.requested", "company", company.code, 1),
        ("company.approved", "company", company.code, 2),
        ("company.suspended", "company", company.code, 3),
    ]
    assert [event.payload["status"] for event in Event.objects.order_by("pk")] == [
        "pending",
        "approved",
        "suspended",
    ]
    assert Event.objects.first().payload == {
        "code": company.code,
        "name": "Brico Sud",
        "group": store.default_group.code,
        "status": "pending",
        "country": "FR",
        "vat_number": "",
    }


def test_certificates_approved_and_expired(store, endpoint):
    company = CompanyFactory(code="NYC")
    today = store_today(store)
    certificate = TaxCertificateFactory(
        company=company,
        number="EX-1",
        country="US",
        region="NY",
        issued_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=1),
        status="pending",
    )
    certificates_approve(
        certificates=TaxCertificate.objects.filter(pk=certificate.pk), site_url="http://t"
    )
    rolled_back(lambda: certificate_reminders(day=today + datetime.timedelta(days=2)))
    certificate_reminders(day=today + datetime.timedelta(days=2))

    key = str(certificate.pk)
    assert recorded() == [
        ("certificate.approved", "certificate", key, 1),
        ("certificate.expired", "certificate", key, 2),
    ]
    assert Event.objects.last().payload == {
        "number": "EX-1",
        "country": "US",
        "region": "NY",
        "issued_on": (today - datetime.timedelta(days=300)).isoformat(),
        "expires_on": (today + datetime.timedelta(days=1)).isoformat(),
        "status": "expired",
        "company": "NYC",
    }


def test_quote_sent_and_accepted(shop, buyer, clerk, endpoint):
    today = store_today(get_store())
    quote = quote_request(
        viewer=buyer, request=QuoteRequest(rows=[("SCR-100", 37)], message="Best price?")
    )
    quote_set_terms(
        quote_id=quote.pk, actor=clerk, terms=Terms(expires_on=today + datetime.timedelta(30))
    )
    quote_send(quote_id=quote.pk, actor=clerk)
    rolled_back(lambda: quote_accept(viewer=buyer, number=quote.number))
    quote_accept(viewer=buyer, number=quote.number)

    assert recorded() == [
        ("quote.sent", "quote", quote.number, 1),
        ("quote.accepted", "quote", quote.number, 2),
    ]
    sent, accepted = Event.objects.order_by("pk")
    assert (sent.payload["state"], accepted.payload["state"]) == ("sent", "accepted")
    assert accepted.payload["offer"]["lines"][0]["unit_price"] == "3.90"


@pytest.fixture
def rule(shop):
    rule = ApprovalRule.objects.create(
        company=shop.company, name="Over 300", level=1, approver_roles=["approver"]
    )
    ApprovalCondition.objects.create(rule=rule, kind="total_above", amount="300.00")
    return rule


def test_approval_requested_then_decided(shop, buyer, rule, endpoint):
    from comptoir.accounts.access import viewer_for

    approver = UserFactory(company=shop.company, email="anne@acme.example", role="approver")
    cart_add_lines(viewer=buyer, rows=[(1, "SCR-100", 120)])
    approval = order_place(viewer=buyer, request=TRANSFER).approval
    approver_viewer = viewer_for(get_store(), approver)
    rolled_back(lambda: approval_approve(viewer=approver_viewer, number=approval.number))
    approval_approve(viewer=approver_viewer, number=approval.number)

    types = [(kind, resource_type) for kind, resource_type, _key, _seq in recorded()]
    assert types == [
        ("approval.requested", "approval"),
        ("order.placed", "order"),
        ("invoice.issued", "invoice"),
        ("approval.decided", "approval"),
    ]
    decided = Event.objects.get(type="approval.decided")
    assert (decided.resource_key, decided.sequence) == (approval.number, 2)
    assert decided.payload["status"] == "ordered"


def test_a_rejection_is_a_decision(shop, buyer, rule, endpoint):
    from comptoir.accounts.access import viewer_for

    approver = UserFactory(company=shop.company, email="anne@acme.example", role="approver")
    cart_add_lines(viewer=buyer, rows=[(1, "SCR-100", 120)])
    approval = order_place(viewer=buyer, request=TRANSFER).approval
    approval_reject(
        viewer=viewer_for(get_store(), approver), number=approval.number, reason="Too much"
    )
    decided = Event.objects.get(type="approval.decided")
    assert decided.payload["status"] == "rejected"


def test_only_active_endpoints_that_ticked_the_type_get_a_delivery(shop, buyer, endpoint):
    orders_only = services.endpoint_save(
        endpoint=Endpoint(url="https://wms.example.com/in", event_types=["order.cancelled"])
    )
    services.endpoint_save(
        endpoint=Endpoint(
            url="https://off.example.com/", event_types=["order.placed"], active=False
        )
    )
    order = place(shop, buyer, ("SCR-100", 120))
    order_set_status(order=order, status="cancelled")

    deliveries = Delivery.objects.exclude(event__type="invoice.issued")
    assert sorted(deliveries.values_list("endpoint_id", "event__type")) == sorted(
        [
            (endpoint.pk, "order.placed"),
            (endpoint.pk, "order.cancelled"),
            # The invoice issued on placing is credited by the cancellation.
            (endpoint.pk, "credit_note.issued"),
            (orders_only.pk, "order.cancelled"),
        ]
    )


def test_an_event_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(OutsideTransaction):
        record_event(EventType.STOCK_LOW, resource_type="product", resource_key="X", payload={})
    assert Event.objects.count() == 0


def test_a_credit_note_and_a_refund_are_events_of_the_invoice_they_correct(shop, buyer, endpoint):
    order = place(shop, buyer, ("SCR-100", 120))
    invoice = order.invoice
    today = store_today(get_store())
    invoice_record_payment(
        invoice=invoice, amount=Decimal("522.00"), paid_on=today, method="cheque"
    )
    # Cancelling the paid order issues a whole credit note in the cancellation's transaction.
    order_set_status(order=order, status="cancelled")
    with pytest.raises(BusinessRuleError) as refused:
        invoice_record_refund(
            invoice=invoice, amount=Decimal("522.01"), refunded_on=today, method="bank_transfer"
        )
    assert refused.value.code == "refund_above_credit"
    invoice_record_refund(
        invoice=invoice, amount=Decimal("522.00"), refunded_on=today, method="bank_transfer"
    )

    note = CreditNote.objects.get(invoice=invoice)
    assert [event for event in recorded() if event[1] == "invoice"] == [
        ("invoice.issued", "invoice", invoice.number, 1),
        ("payment.recorded", "invoice", invoice.number, 2),
        ("credit_note.issued", "invoice", invoice.number, 3),
        ("refund.recorded", "invoice", invoice.number, 4),
    ]
    credited = Event.objects.get(type="credit_note.issued").payload
    assert credited["credit_note"] == {
        "number": note.number,
        "issued_on": today.isoformat(),
        "kind": "whole",
        "reason": "Order cancelled",
        "total": "522.00",
    }
    assert (
        credited["status"],
        credited["amount_credited"],
        credited["amount_paid"],
        credited["amount_due"],
    ) == ("credited", "522.00", "522.00", "-522.00")
    refunded = Event.objects.get(type="refund.recorded").payload
    assert refunded["refund"] == {
        "amount": "522.00",
        "refunded_on": today.isoformat(),
        "method": "bank_transfer",
        "reference": "",
    }
    assert (refunded["amount_refunded"], refunded["amount_due"]) == ("522.00", "0.00")
