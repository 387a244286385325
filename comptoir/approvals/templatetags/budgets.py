"""Budget sentences with amounts written as the page writes money (`money` filter)."""

from django import template

from comptoir.approvals import messages
from comptoir.storefront.money_display import money

register = template.Library()


def _money(currency: str):
    return lambda amount: money(amount, currency)


@register.filter
def budget_left(standing, currency: str) -> str:
    return messages.budget_left(standing, _money(currency))


@register.filter
def budget_refusal(standing, currency: str) -> str:
    return messages.budget_refusal(standing, _money(currency))
