"""The sentences of return refusals, one per stable code, in the active language."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def refusal_message(code: str, params: dict | None = None) -> str:
    params = {
        key: date_format(value, "DATE_FORMAT") if isinstance(value, datetime.date) else value
        for key, value in (params or {}).items()
    }
    messages = {
        "order_not_delivered": _("Only a delivered order's goods can be returned."),
        "returns_closed": _("This store takes no returns."),
        "return_window_over": _("Returns for this order closed on %(date)s."),
        "return_no_lines": _("Choose at least one line and how many units come back."),
        "return_unknown_line": _("A line is not one of this order's."),
        "return_quantity_not_positive": _("The quantity of %(sku)s is a whole number above 0."),
        "return_quantity_above_delivered": _(
            "%(quantity)s × %(sku)s is more than the %(left)s that may still be returned."
        ),
        "return_reason_unknown": _("Choose the reason of the return from the list."),
        "return_comment_too_long": _("The comment is 1,000 characters at most."),
        "return_decision_required": _("Say why the return is refused."),
        "return_final": _("Return %(number)s is “%(state)s”: it can no longer change."),
        "return_transition_refused": _(
            "Return %(number)s is “%(state)s”: it cannot become “%(target)s”."
        ),
    }
    return messages[code] % params
