"""E-mails of approval requests, each in its reader's language."""

from comptoir.accounts.permissions import SEE_PRICES
from comptoir.accounts.selectors import user_access
from comptoir.approvals import rules
from comptoir.approvals.models import ApprovalRequest
from comptoir.approvals.selectors import company_deciders, rule_approvers
from comptoir.core.mail import send_templated


def stored_levels(approval: ApprovalRequest) -> list[rules.Level]:
    """The levels the request waits for, from the rules as they were at submission."""
    matched = [
        rules.Rule(
            id=entry["id"],
            name=entry["name"],
            level=entry["level"],
            conditions=(),
            approver_roles=frozenset(entry["approver_roles"]),
            approver_ids=frozenset(entry["approver_ids"]),
        )
        for entry in approval.rules
    ]
    return rules.approval_levels(matched, _ALWAYS)


_ALWAYS = rules.OrderFacts(
    total=0,
    skus=frozenset(),
    categories=frozenset(),
    payment_method="",
    shipping_method="",
    requester_id=0,
    requester_role="",
    location=None,
)
"""Stored rules have already matched: their conditions are not kept, every one applies."""


def current_approvers(approval: ApprovalRequest) -> list:
    """Who may decide now: the approvers of the waiting rules of the current level."""
    levels = stored_levels(approval)
    level = rules.Progress(frozenset(approval.approved_rules)).current(levels)
    if level is None:
        return []
    deciders = company_deciders(approval.company, approval.location)
    found = {}
    for rule in level.rules:
        if rule.id in approval.approved_rules:
            continue
        for user in rule_approvers(rule, deciders, excluding=approval.requester_id):
            found[user.pk] = user
    return list(found.values())


def approval_submitted(approval_id: int) -> None:
    """Tell the approvers of the current level that a request waits for them."""
    approval = (
        ApprovalRequest.objects.select_related("requester", "company", "location")
        .prefetch_related("lines")
        .get(pk=approval_id)
    )
    for user in current_approvers(approval):
        send_templated(
            user,
            "approvals/email/approval_submitted",
            {"approval": approval, "sees_prices": user_access(user).allows(SEE_PRICES)},
        )
