"""Who may act as whom (issue 18, sales representatives), pure.

A staff user allowed to act as buyers (the *Sales representatives* group, or a superuser)
opens the storefront as one buyer of a customer company. A representative is limited to the
companies assigned to them; the merchant's other staff are not. Nobody acts as the
merchant's staff (a superuser included), as an inactive account, as a user of no company,
or as themselves: acting lends the buyer's rights, never more.
"""

from dataclasses import dataclass

NOT_ALLOWED = "acting_not_allowed"
SELF = "acting_self"
STAFF_TARGET = "acting_staff_target"
INACTIVE_TARGET = "acting_inactive_target"
NO_COMPANY = "acting_no_company"
NOT_ASSIGNED = "acting_not_assigned"


@dataclass(frozen=True)
class Actor:
    """The staff user who asks; `assigned` holds their companies when `representative`."""

    id: int
    is_active: bool
    is_staff: bool
    may_act: bool
    representative: bool
    assigned: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Target:
    id: int
    is_active: bool
    is_staff: bool
    is_superuser: bool
    company_id: int | None


def covers_company(actor: Actor, company_id: int | None) -> bool:
    """Whether the actor's back office shows this company: all of them, unless the actor is a
    representative, who sees only the companies assigned to them."""
    if company_id is None:
        return not actor.representative
    return not actor.representative or company_id in actor.assigned


def acting_refusal(actor: Actor, target: Target) -> str | None:
    """Why `actor` may not act as `target`, as a stable code, or None when it may."""
    if not (actor.is_active and actor.is_staff and actor.may_act):
        return NOT_ALLOWED
    if target.id == actor.id:
        return SELF
    if target.is_staff or target.is_superuser:
        return STAFF_TARGET
    if target.company_id is None:
        return NO_COMPANY
    if not covers_company(actor, target.company_id):
        return NOT_ASSIGNED
    if not target.is_active:
        return INACTIVE_TARGET
    return None


def may_enter_orders(actor: Actor, company_id: int) -> bool:
    """Back-office order entry: staff with the right, for a company they cover."""
    return actor.is_active and actor.is_staff and covers_company(actor, company_id)
