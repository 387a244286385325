"""Reads of the approvers' queue: which requests a company user sees, which wait for them,
and why they may not decide, withdraw or try one again (asked by the decisions themselves
and by the pages and API that offer them, so that none offers what the decision refuses).

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
from comptoir.approvals.stored import stored_levels
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


def closed_refusal(viewer: Viewer, approval: ApprovalRequest) -> BusinessRuleError | None:
    """Why nothing more can be decided on the request: closed, or its prices expired."""
    if not approval.is_open:
        return BusinessRuleError(
            "approval_not_open",
            _("Request %(number)s is no longer waiting: it is %(status)s.")
            % {"number": approval.number, "status": approval.get_status_display()},
        )
    if approval.valid_until < store_today(viewer.store):
        return BusinessRuleError(
            "approval_expired",
            _("Request %(number)s expired on %(date)s: its prices no longer hold.")
            % {"number": approval.number, "date": approval.valid_until.isoformat()},
        )
    return None


def decision_refusal(viewer: Viewer, approval: ApprovalRequest) -> BusinessRuleError | None:
    """Why the viewer may not approve or reject the request now, or None: asked by the
    decisions themselves and by the pages that offer them."""
    user, access = viewer.user, viewer.access
    if user.pk == approval.requester_id:
        return BusinessRuleError(
            rules.SELF_APPROVAL, _("You cannot approve or reject your own request.")
        )
    if not access.allows(APPROVE_ORDERS):
        return BusinessRuleError(
            "permission_denied", _("Your role does not allow you to approve orders.")
        )
    if not access.covers(approval.location_id):
        return BusinessRuleError(
            "permission_denied", _("Your locations do not cover this request's location.")
        )
    closed = closed_refusal(viewer, approval)
    if closed is not None:
        return closed
    levels = stored_levels(approval)
    progress = rules.Progress(frozenset(approval.approved_rules))
    level = progress.current(levels)
    if level is None:
        return BusinessRuleError(
            "approval_not_open",
            _("Every approval is given; the order could not be placed yet: try again."),
        )
    refusal = rules.decision_refusal(
        levels, progress, user_id=user.pk, role=user.role, requester_id=approval.requester_id
    )
    if refusal == rules.NOT_YOUR_LEVEL:
        return BusinessRuleError(
            "permission_denied",
            _("The request waits for level %(level)s, which is not yours.")
            % {"level": level.number},
            [{"code": refusal, "message": _("Not your level yet.")}],
        )
    if refusal is not None:
        return BusinessRuleError(
            "permission_denied",
            _("No rule of this request names you as an approver."),
            [{"code": refusal, "message": _("Not an approver of this request.")}],
        )
    return None


def withdrawal_refusal(viewer: Viewer, approval: ApprovalRequest) -> BusinessRuleError | None:
    """Only the requester withdraws, and only a request still waiting."""
    if approval.requester_id != viewer.user.pk:
        return BusinessRuleError(
            "permission_denied", _("Only the requester may withdraw a request.")
        )
    if not approval.is_open:
        return closed_refusal(viewer, approval)
    return None


def retry_refusal(viewer: Viewer, approval: ApprovalRequest) -> BusinessRuleError | None:
    """Placing again is for a request every level approved, by its requester or by an
    approver of the company who covers its location."""
    access = viewer.access
    if approval.requester_id != viewer.user.pk and not (
        access.allows(APPROVE_ORDERS) and access.covers(approval.location_id)
    ):
        return BusinessRuleError(
            "permission_denied",
            _("Only the requester or an approver may try to place this request again."),
        )
    closed = closed_refusal(viewer, approval)
    if closed is not None:
        return closed
    if not rules.is_complete(
        stored_levels(approval), rules.Progress(frozenset(approval.approved_rules))
    ):
        return BusinessRuleError(
            "approval_not_open",
            _("Request %(number)s still waits for approval.") % {"number": approval.number},
        )
    return None


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
            "id",
            "rules",
            "facts",
            "approved_rules",
            "requester_id",
            "location_id",
            "status",
            "valid_until",
        )
    )
    return [approval.pk for approval in candidates if decision_refusal(viewer, approval) is None]


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
        found.select_related("requester", "location", "order", "quote")
        .prefetch_related("lines")
        .order_by("-submitted_at", "-id")
    )


def company_approval(viewer: Viewer, number: str) -> ApprovalRequest | None:
    """One request the viewer may see, with its lines and trail; None for another company's
    number or an unknown one."""
    found = (
        visible_approvals(viewer)
        .filter(number=number)
        .select_related("requester", "location", "order", "company", "quote")
        .prefetch_related("lines__packaging__product", "events__actor")
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
