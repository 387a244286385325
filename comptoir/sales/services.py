"""Writes of the sales area: starting and ending acting as a buyer (issue 18).

The session itself is switched by `acting.py`; these functions decide and record, so that a
refusal writes nothing and every accepted start or end leaves an audit event.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.core.errors import BusinessRuleError
from comptoir.sales import rules
from comptoir.sales.models import ActingAction, ActingEvent
from comptoir.sales.selectors import actor_facts, target_facts


def refusal_message(code: str) -> str:
    messages = {
        rules.NOT_ALLOWED: _("You are not allowed to act as a buyer."),
        rules.SELF: _("You cannot act as yourself."),
        rules.STAFF_TARGET: _("Nobody can act as a member of the merchant's staff."),
        rules.INACTIVE_TARGET: _("This account is deactivated."),
        rules.NO_COMPANY: _("This user belongs to no customer company."),
        rules.NOT_ASSIGNED: _("This company is not one of yours."),
    }
    return messages[code]


def require_acting_allowed(*, staff: User, buyer: User) -> None:
    code = rules.acting_refusal(actor_facts(staff), target_facts(buyer))
    if code is not None:
        raise BusinessRuleError(code, refusal_message(code))


@transaction.atomic
def acting_start(*, staff: User, buyer: User, ip_address: str | None = None) -> ActingEvent:
    """Record that `staff` starts acting as `buyer`, refused (nothing written) when the rules
    say no."""
    require_acting_allowed(staff=staff, buyer=buyer)
    return ActingEvent.objects.create(
        staff=staff,
        buyer=buyer,
        company_id=buyer.company_id,
        action=ActingAction.STARTED,
        ip_address=ip_address,
    )


@transaction.atomic
def acting_stop(*, staff: User, buyer: User, ip_address: str | None = None) -> ActingEvent:
    return ActingEvent.objects.create(
        staff=staff,
        buyer=buyer,
        company_id=buyer.company_id,
        action=ActingAction.STOPPED,
        ip_address=ip_address,
    )
