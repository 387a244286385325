"""The sentences of credit note and refund refusals, one per stable code, in the active
language (figures formatted as the reader writes them)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _formatted(value):
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return value


def refusal_message(code: str, params: dict | None = None) -> str:
    params = {key: _formatted(value) for key, value in (params or {}).items()}
    messages = {
        "credit_kind_unknown": _("A credit note takes back the whole invoice, lines or an amount."),
        "credit_reason_missing": _("Say why the credit note is issued."),
        "credit_reason_too_long": _("The reason of a credit note is 200 characters at most."),
        "invoice_cancelled": _("Invoice %(number)s is cancelled: it owes nothing to take back."),
        "invoice_fully_credited": _("Invoice %(number)s is already wholly credited."),
        "credit_nothing_to_take_back": _("Nothing remains to take back on invoice %(number)s."),
        "credit_no_lines": _("Choose at least one line and its quantity."),
        "credit_unknown_line": _("Invoice %(number)s has no line %(line)s."),
        "credit_quantity_not_positive": _("The quantity of %(sku)s is a whole number above 0."),
        "credit_quantity_above_remaining": _(
            "%(quantity)s × %(sku)s is more than the %(remaining)s that remain to take back."
        ),
        "credit_above_remaining_base": _(
            "Lines taxed at %(rate)s percent for %(base)s are more than the %(remaining)s "
            "that remain creditable at that rate on invoice %(number)s."
        ),
        "credit_amount_not_positive": _("A credit note is more than 0.00."),
        "credit_amount_not_in_cents": _("An amount in cents, e.g. 120.50."),
        "credit_amount_above_remaining": _(
            "%(amount)s is more than the %(remaining)s that remain creditable on invoice "
            "%(number)s."
        ),
        "refund_not_positive": _("A refund is more than 0.00."),
        "refund_not_in_cents": _("An amount in cents, e.g. 120.50."),
        "refund_above_credit": _(
            "%(amount)s is more than the %(owed)s owed back to the buyer on invoice %(number)s."
        ),
        "refund_in_the_future": _("A refund cannot be dated after today (%(date)s)."),
    }
    return messages[code] % params
