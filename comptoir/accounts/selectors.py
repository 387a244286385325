"""Reads of the accounts area: roles and what a company user may do."""

from comptoir.accounts.models import BUILTIN_ROLE_NAMES, Role, User
from comptoir.accounts.permissions import BUILTIN_ROLES, Access


def role_choices() -> list[tuple[str, str]]:
    """Built-in roles first, in their fixed order, then the store's own (one query)."""
    store_roles = list(Role.objects.values_list("code", "name"))
    return [(code, str(name)) for code, name in BUILTIN_ROLE_NAMES.items()] + store_roles


def role_permissions(code: str) -> frozenset[str]:
    """A role's permissions; an unknown code (a store role deleted since) allows nothing."""
    if code in BUILTIN_ROLES:
        return BUILTIN_ROLES[code]
    permissions = Role.objects.filter(code=code).values_list("permissions", flat=True).first()
    return frozenset(permissions or ())


def user_access(user: User) -> Access:
    """What this company user may do, and where; at most two queries, none for a built-in role
    over all locations. Kept on the user object for the rest of the request."""
    cached = getattr(user, "_comptoir_access", None)
    if cached is not None:
        return cached
    locations = frozenset()
    if not user.all_locations:
        locations = frozenset(user.locations.values_list("id", flat=True))
    access = Access(
        permissions=role_permissions(user.role),
        all_locations=user.all_locations,
        location_ids=locations,
    )
    user._comptoir_access = access
    return access


def roles_with(permission: str) -> frozenset[str]:
    """The codes of every role, built-in or the store's, that grants the permission."""
    builtin = {code for code, granted in BUILTIN_ROLES.items() if permission in granted}
    store_roles = {
        code
        for code, granted in Role.objects.values_list("code", "permissions")
        if permission in (granted or ())
    }
    return frozenset(builtin | store_roles)
