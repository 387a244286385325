"""The approvals queue (issue 16): the requests waiting for the user, their own, the company's;
a request's page with its rules, approvers and trail, and the forms to decide on it. Every
decision goes through `approvals.services`, as the API's do."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.accounts.permissions import APPROVE_ORDERS, SEE_COMPANY_ORDERS
from comptoir.approvals import rules, services
from comptoir.approvals.json_views import approval_json, company_members
from comptoir.approvals.models import ApprovalStatus
from comptoir.approvals.queue import (
    ALL,
    MINE,
    WAITING,
    approval_queue,
    company_approval,
    decision_refusal,
    retry_refusal,
    withdrawal_refusal,
)
from comptoir.approvals.stored import stored_levels
from comptoir.core.errors import BusinessRuleError
from comptoir.storefront.views.buying import account_required

APPROVALS_PER_PAGE = 20
# A refused decision answers as the API does: who may not (403), what is closed (409).
STATUS_BY_CODE = {"approval_not_open": 409, "approval_expired": 409}


def _views(viewer) -> list[tuple[str, str]]:
    """The tabs the viewer has: "waiting for me" for approvers, "all" for who sees them."""
    access = viewer.access
    tabs = []
    if access.allows(APPROVE_ORDERS):
        tabs.append((WAITING, _("Waiting for me")))
    tabs.append((MINE, _("My requests")))
    if access.allows(APPROVE_ORDERS) or access.allows(SEE_COMPANY_ORDERS):
        tabs.append((ALL, _("All of the company")))
    return tabs


@require_GET
@account_required
def approvals(request):
    viewer = request.viewer
    tabs = _views(viewer)
    view = request.GET.get("view")
    if view not in dict(tabs):
        view = tabs[0][0]
    status = request.GET.get("status") or ""
    if status not in ApprovalStatus.values:
        status = ""
    page = Paginator(approval_queue(viewer, view=view, status=status), APPROVALS_PER_PAGE)
    return render(
        request,
        "storefront/approvals.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "tabs": tabs,
            "view": view,
            "status": status,
            "statuses": ApprovalStatus.choices,
            "sees_prices": viewer.sees_prices,
        },
    )


def _visible(viewer, number: str):
    try:
        found = company_approval(viewer, number)
    except BusinessRuleError as refused:
        return None, refused.message
    if found is None:
        raise Http404(_("No such approval request."))
    return found, None


def _page(request, approval, *, errors=None, status=200, reason=""):
    viewer = request.viewer
    current = rules.Progress(frozenset(approval.approved_rules)).current(stored_levels(approval))
    return render(
        request,
        "storefront/approval.html",
        {
            "approval": approval,
            "rules": approval_json(approval, company_members(approval.company), viewer.sees_prices)[
                "rules"
            ],
            "current_level": current.number if current else None,
            "events": approval.events.select_related("actor", "staff"),
            "sees_prices": viewer.sees_prices,
            "may_decide": decision_refusal(viewer, approval) is None,
            "may_withdraw": withdrawal_refusal(viewer, approval) is None,
            "may_retry": bool(approval.placement_problem)
            and retry_refusal(viewer, approval) is None,
            "errors": errors or [],
            "reason": reason,
        },
        status=status,
    )


def _refused(request, reason: str):
    return TemplateResponse(
        request, "storefront/permission_denied.html", {"reason": reason}, status=403
    )


@require_GET
@account_required
def approval(request, number: str):
    found, refusal = _visible(request.viewer, number)
    if refusal:
        return _refused(request, refusal)
    return _page(request, found)


def _decision(request, number: str, decide, success: str):
    """Run a decision; its refusals are answered as a page: 404, 403, or the request's page
    again with why (409 closed, 422 bad input)."""
    viewer = request.viewer
    try:
        decided = decide(viewer)
    except BusinessRuleError as refused:
        if refused.code == "not_found":
            raise Http404(refused.message) from None
        if refused.code in ("permission_denied", rules.SELF_APPROVAL):
            return _refused(request, refused.message)
        found, refusal = _visible(viewer, number)
        if refusal:
            return _refused(request, refusal)
        return _page(
            request,
            found,
            errors=[refused.message],
            status=STATUS_BY_CODE.get(refused.code, 422),
            reason=request.POST.get("reason", ""),
        )
    if decided.placement_problem and decided.is_open:
        messages.warning(
            request,
            _("The order could not be placed: %(problem)s")
            % {"problem": decided.placement_problem},
        )
    elif decided.status == ApprovalStatus.ORDERED:
        messages.success(
            request,
            _("Request %(number)s is approved and placed as order %(order)s.")
            % {"number": decided.number, "order": decided.order.number},
        )
    else:
        messages.success(request, success % {"number": decided.number})
    return redirect("storefront:approval", number=decided.number)


@require_POST
@account_required
def approval_approve(request, number: str):
    return _decision(
        request,
        number,
        lambda viewer: services.approval_approve(
            viewer=viewer, number=number, note=request.POST.get("note", "")
        ),
        _("You approved request %(number)s."),
    )


@require_POST
@account_required
def approval_reject(request, number: str):
    return _decision(
        request,
        number,
        lambda viewer: services.approval_reject(
            viewer=viewer, number=number, reason=request.POST.get("reason", "")
        ),
        _("You rejected request %(number)s; the requester is told why."),
    )


@require_POST
@account_required
def approval_withdraw(request, number: str):
    return _decision(
        request,
        number,
        lambda viewer: services.approval_withdraw(viewer=viewer, number=number),
        _("You withdrew request %(number)s."),
    )


@require_POST
@account_required
def approval_retry(request, number: str):
    return _decision(
        request,
        number,
        lambda viewer: services.approval_retry(viewer=viewer, number=number),
        _("Request %(number)s is placed."),
    )
