"""What a company user may do (issue 15): the fixed permission set, the built-in roles, and the
questions every channel asks. Pure: pages, API and e-mails call these through `Access`, so a
Viewer is refused checkout by the same test wherever they try it.

The set is fixed on purpose: merchants compose roles from it in the back office, but code can
only check what code knows. An administrator, for the rule that a company always keeps one, is
whoever may manage users, whatever their role is called.
"""

from dataclasses import dataclass

PLACE_ORDERS = "place_orders"
APPROVE_ORDERS = "approve_orders"
SEE_PRICES = "see_prices"
SEE_INVOICES = "see_invoices"
SEE_COMPANY_ORDERS = "see_company_orders"
MANAGE_USERS = "manage_users"
MANAGE_ADDRESSES = "manage_addresses"
MANAGE_LISTS = "manage_lists"
REQUEST_QUOTES = "request_quotes"

PERMISSIONS = (
    PLACE_ORDERS,
    APPROVE_ORDERS,
    SEE_PRICES,
    SEE_INVOICES,
    SEE_COMPANY_ORDERS,
    MANAGE_USERS,
    MANAGE_ADDRESSES,
    MANAGE_LISTS,
    REQUEST_QUOTES,
)

ADMINISTRATOR = "admin"
BUYER = "buyer"
APPROVER = "approver"
REQUESTER = "requester"
VIEWER = "viewer"

_ORDERING = frozenset({PLACE_ORDERS, SEE_PRICES, MANAGE_LISTS, REQUEST_QUOTES})

BUILTIN_ROLES: dict[str, frozenset[str]] = {
    ADMINISTRATOR: frozenset(PERMISSIONS),
    # A buyer sees the company's orders and invoices, as every buyer did before roles existed.
    BUYER: _ORDERING | {SEE_INVOICES, SEE_COMPANY_ORDERS},
    APPROVER: _ORDERING | {APPROVE_ORDERS, SEE_INVOICES, SEE_COMPANY_ORDERS},
    # A requester's orders go to approval (issue 16): approval rules name this role.
    REQUESTER: _ORDERING,
    VIEWER: frozenset({SEE_PRICES, SEE_COMPANY_ORDERS}),
}


def unknown_permissions(permissions) -> list[str]:
    """The names that are not in the fixed set, in the order given (for a clear refusal)."""
    return [p for p in permissions if p not in PERMISSIONS]


@dataclass(frozen=True)
class Access:
    """One user's rights: their role's permissions and the locations they act for.

    `location_ids` is ignored when `all_locations` is true; a user limited to no location at
    all can still see the catalogue but cannot order or see location-bound data.
    """

    permissions: frozenset[str]
    all_locations: bool = True
    location_ids: frozenset[int] = frozenset()

    def allows(self, permission: str) -> bool:
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}")
        return permission in self.permissions

    def covers(self, location_id: int | None) -> bool:
        """May act for that location (null: data bound to no location, the company's)."""
        return self.all_locations or location_id is None or location_id in self.location_ids


FULL_ACCESS = Access(permissions=frozenset(PERMISSIONS))
"""The merchant's view: staff acting in the back office are not limited by a company role."""


@dataclass(frozen=True)
class Member:
    """A company user as the last-administrator rule sees them."""

    user_id: int
    active: bool
    manages_users: bool


def keeps_an_administrator(
    members: list[Member], *, user_id: int, active: bool, manages_users: bool
) -> bool:
    """False when the change would leave the company without an active user who may manage
    users, where it had one: nobody on the buyer's side could invite, fix or deactivate anyone
    again. A company that had none (the merchant sets it up) is not held to it.
    """
    if not any(m.active and m.manages_users for m in members):
        return True
    after = [m for m in members if m.user_id != user_id]
    after.append(Member(user_id=user_id, active=active, manages_users=manages_users))
    return any(m.active and m.manages_users for m in after)
