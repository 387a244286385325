"""Approval requests as the API shows them (API.md; `approval_required` at checkout)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from comptoir.approvals.stored import rule_views
from comptoir.core.money import format_decimal as dec
from comptoir.ordering.json_views import without_prices


def company_members(company) -> list:
    """The company's active users, once per answer, to name each rule's approvers."""
    return list(
        get_user_model()
        .objects.filter(company=company, is_active=True)
        .order_by("last_name", "first_name", "email")
    )


def as_seen(viewer, data: dict) -> dict:
    """Amounts only for a role that sees prices."""
    return data if viewer.sees_prices else without_prices(data)


def approval_required_json(viewer, approval) -> dict:
    """The 202 answer of a checkout that became an approval request."""
    data = approval_json(approval, company_members(approval.company), viewer.sees_prices)
    data["code"] = "approval_required"
    data["message"] = _(
        "Your order is waiting for approval as %(number)s; it will be placed once approved."
    ) % {"number": approval.number}
    return as_seen(viewer, data)


def approver_names(entry: dict, members: list, requester_id: int) -> list[str]:
    """Who may approve a stored rule, among the company's active `members` (read once for a
    whole page of requests), the requester never."""
    roles, ids = set(entry["approver_roles"]), set(entry["approver_ids"])
    return [
        user.get_full_name() or user.email
        for user in members
        if user.pk != requester_id and (user.pk in ids or user.role in roles)
    ]


def approval_json(approval, members: list, sees_prices: bool = True) -> dict:
    """`members`: the company's active users, to name the approvers of each rule; the rules'
    reasons name no amount for a reader who does not see prices."""
    address = dict(approval.shipping_address)
    address.pop("code", None)
    return {
        "number": approval.number,
        "status": approval.status,
        "submitted_at": approval.submitted_at.isoformat(),
        "valid_until": approval.valid_until.isoformat(),
        "requester": approval.requester.email,
        "location": approval.location.code if approval.location_id else None,
        "currency": approval.currency,
        "po_number": approval.po_number,
        "payment_method": approval.payment_method_code,
        "shipping_method": approval.shipping_method_code,
        "shipping_address": address,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "qty": line.quantity,
                "unit_price": dec(line.unit_price),
                "gross": dec(line.gross),
                "discount": dec(line.promotion_amount + line.volume_amount),
                "line_total": dec(line.net),
                "tax_rate": dec(line.tax_rate),
                "errors": [],
            }
            for line in approval.lines.all()
        ],
        "subtotal": dec(approval.subtotal),
        "discount_total": dec(approval.discount_total),
        "shipping_total": dec(approval.shipping_total),
        "tax_lines": [
            {
                "rate": dec(Decimal(tax["rate"])),
                "base": dec(Decimal(tax["base"])),
                "amount": dec(Decimal(tax["amount"])),
                "reason": tax["reason"] or None,
            }
            for tax in approval.tax_lines
        ],
        "tax_total": dec(approval.tax_total),
        "total": dec(approval.total),
        "rules": [
            {
                "name": view["name"],
                "level": view["level"],
                "reasons": view["reasons"],
                "approvers": approver_names(view, members, approval.requester_id),
                "approved": view["approved"],
            }
            for view in rule_views(approval, sees_prices)
        ],
        "rejection_reason": approval.rejection_reason,
        "placement_problem": approval.placement_problem,
        "order": approval.order.number if approval.order_id else None,
        "quote": approval.quote.number if approval.quote_id else None,
    }
