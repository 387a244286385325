"""E-mails of approval requests, each in its reader's language, with a link to the request's
page: to the approvers of the level it waits for, and to whom each decision concerns."""

from functools import partial

from django.conf import settings
from django.urls import reverse

from comptoir.accounts.permissions import SEE_PRICES
from comptoir.accounts.selectors import user_access
from comptoir.approvals import rules
from comptoir.approvals.models import ApprovalAction, ApprovalEvent, ApprovalRequest
from comptoir.approvals.selectors import company_deciders, rule_approvers
from comptoir.approvals.stored import rule_views, stored_levels
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
        .prefetch_related("lines__packaging__product")
        .get(pk=approval_id)
    )
    for user in current_approvers(approval):
        _send(user, "approval_submitted", approval)


def request_link(approval: ApprovalRequest) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("storefront:approval", args=[approval.number])


def _send(user, template: str, approval: ApprovalRequest, **context) -> None:
    sees_prices = user_access(user).allows(SEE_PRICES)
    send_templated(
        user,
        f"approvals/email/{template}",
        {
            "approval": approval,
            "link": request_link(approval),
            "sees_prices": sees_prices,
            # Called by the template, so in the reader's language.
            "rules": partial(rule_views, approval, sees_prices),
            **context,
        },
    )


# Who hears of each step: the requester always; the approvers too when an approved request
# could not be placed, as they may try again.
_TEMPLATES = {
    ApprovalAction.REJECTED: "approval_rejected",
    ApprovalAction.ORDERED: "approval_ordered",
    ApprovalAction.NOT_ORDERED: "approval_not_ordered",
    ApprovalAction.EXPIRED: "approval_expired",
}


def approval_decided(event_id: int) -> None:
    event = (
        ApprovalEvent.objects.select_related(
            "actor", "request__requester", "request__company", "request__order"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action not in _TEMPLATES:
        return
    approval = event.request
    readers = {approval.requester_id: approval.requester}
    if event.action == ApprovalAction.NOT_ORDERED:
        approvers = approval.events.filter(action=ApprovalAction.APPROVED, actor__isnull=False)
        for decided in approvers.select_related("actor"):
            readers.setdefault(decided.actor_id, decided.actor)
    for user in readers.values():
        if user.is_active:
            _send(user, _TEMPLATES[event.action], approval, event=event)
