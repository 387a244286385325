"""Reads of the payments area: the methods of the store with their conditions, in 2 queries each."""

from comptoir.payments.models import PaymentMethod, ShippingMethod
from comptoir.payments.rules import MethodFacts


def _facts(method, **extra) -> MethodFacts:
    return MethodFacts(
        code=method.code,
        name=method.name,
        position=method.position,
        countries=frozenset(method.countries) if method.countries is not None else None,
        group_ids=frozenset(g.pk for g in method.customer_groups.all()),
        company_ids=frozenset(c.pk for c in method.companies.all()),
        min_total=method.min_total,
        max_total=method.max_total,
        **extra,
    )


def _active(model):
    return (
        model.objects.filter(active=True)
        .prefetch_related("customer_groups", "companies")
        .order_by("position", "code")
    )


def shipping_methods() -> list[MethodFacts]:
    return [
        _facts(method, price=method.price, free_above=method.free_above)
        for method in _active(ShippingMethod)
    ]


def payment_methods() -> list[MethodFacts]:
    return [
        _facts(method, type=method.type, instructions=method.instructions)
        for method in _active(PaymentMethod)
    ]
