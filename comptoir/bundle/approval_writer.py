"""Second-pass writes of approvals (issue 16): companies' rules and budgets, approval requests.

A company whose bundle item lists `approval_rules` (or `budgets`) gets exactly those, matched
by name (by location, user and period); one that leaves them out keeps its own. Requests are
upserted by number, their lines and trail replaced, and the APR counters raised after them.
Users are named by e-mail in the bundle and kept by id.
"""

from collections.abc import Callable
from itertools import islice

from comptoir.accounts.models import User
from comptoir.approvals.checkout import APPROVAL_PREFIX
from comptoir.approvals.models import (
    ApprovalCondition,
    ApprovalCounter,
    ApprovalEvent,
    ApprovalLine,
    ApprovalRequest,
    ApprovalRule,
    Budget,
)
from comptoir.bundle import schema
from comptoir.bundle.approval_checks import ApprovalIndex
from comptoir.bundle.sync import sync_children, sync_m2m, upsert
from comptoir.catalog.models import Product
from comptoir.core.money import ZERO, format_decimal, round2
from comptoir.core.numbering import raise_counters
from comptoir.customers.models import Company, Location
from comptoir.ordering.models import Order
from comptoir.payments.models import PaymentMethod, ShippingMethod
from comptoir.quotes.models import Quote


def _user_ids() -> dict[str, int]:
    return {email.lower(): pk for email, pk in User.objects.values_list("email", "id")}


def write_company_approvals(approvals: ApprovalIndex) -> dict[str, int]:
    companies = dict(Company.objects.filter(code__in=approvals.companies).values_list("code", "id"))
    users = _user_ids()
    with_rules = {
        companies[code]: found.rules
        for code, found in approvals.companies.items()
        if found.rules is not None
    }
    with_budgets = {
        companies[code]: found.budgets
        for code, found in approvals.companies.items()
        if found.budgets is not None
    }
    _write_rules(with_rules, users)
    _write_budgets(with_budgets, users)
    return {
        "approval_rules": sum(len(rules) for rules in with_rules.values()),
        "budgets": sum(len(budgets) for budgets in with_budgets.values()),
    }


def _write_rules(with_rules: dict[int, list], users: dict[str, int]) -> None:
    sync_children(
        ApprovalRule,
        "company_id",
        with_rules,
        ("name",),
        [
            {
                "company_id": company_id,
                "name": rule.name,
                "level": rule.level,
                "approver_roles": list(rule.approver_roles),
                "active": rule.active,
            }
            for company_id, rules in with_rules.items()
            for rule in rules
        ],
    )
    if not with_rules:
        return
    ids = {
        (company_id, name): pk
        for pk, company_id, name in ApprovalRule.objects.filter(
            company_id__in=with_rules
        ).values_list("id", "company_id", "name")
    }
    sync_m2m(
        ApprovalRule,
        "approvers",
        {
            ids[(company_id, rule.name)]: {users[email] for email in rule.approvers}
            for company_id, rules in with_rules.items()
            for rule in rules
        },
    )
    sync_children(
        ApprovalCondition,
        "rule_id",
        list(ids.values()),
        ("kind",),
        [
            {
                "rule_id": ids[(company_id, rule.name)],
                "kind": condition.kind,
                "values": [
                    str(users[value]) if condition.kind == "requester" else value
                    for value in condition.values
                ],
                "amount": condition.amount,
            }
            for company_id, rules in with_rules.items()
            for rule in rules
            for condition in rule.conditions
        ],
    )


def _write_budgets(with_budgets: dict[int, list], users: dict[str, int]) -> None:
    locations = {
        (company_id, code): pk
        for pk, company_id, code in Location.objects.filter(
            company_id__in=with_budgets
        ).values_list("id", "company_id", "code")
    }
    sync_children(
        Budget,
        "company_id",
        with_budgets,
        ("location_id", "user_id", "period"),
        [
            {
                "company_id": company_id,
                "location_id": locations[(company_id, budget.location)]
                if budget.location
                else None,
                "user_id": users[budget.user] if budget.user else None,
                "period": budget.period,
                "amount": budget.amount,
                "over_budget": budget.over_budget,
                "active": budget.active,
            }
            for company_id, budgets in with_budgets.items()
            for budget in budgets
        ],
    )


