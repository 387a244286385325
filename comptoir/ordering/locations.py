"""Which location of the company an order is placed for (issue 15), checked at placement.

The location is the one the buyer names (at checkout, else on the cart), else the one the
chosen address belongs to, else the first one the buyer acts for. A user limited to some
locations can neither order for another nor ship to an address of another; an address of no
location is the company's, open to all.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Address, Location


@dataclass(frozen=True)
class OrderSite:
    location: Location
    default_address: Address | None
    """The location's first address, where an order naming no address ships."""


def location_for(viewer: Viewer, code: str) -> Location:
    """The company location of that code (any case) the viewer may order for, or a refusal."""
    location = (
        Location.objects.filter(company=viewer.company, code__iexact=code)
        .select_related("billing_address")
        .first()
    )
    return _covered(viewer, location, code)


def _covered(viewer: Viewer, location: Location | None, code: str) -> Location:
    """The location, or why the viewer may not order for it (unknown, or not theirs)."""
    if location is None:
        raise BusinessRuleError(
            "unknown_location",
            _("Your company has no location %(code)s.") % {"code": code},
            [{"field": "location", "code": "unknown_location", "message": code}],
        )
    if not viewer.access.covers(location.pk):
        raise BusinessRuleError(
            "permission_denied", _("You may not order for this location of your company.")
        )
    return location


def order_site(viewer: Viewer, *, location_code: str | None, address_code: str | None) -> OrderSite:
    access = viewer.access
    locations = list(
        Location.objects.filter(company=viewer.company)
        .select_related("billing_address")
        .prefetch_related("addresses")
        .order_by("position", "id")
    )
    address = None
    if address_code:
        address = Address.objects.filter(company=viewer.company, code=address_code).first()
    if location_code:
        wanted = location_code.casefold()
        named = next((loc for loc in locations if loc.code.casefold() == wanted), None)
        chosen = _covered(viewer, named, location_code)
    elif address is not None and address.location_id is not None:
        chosen = next(loc for loc in locations if loc.pk == address.location_id)
    else:
        chosen = next((loc for loc in locations if access.covers(loc.pk)), None)
    if chosen is None or not access.covers(chosen.pk):
        raise BusinessRuleError(
            "permission_denied", _("You may not order for this location of your company.")
        )
    if address is not None and address.location_id not in (None, chosen.pk):
        raise BusinessRuleError(
            "address_not_at_location",
            _("The address %(address)s is not one of the location %(location)s.")
            % {"address": address.code, "location": chosen.code},
            [{"field": "shipping_address", "code": "address_not_at_location", "message": ""}],
        )
    own = sorted(chosen.addresses.all(), key=lambda a: (a.position, a.id))
    return OrderSite(location=chosen, default_address=own[0] if own else None)
