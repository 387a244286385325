"""Start and end acting as a buyer (issue 18): POST only, CSRF-checked, recorded."""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.accounts.models import User
from comptoir.core.errors import BusinessRuleError
from comptoir.sales import acting, services
from comptoir.sales.rules import covers_company
from comptoir.sales.selectors import actor_facts


def _company_page(company_id: int) -> str:
    return reverse("admin:customers_company_change", args=[company_id])


@require_POST
def acting_start(request, user_id: int):
    """Open the storefront as one buyer; a buyer of a company the representative does not
    look after is not found, as the back office does not show it either."""
    staff = request.user
    buyer = get_object_or_404(User.objects.select_related("company"), pk=user_id)
    if not covers_company(actor_facts(staff), buyer.company_id):
        raise Http404
    try:
        services.acting_start(staff=staff, buyer=buyer, ip_address=acting.client_ip(request))
    except BusinessRuleError as error:
        messages.error(request, error.message)
        if buyer.company_id:
            return redirect(_company_page(buyer.company_id))
        return redirect("admin:index")
    acting.switch_session(request, buyer, acting_staff=staff)
    return redirect("storefront:home")


@require_POST
def acting_stop(request):
    """Back to the back office as oneself, on the company's page."""
    staff = request.acting_staff
    if staff is None:
        return redirect("admin:index")
    buyer = request.user
    services.acting_stop(staff=staff, buyer=buyer, ip_address=acting.client_ip(request))
    acting.switch_session(request, staff)
    messages.success(
        request, _("You stopped acting as %(name)s.") % {"name": buyer.get_full_name()}
    )
    return redirect(_company_page(buyer.company_id))


start_view = admin.site.admin_view(acting_start)
