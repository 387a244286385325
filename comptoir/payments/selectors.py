"""Reads of the payments area: the store's methods with their conditions, a company's credit."""

from decimal import Decimal

from django.db.models import Sum

from comptoir.core.money import ZERO
from comptoir.ordering.models import Order, OrderStatus, PaymentStatus
from comptoir.payments.models import PaymentMethod, ShippingMethod
from comptoir.payments.rules import Credit, MethodFacts


def _facts(method, **extra) -> MethodFacts:
    return MethodFacts(
        code=method.code,
        name=method.name,
        position=method.position,
        countries=frozenset(method.countries) if method.countries is not None else None,
        group_ids=frozenset(g.pk for g in method.customer_groups.all()),
        company_ids=frozenset(c.pk for c in method.companies.all()),
        excluded_company_ids=frozenset(c.pk for c in method.excluded_companies.all()),
        min_total=method.min_total,
        max_total=method.max_total,
        **extra,
    )


def _active(model):
    return (
        model.objects.filter(active=True)
        .prefetch_related("customer_groups", "companies", "excluded_companies")
        .order_by("position", "code")
    )


def shipping_methods() -> list[MethodFacts]:
    return [
        _facts(method, price=method.price, free_above=method.free_above)
        for method in _active(ShippingMethod)
    ]


def payment_methods() -> list[MethodFacts]:
    return [
        _facts(
            method,
            type=method.type,
            instructions=method.instructions,
            net_days=method.net_days,
            term_rule=method.term_rule,
            without_credit_limit=method.without_credit_limit,
        )
        for method in _active(PaymentMethod)
    ]


def open_balance(company) -> Decimal:
    """What the company owes or will owe: its placed orders not cancelled and not paid."""
    if company is None:
        return ZERO
    owed = Order.objects.filter(company=company).exclude(status=OrderStatus.CANCELLED)
    owed = owed.exclude(payment_status=PaymentStatus.PAID)
    return owed.aggregate(total=Sum("total"))["total"] or ZERO


def credit_of(company) -> Credit:
    if company is None:
        return Credit(limit=None)
    return Credit(limit=company.credit_limit, open_balance=open_balance(company))
