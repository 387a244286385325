"""Decisions on approval requests (DESIGN.md "Team buying"): approve, reject, withdraw, try
again, expire. Pages, API and the daily task all call these.

Each decision locks the request's row first, so that two approvers deciding at once are
taken one after the other, the second seeing what the first did. The last approval places
the order in the same transaction; when it cannot be placed any more (stock, credit, a rule),
the approval still stands, the request stays open with the reasons, and it can be tried
again. Every step is written to the request's trail.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.approvals import rules
from comptoir.approvals.models import (
    ApprovalAction,
    ApprovalEvent,
    ApprovalRequest,
    ApprovalStatus,
)
from comptoir.approvals.placing import place_approved
from comptoir.approvals.queue import (
    decision_refusal,
    retry_refusal,
    visible_approvals,
    withdrawal_refusal,
)
from comptoir.approvals.stored import stored_levels
from comptoir.approvals.tasks import notify_approvers, notify_decision
from comptoir.core.errors import BusinessRuleError
from comptoir.ordering.tasks import send_order_confirmation
from comptoir.webhooks import events
from comptoir.webhooks.models import EventType

MAX_TEXT = 2000


def _locked(viewer: Viewer, number: str) -> ApprovalRequest:
    """The request, its row locked until the transaction ends; 404 (`not_found`) for an
    unknown number or another company's."""
    approval = visible_approvals(viewer).select_for_update(of=("self",)).filter(number=number)
    approval = approval.select_related("location", "company").first()
    if approval is None:
        if ApprovalRequest.objects.filter(company=viewer.company, number=number).exists():
            raise BusinessRuleError(
                "permission_denied", _("Your role or your locations do not cover this request.")
            )
        raise BusinessRuleError(
            "not_found", _("No approval request %(number)s.") % {"number": number}
        )
    return approval


def _require(refusal: BusinessRuleError | None) -> None:
    if refusal is not None:
        raise refusal


def _event(approval, viewer, action, *, level=None, message="") -> ApprovalEvent:
    return ApprovalEvent.objects.create(
        request=approval,
        at=timezone.now(),
        actor=viewer.user if viewer is not None else None,
        staff=viewer.staff if viewer is not None else None,
        action=action,
        level=level,
        message=message,
    )


def _notify(event: ApprovalEvent) -> None:
    transaction.on_commit(lambda: notify_decision.enqueue(event.pk), robust=True)


def approval_approve(*, viewer: Viewer, number: str, note: str = "") -> ApprovalRequest:
    """Approve the rules of the current level that name the viewer; the last approval places
    the order."""
    note = note.strip()
    with transaction.atomic():
        # Who may decide first: an unknown number is a 404 whatever the note says.
        approval = _locked(viewer, number)
        _require(decision_refusal(viewer, approval))
        _check_length(note, "note")
        levels = stored_levels(approval)
        level = rules.Progress(frozenset(approval.approved_rules)).current(levels)
        progress = rules.approve(
            levels,
            rules.Progress(frozenset(approval.approved_rules)),
            user_id=viewer.user.pk,
            role=viewer.user.role,
        )
        approval.approved_rules = sorted(progress.approved)
        approval.save(update_fields=["approved_rules"])
        _event(approval, viewer, ApprovalAction.APPROVED, level=level.number, message=note)
        following = progress.current(levels)
        if following is None:
            _order(approval, viewer, level=level.number)
        elif following.number != level.number:
            transaction.on_commit(lambda: notify_approvers.enqueue(approval.pk), robust=True)
    return approval


def approval_reject(*, viewer: Viewer, number: str, reason: str) -> ApprovalRequest:
    """Reject the request at its current level: a rejection at any level ends it."""
    reason = reason.strip()
    with transaction.atomic():
        # Who may decide first: an unknown number is a 404 whatever the reason says.
        approval = _locked(viewer, number)
        _require(decision_refusal(viewer, approval))
        if not reason:
            raise BusinessRuleError(
                "reason_required",
                _("Say why you reject the request: the requester reads it."),
                [{"field": "reason", "code": "reason_required", "message": _("Give a reason.")}],
            )
        _check_length(reason, "reason")
        level = rules.Progress(frozenset(approval.approved_rules)).current(stored_levels(approval))
        approval.status = ApprovalStatus.REJECTED
        approval.rejection_reason = reason
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "rejection_reason", "decided_at"])
        _notify(
            _event(approval, viewer, ApprovalAction.REJECTED, level=level.number, message=reason)
        )
        events.approval_changed(approval, EventType.APPROVAL_DECIDED)
    return approval


def approval_withdraw(*, viewer: Viewer, number: str) -> ApprovalRequest:
    """The requester takes back a request still waiting."""
    with transaction.atomic():
        approval = _locked(viewer, number)
        _require(withdrawal_refusal(viewer, approval))
        approval.status = ApprovalStatus.CANCELLED
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_at"])
        _event(approval, viewer, ApprovalAction.CANCELLED)
    return approval


def approval_retry(*, viewer: Viewer, number: str) -> ApprovalRequest:
    """Place again a request every level approved whose order could not be placed: by its
    requester, or by an approver of the company who covers its location."""
    with transaction.atomic():
        approval = _locked(viewer, number)
        _require(retry_refusal(viewer, approval))
        _order(approval, viewer, level=None)
    return approval


def _order(approval: ApprovalRequest, viewer: Viewer, *, level: int | None) -> None:
    """Place the order, or keep the request open with why it could not be placed."""
    try:
        with transaction.atomic():
            order = place_approved(approval)
    except BusinessRuleError as refused:
        reasons = " ".join(error["message"] for error in refused.errors) or refused.message
        approval.placement_problem = reasons
        approval.save(update_fields=["placement_problem"])
        _notify(_event(approval, viewer, ApprovalAction.NOT_ORDERED, level=level, message=reasons))
        return
    approval.order = order
    approval.status = ApprovalStatus.ORDERED
    approval.placement_problem = ""
    approval.decided_at = timezone.now()
    approval.save(update_fields=["order", "status", "placement_problem", "decided_at"])
    # Decided once ordered: a last approval whose order could not be placed stays open.
    events.approval_changed(approval, EventType.APPROVAL_DECIDED)
    _notify(_event(approval, viewer, ApprovalAction.ORDERED, level=level, message=order.number))
    transaction.on_commit(lambda: send_order_confirmation.enqueue(order.pk), robust=True)


def approvals_expire(*, day) -> list[int]:
    """Requests still waiting after their `valid_until` (store day `day`) expire; the ids of
    those that did, each with its event (the requester is told)."""
    expired = []
    with transaction.atomic():
        due = ApprovalRequest.objects.select_for_update().filter(
            status=ApprovalStatus.PENDING, valid_until__lt=day
        )
        for approval in due.order_by("id"):
            approval.status = ApprovalStatus.EXPIRED
            approval.decided_at = timezone.now()
            approval.save(update_fields=["status", "decided_at"])
            _notify(_event(approval, None, ApprovalAction.EXPIRED))
            expired.append(approval.pk)
    return expired


def _check_length(text: str, field: str) -> None:
    if len(text) > MAX_TEXT:
        raise BusinessRuleError(
            "text_too_long",
            _("Keep it under %(count)s characters.") % {"count": MAX_TEXT},
            [{"field": field, "code": "text_too_long", "message": ""}],
        )
