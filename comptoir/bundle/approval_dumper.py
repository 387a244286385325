"""Approvals in a dump (issue 16): a company's rules and budgets, and the approval requests.

Users are written by e-mail (requesters of a rule's `requester` condition included), and
everything is sorted by natural key so that dump → load → dump gives the identical file.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Prefetch

from comptoir.accounts.models import User
from comptoir.approvals import budgets as budget_rules
from comptoir.approvals import rules as approval_rules
from comptoir.approvals.models import ApprovalEvent, ApprovalRequest, ApprovalRule, Budget
from comptoir.core.money import format_decimal


class UserEmails:
    """E-mails by user id, read once for the whole dump."""

    def __init__(self):
        self._emails = None

    def __getitem__(self, pk) -> str:
        if self._emails is None:
            self._emails = dict(User.objects.values_list("id", "email"))
        return self._emails[int(pk)]


def company_prefetches() -> list:
    return [
        Prefetch(
            "approval_rules",
            queryset=ApprovalRule.objects.prefetch_related("conditions", "approvers"),
        ),
        Prefetch("budgets", queryset=Budget.objects.select_related("location", "user")),
    ]


def company_approval_rules(company, emails: UserEmails) -> list[dict]:
    found = sorted(company.approval_rules.all(), key=lambda rule: (rule.level, rule.name))
    return [
        {
            "name": rule.name,
            "level": rule.level,
            "approver_roles": list(rule.approver_roles),
            "approvers": sorted(user.email for user in rule.approvers.all()),
            "active": rule.active,
            "conditions": [
                {
                    "kind": condition.kind,
                    "values": [
                        emails[value] if condition.kind == approval_rules.REQUESTER else value
                        for value in condition.values
                    ],
                    "amount": format_decimal(condition.amount, 2),
                }
                for condition in sorted(
                    rule.conditions.all(),
                    key=lambda c: (approval_rules.CONDITIONS.index(c.kind), c.id),
                )
            ],
        }
        for rule in found
    ]


def company_budgets(company) -> list[dict]:
    found = sorted(
        company.budgets.all(),
        key=lambda b: (
            b.location.code if b.location else "",
            b.user.email if b.user else "",
            budget_rules.PERIODS.index(b.period),
        ),
    )
    return [
        {
            "location": budget.location.code if budget.location else None,
            "user": budget.user.email if budget.user else None,
            "period": budget.period,
            "amount": format_decimal(budget.amount, 2),
            "over_budget": budget.over_budget,
            "active": budget.active,
        }
        for budget in found
    ]


def approval_requests() -> Iterator[dict]:
    emails = UserEmails()
    queryset = (
        ApprovalRequest.objects.select_related("company", "requester", "location", "order", "quote")
        .prefetch_related("lines", Prefetch("events", queryset=_events()))
        .order_by("number")
    )
    for request in queryset.iterator(chunk_size=500):
        approved = set(request.approved_rules or ())
        yield {
            "number": request.number,
            "company": request.company.code,
            "requester": request.requester.email,
            "location": request.location.code if request.location else None,
            "status": request.status,
            "submitted_at": request.submitted_at.isoformat(),
            "valid_until": request.valid_until.isoformat(),
            "decided_at": request.decided_at.isoformat() if request.decided_at else None,
            "rules": [
                {
                    "name": rule["name"],
                    "level": rule["level"],
                    "approver_roles": list(rule.get("approver_roles") or ()),
                    "approvers": [emails[pk] for pk in rule.get("approver_ids") or ()],
                    "conditions": [
                        {
                            "kind": condition["kind"],
                            "values": [
                                emails[int(value)] if condition["kind"] == "requester" else value
                                for value in condition["values"]
                            ],
                            "amount": condition["amount"],
                        }
                        for condition in rule.get("conditions") or ()
                    ],
                    "approved": rule.get("id") in approved,
                }
                for rule in request.rules or ()
            ],
            "requester_role": (request.facts or {}).get("requester_role") or None,
            "categories": list((request.facts or {}).get("categories") or ()),
            "budget_exceeded": request.budget_exceeded,
            "rejection_reason": request.rejection_reason,
            "placement_problem": request.placement_problem,
            "order": request.order.number if request.order else None,
            "quote": request.quote.number if request.quote else None,
            "currency": request.currency,
            "customer_group": request.customer_group_code or None,
            "po_number": request.po_number,
            "comment": request.comment,
            "payment_method": request.payment_method_code,
            "shipping_method": request.shipping_method_code,
            "shipping_address": request.shipping_address,
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "qty": line.quantity,
                    "unit_price": format_decimal(line.unit_price, 2),
                    "promotion_percent": format_decimal(line.promotion_percent),
                    "promotion": format_decimal(line.promotion_amount, 2),
                    "volume_percent": format_decimal(line.volume_percent),
                    "volume": format_decimal(line.volume_amount, 2),
                    "tax_rate": format_decimal(line.tax_rate),
                }
                for line in sorted(request.lines.all(), key=lambda line: line.position)
            ],
            "shipping_total": format_decimal(request.shipping_total, 2),
            "tax_lines": [
                {
                    "rate": format_decimal(Decimal(tax["rate"])),
                    "base": format_decimal(Decimal(tax["base"]), 2),
                    "amount": format_decimal(Decimal(tax["amount"]), 2),
                    "reason": tax.get("reason") or None,
                }
                for tax in sorted(
                    request.tax_lines or (),
                    key=lambda tax: (-Decimal(tax["rate"]), tax.get("reason") or ""),
                )
            ],
            "events": [
                {
                    "at": event.at.isoformat(),
                    "actor": event.actor.email if event.actor else None,
                    "action": event.action,
                    "level": event.level,
                    "message": event.message,
                }
                for event in request.events.all()
            ],
        }


def _events():
    return ApprovalEvent.objects.select_related("actor").order_by("at", "id")
