"""Account pages: the buyer's company, and the account request of a visitor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comptoir.accounts.access import company_status_message
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.services import account_request_submit
from comptoir.storefront.access import open_to_visitors
from comptoir.storefront.forms import AccountRequestForm


@require_GET
@login_required
def account(request):
    """The buyer's company as the store knows it: status, group, addresses, colleagues."""
    viewer = request.viewer
    company = viewer.company
    context = {"viewer": viewer, "company": company}
    if company is not None:
        context |= {
            "status_message": company_status_message(company.status),
            "addresses": list(company.addresses.all()),
            "buyers": list(company.users.filter(is_active=True).order_by("email")),
        }
    return render(request, "storefront/account.html", context)


@open_to_visitors
def account_request(request):
    if request.user.is_authenticated:
        return redirect("storefront:account")
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_request_submit(
                store=request.viewer.store,
                request=form.account_request(get_language() or ""),
                site_url=request.build_absolute_uri("/"),
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your request is sent. You will receive an e-mail when "
                    "your account is approved."
                ),
            )
            return redirect("storefront:account_request_sent")
    return render(request, "storefront/account_request.html", {"form": form})


@open_to_visitors
@require_GET
def account_request_sent(request):
    return render(request, "storefront/account_request_sent.html")
