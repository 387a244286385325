"""Account pages: the buyer's company and its tax-exemption certificates, and the account
request of a visitor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from comptoir.accounts.access import company_status_message
from comptoir.accounts.permissions import MANAGE_USERS, REQUEST_QUOTES
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import store_today
from comptoir.credits.selectors import company_credit_notes
from comptoir.customers.services import account_request_submit
from comptoir.payments.selectors import company_invoices, credit_summary
from comptoir.storefront.access import open_to_visitors
from comptoir.storefront.forms import AccountRequestForm
from comptoir.tax.forms import CertificateForm, DocumentSizeLimit
from comptoir.tax.services import certificate_upload as certificate_upload_service
from comptoir.teams.selectors import team_of


@require_GET
@login_required
def account(request):
    """The buyer's company as the store knows it: status, group, addresses, colleagues,
    its tax-exemption certificates with the form to send one, its credit and invoices."""
    return render_account(request)


def render_account(request, *, certificate_form: CertificateForm | None = None):
    """The account page; `certificate_form` is a certificate sent with bad input."""
    viewer = request.viewer
    company = viewer.company
    context = {"viewer": viewer, "company": company}
    if company is not None:
        sees_invoices = viewer.sees_invoices
        locations = None if viewer.access.all_locations else viewer.access.location_ids
        context |= {
            "status_message": company_status_message(company.status),
            "addresses": list(company.addresses.all()),
            "members": team_of(company),
            "manages_users": viewer.access.allows(MANAGE_USERS),
            "requests_quotes": viewer.access.allows(REQUEST_QUOTES),
            "certificates": list(company.tax_certificates.order_by("-expires_on", "number")),
            "certificate_form": certificate_form
            or CertificateForm(today=store_today(viewer.store)),
            "sees_invoices": sees_invoices,
            "credit": credit_summary(company) if sees_invoices else None,
            "store_currency": viewer.store.currency,
            "invoices": company_invoices(company, locations) if sees_invoices else [],
            "credit_notes": company_credit_notes(company, locations) if sees_invoices else [],
        }
    return render(request, "storefront/account.html", context)


@csrf_exempt  # the upload guard must be in place before the CSRF check reads the body...
@require_POST
@login_required
def certificate_upload(request):
    """A certificate sent by a buyer of any company, pending ones included: it waits for the
    merchant's review. Bad input re-renders the account page with the form's messages."""
    request.upload_handlers.insert(0, DocumentSizeLimit(request))
    return _certificate_upload(request)


@csrf_protect  # ...which happens here, as for any other form
def _certificate_upload(request):
    viewer = request.viewer
    if viewer.company is None:
        raise Http404
    form = CertificateForm(
        request.POST,
        request.FILES,
        today=store_today(viewer.store),
        too_large=getattr(request, "upload_too_large", False),
    )
    if form.is_valid():
        try:
            certificate = certificate_upload_service(company=viewer.company, upload=form.upload())
        except BusinessRuleError as error:
            form.add_error("number", error.message)
        else:
            messages.success(
                request,
                _(
                    "Certificate %(number)s is sent: the store reviews it and you will receive "
                    "an e-mail. Until it is approved, tax is charged."
                )
                % {"number": certificate.number},
            )
            return redirect(reverse("storefront:account") + "#certificates")
    return render_account(request, certificate_form=form)


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
