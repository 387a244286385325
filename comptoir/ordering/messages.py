"""The sentences of the order rules, in the buyer's language (the codes stay stable)."""

from django.utils.translation import gettext as _

from comptoir.core.money import format_decimal
from comptoir.ordering import rules
from comptoir.ordering.rules import Violation


def violation_message(violation: Violation, currency: str) -> str:
    p = violation.params
    code = violation.code
    if code == rules.NOT_PURCHASABLE:
        if p["withdrawn"]:
            return _("%(sku)s is no longer available: remove it from the cart.") % p
        return _("%(sku)s has no price for you (price on request): remove it or ask us.") % p
    if code == rules.QTY_BELOW_MINIMUM:
        return _("%(sku)s is sold from %(minimum)s: %(quantity)s is too few.") % p
    if code == rules.QTY_ABOVE_MAXIMUM:
        return _("%(sku)s is limited to %(maximum)s per order: %(quantity)s is too many.") % p
    if code == rules.QTY_NOT_MULTIPLE:
        choices = [str(q) for q in (p["below"], p["above"]) if q is not None]
        if len(choices) == 2:
            return _(
                "%(sku)s is sold by %(step)s: %(quantity)s is not a multiple; %(a)s or %(b)s?"
            ) % (p | {"a": choices[0], "b": choices[1]})
        if choices:
            return _("%(sku)s is sold by %(step)s: %(quantity)s is not a multiple; %(a)s?") % (
                p | {"a": choices[0]}
            )
        return _("%(sku)s is sold by %(step)s: %(quantity)s is not a multiple.") % p
    if code == rules.INSUFFICIENT_STOCK:
        if p["stock"] == 0:
            return _("%(sku)s is out of stock.") % p
        return _("Only %(stock)s of %(sku)s in stock: %(quantity)s requested.") % p
    if code == rules.ORDER_BELOW_MINIMUM_AMOUNT:
        return _(
            "The minimum order is %(minimum)s %(currency)s of merchandise; the cart holds "
            "%(merchandise)s %(currency)s (%(missing)s %(currency)s more to go)."
        ) % {
            "minimum": format_decimal(p["minimum"]),
            "merchandise": format_decimal(p["merchandise"]),
            "missing": format_decimal(p["missing"]),
            "currency": currency,
        }
    raise ValueError(f"no message for {code}")
