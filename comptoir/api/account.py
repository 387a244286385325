"""`GET /account` (API.md §2): the caller's company, its credit and its tax certificates.

A pending or suspended company's buyer gets it too: it is how an integration learns why
the company cannot order yet.
"""

from django.utils.translation import gettext as _
from ninja import Router

from comptoir.api.openapi import Account, documented
from comptoir.api.problems import ApiError
from comptoir.core.money import format_decimal
from comptoir.customers.json_views import company_json
from comptoir.payments.selectors import credit_of
from comptoir.tax.json_views import certificate_json
from comptoir.tax.models import TaxCertificate

router = Router(tags=["account"])


@router.get("/account", openapi_extra=documented(Account, errors=(401, 403)))
def get_account(request):
    caller = request.auth
    company = caller.company
    if caller.user is None:
        raise ApiError(401, "login_required", _("Log in to see your account."))
    if company is None:
        raise ApiError(403, "company_not_approved", _("This login belongs to no customer company."))
    credit = {"limit": None, "open_balance": None, "available": None}
    if caller.sees_invoices:
        of = credit_of(company)
        available = max(of.limit - of.open_balance, 0) if of.limit else None
        credit = {
            "limit": format_decimal(of.limit),
            "open_balance": format_decimal(of.open_balance),
            "available": format_decimal(available),
        }
    return {
        "company": company_json(company),
        "credit": credit,
        "tax_certificates": [
            certificate_json(certificate)
            for certificate in TaxCertificate.objects.filter(company=company).order_by(
                "-expires_on", "number"
            )
        ],
    }