class RequestWriter:
    """Writes the streamed requests in chunks, with what every chunk looks up read once."""

    def __init__(self, currency: str):
        self.currency = currency
        self.orders: dict[str, int] = {}
        self.quotes: dict[str, int] = {}
        self.companies = dict(Company.objects.values_list("code", "id"))
        self.users = _user_ids()
        self.roles = dict(User.objects.values_list("id", "role"))
        self.locations = {
            (company, code.lower()): pk
            for pk, company, code in Location.objects.values_list("id", "company__code", "code")
        }
        self.rules = {
            (company, name): pk
            for pk, company, name in ApprovalRule.objects.values_list("id", "company__code", "name")
        }
        self.method_names = {
            "payment": dict(PaymentMethod.objects.values_list("code", "name")),
            "shipping": dict(ShippingMethod.objects.values_list("code", "name")),
        }

    def write(self, requests: list[schema.ApprovalRequestItem]) -> None:
        self.orders = dict(
            Order.objects.filter(number__in={r.order for r in requests if r.order}).values_list(
                "number", "id"
            )
        )
        self.quotes = dict(
            Quote.objects.filter(number__in={r.quote for r in requests if r.quote}).values_list(
                "number", "id"
            )
        )
        rows, lines, events = {}, [], []
        for request in requests:
            row, request_lines = self.values(request)
            rows[(request.number,)] = row
            lines.append((request.number, request_lines))
            events.append((request.number, request.events))
        ids = upsert(ApprovalRequest, ("number",), rows)
        skus = {line["sku"] for _, request_lines in lines for line in request_lines}
        products = dict(Product.objects.filter(sku__in=skus).values_list("sku", "id"))
        sync_children(
            ApprovalLine,
            "request_id",
            ids.values(),
            ("position",),
            [
                {**line, "request_id": ids[(number,)], "product_id": products.get(line["sku"])}
                for number, request_lines in lines
                for line in request_lines
            ],
        )
        sync_children(
            ApprovalEvent,
            "request_id",
            ids.values(),
            ("at", "action", "actor_id"),
            [
                {
                    "request_id": ids[(number,)],
                    "at": event.at,
                    "action": event.action,
                    "actor_id": self.users[event.actor.lower()] if event.actor else None,
                    "level": event.level,
                    "message": event.message,
                }
                for number, request_events in events
                for event in request_events
            ],
        )

    def values(self, request: schema.ApprovalRequestItem) -> tuple[dict, list[dict]]:
        """The request row and its lines, amounts derived as an order's (DESIGN.md
        "Rounding"); a snapshot rule keeps the id of the company's rule of that name, or a
        negative one of its own when the company has none any more."""
        lines = []
        for position, line in enumerate(request.lines, start=1):
            gross = round2(line.unit_price * line.qty)
            lines.append(
                {
                    "position": position,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.qty,
                    "unit_price": line.unit_price,
                    "gross": gross,
                    "promotion_percent": line.promotion_percent,
                    "promotion_amount": line.promotion,
                    "volume_percent": line.volume_percent,
                    "volume_amount": line.volume,
                    "net": gross - line.promotion - line.volume,
                    "tax_rate": line.tax_rate,
                    "explanation": [],
                }
            )
        subtotal = sum((line["gross"] for line in lines), ZERO)
        discounts = sum((line["promotion_amount"] + line["volume_amount"] for line in lines), ZERO)
        tax_total = sum((tax.amount for tax in request.tax_lines), ZERO)
        rules = []
        for position, rule in enumerate(request.rules, start=1):
            rule_id = self.rules.get((request.company, rule.name), -position)
            rules.append(
                {
                    "id": rule_id,
                    "name": rule.name,
                    "level": rule.level,
                    "approver_roles": list(rule.approver_roles),
                    "approver_ids": [self.users[email.lower()] for email in rule.approvers],
                    "conditions": [
                        {
                            "kind": condition.kind,
                            "values": [
                                str(self.users[value.lower()])
                                if condition.kind == "requester"
                                else value
                                for value in condition.values
                            ],
                            "amount": str(condition.amount)
                            if condition.amount is not None
                            else None,
                        }
                        for condition in rule.conditions
                    ],
                }
            )
        address = request.shipping_address
        row = {
            "company_id": self.companies[request.company],
            "requester_id": self.users[request.requester.lower()],
            "location_id": self.locations[(request.company, request.location.lower())]
            if request.location
            else None,
            "status": request.status,
            "submitted_at": request.submitted_at,
            "valid_until": request.valid_until,
            "decided_at": request.decided_at,
            "rules": rules,
            "approved_rules": [
                entry["id"]
                for entry, rule in zip(rules, request.rules, strict=True)
                if rule.approved
            ],
            "facts": {
                "total": str(subtotal - discounts + request.shipping_total + tax_total),
                "skus": sorted({line.sku for line in request.lines}),
                "categories": sorted(set(request.categories)),
                "payment_method": request.payment_method,
                "shipping_method": request.shipping_method,
                "requester_id": self.users[request.requester.lower()],
                "requester_role": request.requester_role
                or self.roles.get(self.users[request.requester.lower()], ""),
                "location": request.location,
                "budget_exceeded": request.budget_exceeded,
            },
            "budget_exceeded": request.budget_exceeded,
            "rejection_reason": request.rejection_reason,
            "placement_problem": request.placement_problem,
            "order_id": self.orders[request.order] if request.order else None,
            "quote_id": self.quotes[request.quote] if request.quote else None,
            "currency": request.currency or self.currency,
            "customer_group_code": request.customer_group or "",
            "po_number": request.po_number,
            "comment": request.comment,
            "payment_method_code": request.payment_method,
            "payment_method_name": self.method_names["payment"].get(request.payment_method, ""),
            "shipping_method_code": request.shipping_method,
            "shipping_method_name": self.method_names["shipping"].get(request.shipping_method, ""),
            "shipping_address": {
                "line1": address.line1,
                "line2": address.line2,
                "city": address.city,
                "postal_code": address.postal_code,
                "country": address.country,
                "region": address.region,
            },
            "subtotal": subtotal,
            "discount_total": discounts,
            "shipping_total": request.shipping_total,
            "tax_total": tax_total,
            "total": subtotal - discounts + request.shipping_total + tax_total,
            "tax_lines": [
                {
                    "rate": format_decimal(tax.rate),
                    "base": format_decimal(tax.base, 2),
                    "amount": format_decimal(tax.amount, 2),
                    "reason": tax.reason or "",
                }
                for tax in request.tax_lines
            ],
        }
        return row, lines


def write_requests(items, currency: str, progress: Callable[[str], None]) -> int:
    writer = RequestWriter(currency)
    count = 0
    iterator = iter(items)
    while chunk := list(islice(iterator, 500)):
        requests = [schema.ApprovalRequestItem.model_validate(raw) for raw in chunk]
        writer.write(requests)
        count += len(requests)
        progress(f"approval requests: {count}")
    raise_counters(counter=ApprovalCounter, numbered=ApprovalRequest, prefix=APPROVAL_PREFIX)
    return count
