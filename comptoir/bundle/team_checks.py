"""Bundle checks of company teams (issue 15): store roles, locations, and what users point to.

Kept beside `checks.py` rather than in it; the rules themselves come from the accounts area,
so that a role the back office refuses is refused in a bundle too.
"""

from comptoir.accounts.models import Role
from comptoir.accounts.permissions import BUILTIN_ROLES, unknown_permissions
from comptoir.customers.models import Location
from comptoir.customers.services import MAIN_LOCATION


def known_roles(role_items) -> set[str]:
    """Role codes a user may carry: built-in, in the database, or in this bundle."""
    return (
        set(BUILTIN_ROLES)
        | set(Role.objects.values_list("code", flat=True))
        | {item.code for item in role_items if item is not None}
    )


def check_roles(errors, items) -> None:
    seen = {}
    for position, role in enumerate(items):
        if role is None:
            continue
        path = f"roles[{position}]"
        if role.code in BUILTIN_ROLES:
            errors.add(f"{path}.code", f"{role.code!r} is a built-in role; do not list it")
        elif role.code in seen:
            errors.add(f"{path}.code", f"duplicate {role.code!r} (also roles[{seen[role.code]}])")
        seen.setdefault(role.code, position)
        for name in unknown_permissions(role.permissions):
            errors.add(f"{path}.permissions", f"unknown permission {name!r}")


def locations_with_orders() -> set[tuple[str, str]]:
    """(company code, location code) of the locations that orders belong to: a bundle cannot
    drop them."""
    return set(
        Location.objects.filter(orders__isnull=False)
        .values_list("company__code", "code")
        .distinct()
    )


def check_company_team(errors, path, company, roles: set[str], ordered) -> None:
    """Locations name the company's own addresses, each at most once, and keep those with
    orders; users name roles and locations that exist."""
    addresses = {address.code for address in company.addresses}
    if company.locations is not None:
        listed = {location.code for location in company.locations}
        for owner, code in sorted(ordered):
            if owner == company.code and code not in listed:
                errors.add(f"{path}.locations", f"location {code!r} has orders: keep it")
    locations = {}
    placed = {}
    for position, location in enumerate(company.locations or []):
        location_path = f"{path}.locations[{position}]"
        if location.code in locations:
            errors.add(
                f"{location_path}.code",
                f"duplicate {location.code!r} (also {path}.locations[{locations[location.code]}])",
            )
        locations.setdefault(location.code, position)
        for index, code in enumerate(location.addresses):
            if code not in addresses:
                errors.add(f"{location_path}.addresses[{index}]", f"unknown address {code!r}")
            elif code in placed:
                errors.add(
                    f"{location_path}.addresses[{index}]",
                    f"address {code!r} already belongs to location {placed[code]!r}",
                )
            placed.setdefault(code, location.code)
        if location.billing_address is not None and location.billing_address not in addresses:
            errors.add(
                f"{location_path}.billing_address",
                f"unknown address {location.billing_address!r}",
            )
    for position, user in enumerate(company.users):
        user_path = f"{path}.users[{position}]"
        if user.role not in roles:
            errors.add(f"{user_path}.role", f"unknown role {user.role!r}")
        if user.locations is not None and company.locations is None:
            errors.add(f"{user_path}.locations", "the company lists no locations")
            continue
        for index, code in enumerate(user.locations or []):
            if code not in locations:
                errors.add(f"{user_path}.locations[{index}]", f"unknown location {code!r}")


def order_location_codes(company_items) -> dict[str, set[str]]:
    """The location codes (lower case) an order of each company may name: those its bundle
    item lists, else those in the database, else the main one it will get."""
    known: dict[str, set[str]] = {}
    for company, code in Location.objects.values_list("company__code", "code"):
        known.setdefault(company, set()).add(code.lower())
    for company in company_items:
        if company is not None and company.locations is not None:
            known[company.code] = {location.code.lower() for location in company.locations}
    return known


def check_order_location(errors, path, order, known: dict[str, set[str]]) -> None:
    if order.location is None:
        return
    codes = known.get(order.company) or {MAIN_LOCATION.lower()}
    if order.location.lower() not in codes:
        errors.add(f"{path}.location", f"unknown location {order.location!r} of {order.company}")
