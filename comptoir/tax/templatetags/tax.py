"""`{{ reason|tax_reason }}`: a tax line's exemption reason as a buyer reads it."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def tax_reason(reason: str) -> str:
    """The code (`reverse_charge`, `certificate:NY-123`...) stays in the API and the data."""
    kind, _colon, number = (reason or "").partition(":")
    if kind == "certificate":
        return _("exemption certificate %(number)s") % {"number": number}
    labels = {
        "reverse_charge": _("EU reverse charge"),
        "group_exempt": _("tax-exempt customer"),
        "product_exempt": _("tax-exempt products"),
        "no_rate": _("no tax at this destination"),
    }
    return labels.get(kind, reason)
