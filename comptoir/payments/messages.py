"""The sentences of payment and shipping refusals, for the merchant and the buyer."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from comptoir.payments.rules import MethodFacts, Refusal


def _amount(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def refusal_message(method: MethodFacts, refusal: Refusal) -> str:
    p = {key: _amount(value) for key, value in refusal.params.items() if key != "country"}
    p |= {"code": method.code, "country": refusal.params.get("country", "")}
    messages = {
        "company_excluded": _("%(code)s: not offered to this company."),
        "country": _("%(code)s: not offered for delivery to %(country)s."),
        "group": _("%(code)s: not offered to this customer group."),
        "company": _("%(code)s: reserved for other companies."),
        "below_minimum": _("%(code)s: from %(minimum)s only (this order: %(amount)s)."),
        "above_maximum": _("%(code)s: up to %(maximum)s only (this order: %(amount)s)."),
        "no_credit_limit": _("%(code)s: no credit limit is set for this company."),
        "credit_limit_exceeded": _("%(code)s: credit limit %(limit)s exceeded by %(excess)s."),
        "overdue_invoices": _("%(code)s: closed while invoices are overdue."),
        "no_card_provider": _("%(code)s: no card payment provider is set up yet."),
    }
    return messages[refusal.code] % p
