"""E-mails of approval requests, each in its reader's language."""

from comptoir.accounts.permissions import SEE_PRICES
from comptoir.accounts.selectors import user_access
from comptoir.approvals import rules
from comptoir.approvals.models import ApprovalRequest
from comptoir.approvals.selectors import company_deciders, rule_approvers
from comptoir.approvals.stored import stored_levels
from comptoir.core.mail import send_templated


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
