"""Who is looking at the store and what the store lets them do (DESIGN.md "Visibility and access").

The storefront and the API both build a `Viewer` and ask it; no channel decides access on
its own, so a page and an API call can never disagree.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.accounts.permissions import (
    FULL_ACCESS,
    MANAGE_LISTS,
    PLACE_ORDERS,
    SEE_INVOICES,
    SEE_PRICES,
    Access,
)
from comptoir.accounts.selectors import user_access
from comptoir.core.models import AccessMode, Store
from comptoir.customers.models import Company, CompanyStatus, CustomerGroup


@dataclass(frozen=True)
class Viewer:
    store: Store
    user: User | None
    company: Company | None
    staff: User | None = None
    """The merchant's staff user writing for this buyer: a representative acting as the buyer,
    or whoever enters an order in the back office (issue 18). Every write records it beside the
    buyer; the buyer's own permissions still decide what may be done."""

    @property
    def group(self) -> CustomerGroup:
        """A guest, and the merchant's staff, see the store's default group."""
        return self.company.group if self.company else self.store.default_group

    @property
    def must_log_in(self) -> bool:
        """True for a guest of a store that shows nothing without a login."""
        return self.user is None and self.store.access_mode == AccessMode.LOGIN_REQUIRED

    @cached_property
    def access(self) -> Access:
        """The company user's role and locations; guests and staff are limited by the store's
        access mode alone."""
        if self.user is None or self.company is None:
            return FULL_ACCESS
        return user_access(self.user)

    @property
    def sees_prices(self) -> bool:
        if not self.access.allows(SEE_PRICES):
            return False
        return self.user is not None or self.store.access_mode == AccessMode.PUBLIC

    @property
    def sees_invoices(self) -> bool:
        """Invoices and credit: the role must see invoices and prices."""
        return self.access.allows(SEE_INVOICES) and self.sees_prices

    @property
    def may_order(self) -> bool:
        """Buyers of an approved company whose role places orders; staff order through the
        back office."""
        return self.order_refusal() is None

    @property
    def keeps_lists(self) -> bool:
        """A user of an approved company whose role keeps requisition lists."""
        return self.company_refusal() is None and self.access.allows(MANAGE_LISTS)

    def company_refusal(self) -> tuple[str, str] | None:
        """Why this viewer has no company account to use (orders, invoices), or None."""
        if self.user is None:
            return "login_required", _("Log in with a business account to order.")
        if self.company is None:
            return "company_not_approved", _("This login belongs to no customer company.")
        if self.company.status == CompanyStatus.APPROVED:
            return None
        return "company_not_approved", company_status_message(self.company.status)

    def order_refusal(self) -> tuple[str, str] | None:
        """Why this viewer may not order, as (code, message), or None when it may."""
        refusal = self.company_refusal()
        if refusal is None and not self.access.allows(PLACE_ORDERS):
            return "permission_denied", _("Your role does not allow you to place orders.")
        return refusal


def company_status_message(status: str) -> str:
    """What a buyer is told about its company's status, shown wherever it cannot order."""
    messages = {
        CompanyStatus.PENDING: _(
            "Your account request is being reviewed. You can browse the catalogue; "
            "ordering opens once the store approves your company."
        ),
        CompanyStatus.SUSPENDED: _(
            "Your company's account is suspended: ordering is closed. Please contact the store."
        ),
        CompanyStatus.REJECTED: _(
            "Your account request was declined. Please contact the store for details."
        ),
        CompanyStatus.APPROVED: _("Your company's account is approved."),
    }
    return messages[status]


def viewer_for(store: Store, user: User | None, *, staff: User | None = None) -> Viewer:
    """The viewer for a logged-in user (company and group loaded with it) or a guest, with the
    staff user who writes on its behalf, if any."""
    company = user.company if user is not None and user.company_id else None
    return Viewer(store=store, user=user, company=company, staff=staff if user else None)
