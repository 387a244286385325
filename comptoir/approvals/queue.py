"""Reads of the approvers' queue: which requests a company user sees, which wait for them.

A user sees their own requests; with `see_company_orders` or `approve_orders`, the company's,
within their locations (an approver must see what they decide on). Another company's request
is unknown to them; one of their company that their role or locations do not cover is
refused, as an order is (API.md §2.1).
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import APPROVE_ORDERS, SEE_COMPANY_ORDERS
from comptoir.approvals import rules
from comptoir.approvals.models import ApprovalRequest, ApprovalStatus
from comptoir.approvals.notifications import stored_levels
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import store_today

WAITING = "waiting"
MINE = "mine"
ALL = "all"
VIEWS = (WAITING, MINE, ALL)


def visible_approvals(viewer: Viewer) -> QuerySet[ApprovalRequest]:
    access = viewer.access
    found = ApprovalRequest.objects.filter(company=viewer.company)
    if not (access.allows(SEE_COMPANY_ORDERS) or access.allows(APPROVE_ORDERS)):
        found = found.filter(requester=viewer.user)
    if not access.all_locations:
        found = found.filter(Q(location__isnull=True) | Q(location__in=access.location_ids))
    return found


def may_decide(viewer: Viewer, approval: ApprovalRequest) -> bool:
    """Whether the approve and reject forms are offered: the checks of the decision itself."""
    access = viewer.access
    if not approval.is_open or not access.allows(APPROVE_ORDERS):
        return False
    if not access.covers(approval.location_id) or approval.valid_until < store_today(viewer.store):
        return False
    refusal = rules.decision_refusal(
        stored_levels(approval),
        rules.Progress(frozenset(approval.approved_rules)),
        user_id=viewer.user.pk,
        role=viewer.user.role,
        requester_id=approval.requester_id,
    )
    return refusal is None


def waiting_for(viewer: Viewer) -> list[int]:
    """The ids of the open requests the viewer may decide on now (one query: the rules the
    requests wait for are in their own rows)."""
    if not viewer.access.allows(APPROVE_ORDERS):
        return []
    candidates = (
        visible_approvals(viewer)
        .filter(status=ApprovalStatus.PENDING, valid_until__gte=store_today(viewer.store))
        .exclude(requester=viewer.user)
        .only(
            "id", "rules", "approved_rules", "requester_id", "location_id", "status", "valid_until"
        )
    )
    return [approval.pk for approval in candidates if may_decide(viewer, approval)]


def approval_queue(viewer: Viewer, *, view: str, status: str | None) -> QuerySet:
    """The requests of one view (waiting for the viewer, their own, all they see), newest
    first, with what a page of them shows: lines, requester, location and order."""
    found = visible_approvals(viewer)
    if view == WAITING:
        found = found.filter(pk__in=waiting_for(viewer))
    elif view == MINE:
        found = found.filter(requester=viewer.user)
    if status:
        found = found.filter(status=status)
    return (
        found.select_related("requester", "location", "order")
        .prefetch_related("lines")
        .order_by("-submitted_at", "-id")
    )


def company_approval(viewer: Viewer, number: str) -> ApprovalRequest | None:
    """One request the viewer may see, with its lines and trail; None for another company's
    number or an unknown one."""
    found = (
        visible_approvals(viewer)
        .filter(number=number)
        .select_related("requester", "location", "order", "company")
        .prefetch_related("lines", "events__actor")
        .first()
    )
    if (
        found is None
        and ApprovalRequest.objects.filter(company=viewer.company, number=number).exists()
    ):
        raise BusinessRuleError(
            "permission_denied", _("Your role or your locations do not cover this request.")
        )
    return found
