"""Approval requests as checkout writes them, for tests of the pages that show them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from comptoir.approvals.models import (
    ApprovalAction,
    ApprovalEvent,
    ApprovalLine,
    ApprovalRequest,
)
from comptoir.approvals.selectors import as_rule
from comptoir.approvals.stored import rule_json
from comptoir.core.money import round2


def create_approval_request(
    *,
    company,
    requester,
    items,
    number: str,
    rules=(),
    shipping_total=Decimal("15.00"),
    tax_rate=Decimal("20.00"),
    submitted_at=None,
    **kwargs,
) -> ApprovalRequest:
    """A pending request with one line per (product, quantity, unit price), the totals adding
    up as DESIGN.md "Rounding" says, and its "submitted" event."""
    submitted_at = submitted_at or timezone.now()
    lines = [
        (product, quantity, unit_price, round2(unit_price * quantity))
        for product, quantity, unit_price in items
    ]
    subtotal = sum((gross for *_rest, gross in lines), Decimal("0.00"))
    base = subtotal + shipping_total
    tax = round2(base * tax_rate / 100)
    request = ApprovalRequest.objects.create(
        number=number,
        company=company,
        requester=requester,
        submitted_at=submitted_at,
        valid_until=submitted_at.date() + datetime.timedelta(days=14),
        rules=[rule_json(as_rule(rule)) for rule in rules],
        facts={
            "total": str(base + tax),
            "skus": sorted(product.sku for product, *_rest in lines),
            "categories": [],
            "payment_method": "",
            "shipping_method": "",
            "requester_id": requester.pk,
            "requester_role": requester.role,
            "location": None,
            "budget_exceeded": False,
        },
        currency="EUR",
        shipping_address={
            "line1": "3 quai des Usines",
            "line2": "",
            "city": "Lyon",
            "postal_code": "69007",
            "country": "FR",
            "region": None,
        },
        subtotal=subtotal,
        discount_total=Decimal("0.00"),
        shipping_total=shipping_total,
        tax_total=tax,
        total=base + tax,
        tax_lines=[{"rate": str(tax_rate), "base": str(base), "amount": str(tax), "reason": ""}],
        **kwargs,
    )
    ApprovalLine.objects.bulk_create(
        ApprovalLine(
            request=request,
            position=position,
            product=product,
            sku=product.sku,
            name=product.name,
            quantity=quantity,
            unit_price=unit_price,
            gross=gross,
            net=gross,
            tax_rate=tax_rate,
        )
        for position, (product, quantity, unit_price, gross) in enumerate(lines, start=1)
    )
    ApprovalEvent.objects.create(
        request=request,
        at=submitted_at,
        actor=requester,
        action=ApprovalAction.SUBMITTED,
        level=1,
    )
    return request
