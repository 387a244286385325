"""Approval requests over the REST API (issue 16): the queue, a request, and the decisions,
by the services the storefront's pages call."""

from typing import Literal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import ValidationError as PydanticError

from comptoir.api.openapi import ApprovalPage, ApprovalRequestOut, documented
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.approvals import services
from comptoir.approvals.json_views import approval_json, as_seen, company_members
from comptoir.approvals.queue import ALL, MINE, WAITING, approval_queue, company_approval
from comptoir.core.absent import NullIsAbsent
from comptoir.ordering.services import require_account

# Any user of an approved company: each sees the requests their role allows.
router = Router(tags=["approvals"], auth=BearerAuth(check=require_account))
MEMBER = (401, 403)
NUMBER = Path(..., examples=["APR-2026-000001"])


class ApprovalQuery(Schema):
    status: Literal["pending", "ordered", "rejected", "expired", "cancelled"] | None = None
    mine: bool = Field(False, description="only the caller's own requests")
    waiting: bool = Field(False, description="only those the caller may decide on now")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class NoteIn(NullIsAbsent):
    note: str = Field("", max_length=2000)


class ReasonIn(NullIsAbsent):
    reason: str = Field("", max_length=2000)


def _request_json(caller, approval, members=None) -> dict:
    members = company_members(approval.company) if members is None else members
    return as_seen(caller, approval_json(approval, members, caller.sees_prices))


def _found(caller, number: str):
    approval = company_approval(caller, number)
    if approval is None:
        raise ApiError(404, "not_found", _("No approval request %(number)s.") % {"number": number})
    return approval


@router.get("/approvals", openapi_extra=documented(ApprovalPage, errors=(*MEMBER, 400)))
def list_approvals(request, query: Query[ApprovalQuery]):
    """The approval requests the caller sees, newest first: `waiting` those they may decide
    on now, `mine` their own."""
    caller = request.auth
    view = WAITING if query.waiting else MINE if query.mine else ALL
    found = approval_queue(caller, view=view, status=query.status)
    page = Paginator(found, query.page_size).get_page(query.page)
    members = company_members(caller.company)
    return {
        "items": [_request_json(caller, a, members) for a in page.object_list]
        if page.number == query.page
        else [],
        "count": page.paginator.count,
        "page": query.page,
        "page_size": query.page_size,
    }


@router.get(
    "/approvals/{number}", openapi_extra=documented(ApprovalRequestOut, errors=(*MEMBER, 404))
)
def get_approval(request, number: str = NUMBER):
    caller = request.auth
    return _request_json(caller, _found(caller, number))


DECISION_ERRORS = (*MEMBER, 400, 404, 409, 422)


def _decided(caller, number: str) -> dict:
    return _request_json(caller, _found(caller, number))


def _note(request) -> str:
    """The optional JSON body's `note`: no body (or not JSON) is no note."""
    if request.content_type != "application/json" or not request.body.strip():
        return ""
    try:
        return NoteIn.model_validate_json(request.body).note
    except PydanticError as error:
        raise ApiError(
            400,
            "invalid_request",
            _("The request is malformed or has wrong types."),
            [
                {"field": "note", "code": "invalid", "message": problem["msg"]}
                for problem in error.errors()
            ],
        ) from None


@router.post(
    "/approvals/{number}/approve",
    openapi_extra=documented(
        ApprovalRequestOut,
        errors=DECISION_ERRORS,
        requestBody={
            "required": False,
            "content": {"application/json": {"schema": NoteIn.model_json_schema()}},
        },
    ),
)
def approve(request, number: str = NUMBER):
    """Approve the rules of the current level that name the caller (never their own
    request), with an optional `note`. The last approval places the order (`order`); when it
    cannot be placed, the request stays `pending` with `placement_problem`."""
    caller = request.auth
    services.approval_approve(viewer=caller, number=number, note=_note(request))
    return _decided(caller, number)


@router.post(
    "/approvals/{number}/reject",
    openapi_extra=documented(ApprovalRequestOut, errors=DECISION_ERRORS),
)
def reject(request, body: ReasonIn, number: str = NUMBER):
    """Reject the request with a `reason` (required, e-mailed to the requester); a rejection
    at any level ends it."""
    caller = request.auth
    services.approval_reject(viewer=caller, number=number, reason=body.reason)
    return _decided(caller, number)


@router.post(
    "/approvals/{number}/withdraw",
    openapi_extra=documented(ApprovalRequestOut, errors=(*MEMBER, 404, 409)),
)
def withdraw(request, number: str = NUMBER):
    """The requester takes back a request still waiting."""
    caller = request.auth
    services.approval_withdraw(viewer=caller, number=number)
    return _decided(caller, number)


@router.post(
    "/approvals/{number}/retry",
    openapi_extra=documented(ApprovalRequestOut, errors=(*MEMBER, 404, 409)),
)
def retry(request, number: str = NUMBER):
    """Place again an approved request whose order could not be placed (stock, credit...)."""
    caller = request.auth
    services.approval_retry(viewer=caller, number=number)
    return _decided(caller, number)
