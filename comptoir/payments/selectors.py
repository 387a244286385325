"""Reads of the payments area: the store's methods with their conditions, a company's credit."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from comptoir.core.models import Store
from comptoir.core.money import ZERO, round2
from comptoir.customers.models import Company
from comptoir.ordering.models import Order, OrderStatus, PaymentStatus
from comptoir.payments.invoice_rules import OPEN_STATUSES
from comptoir.payments.models import (
    Invoice,
    InvoiceStatus,
    PaymentMethod,
    ShippingMethod,
)
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
        translations=method.translations,
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


def _credit_position(company) -> dict:
    """One query: what the company owes and whether it is late, with the store's setting.

    Owed: on each of its invoices not cancelled, the total less its credit notes, less what
    was paid and not refunded (below zero on a paid invoice later credited: the merchant
    holds that money for the buyer until it is refunded), plus the totals of its orders not
    cancelled, not invoiced yet and not marked paid.
    """
    invoices = Invoice.objects.filter(company=OuterRef("pk"), status__in=OPEN_STATUSES)
    balances = Invoice.objects.filter(company=OuterRef("pk")).exclude(
        status=InvoiceStatus.CANCELLED
    )
    uninvoiced = (
        Order.objects.filter(company=OuterRef("pk"), invoice__isnull=True)
        .exclude(status=OrderStatus.CANCELLED)
        .exclude(payment_status=PaymentStatus.PAID)
    )
    amount = DecimalField(max_digits=16, decimal_places=2)
    row = (
        Company.objects.filter(pk=company.pk)
        .annotate(
            invoices_due=_sum(
                balances,
                F("total") - F("amount_credited") - F("amount_paid") + F("amount_refunded"),
                amount,
            ),
            orders_due=_sum(uninvoiced, F("total"), amount),
            overdue=Exists(invoices.filter(status=InvoiceStatus.OVERDUE)),
            block=Subquery(Store.objects.order_by("pk").values("block_overdue_invoice_terms")[:1]),
        )
        .values("invoices_due", "orders_due", "overdue", "block")
        .first()
    )
    return row or {"invoices_due": None, "orders_due": None, "overdue": False, "block": False}


def _sum(queryset, expression, output_field):
    """The sum of `expression` over `queryset` (correlated to the company), as a subquery."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("company")
            .annotate(total=Sum(expression, output_field=output_field))
            .values("total")
        ),
        Value(ZERO),
        output_field=output_field,
    )


def open_balance(company) -> Decimal:
    """What the company owes or will owe: the balances of its invoices (credit notes and
    refunds counted) + orders not yet invoiced; never below 0.00 (a credit the buyer holds
    lowers what it owes elsewhere, it does not raise its credit limit)."""
    if company is None:
        return ZERO
    position = _credit_position(company)
    return _owed(position)


def _owed(position: dict) -> Decimal:
    owed = Decimal(position["invoices_due"] or 0) + Decimal(position["orders_due"] or 0)
    return round2(max(owed, ZERO))


def credit_of(company) -> Credit:
    """The company's credit position for the invoice-terms check (rules.credit_refusal)."""
    if company is None:
        return Credit(limit=None)
    position = _credit_position(company)
    return Credit(
        limit=company.credit_limit,
        open_balance=_owed(position),
        overdue=bool(position["overdue"]),
        block_when_overdue=bool(position["block"]),
    )


@dataclass(frozen=True)
class CreditSummary:
    """What a buyer is shown of the company's credit; `available` is None without a limit."""

    limit: Decimal | None
    open_balance: Decimal
    available: Decimal | None
    overdue: bool
    blocked: bool


def credit_summary(company) -> CreditSummary:
    credit = credit_of(company)
    available = max(credit.limit - credit.open_balance, ZERO) if credit.limit else None
    return CreditSummary(
        limit=credit.limit,
        open_balance=credit.open_balance,
        available=available,
        overdue=credit.overdue,
        blocked=credit.overdue and credit.block_when_overdue,
    )


def company_invoices(company, location_ids: frozenset[int] | None = None) -> list[Invoice]:
    """The company's invoices, newest first (one query); with `location_ids`, only those of
    orders placed for these locations (a user limited to them)."""
    if company is None:
        return []
    invoices = Invoice.objects.filter(company=company)
    if location_ids is not None:
        invoices = invoices.filter(order__location__in=location_ids)
    return list(
        invoices.annotate(order_number=F("order__number"))
        .defer("lines", "tax_lines", "billing_address", "payment_instructions", "seller_address")
        .order_by("-issued_on", "-number")
    )


def company_invoice(company, number: str) -> Invoice | None:
    """One invoice of the company by number; None for another company's or an unknown one."""
    if company is None:
        return None
    return (
        Invoice.objects.filter(company=company, number=number)
        .select_related("order__placed_by")
        .first()
    )


def visible_invoices(
    company,
    *,
    location_ids: frozenset[int] | None = None,
    statuses: tuple[str, ...] = (),
    issued_from=None,
    issued_until=None,
) -> QuerySet[Invoice]:
    """The company's invoices as the API lists them, newest first, one query a page: only
    those of orders placed for `location_ids` when given (a user limited to them, as the
    account page), with `statuses` and an inclusive issue-date window when given."""
    invoices = Invoice.objects.filter(company=company)
    if location_ids is not None:
        invoices = invoices.filter(order__location__in=location_ids)
    if statuses:
        invoices = invoices.filter(status__in=statuses)
    if issued_from is not None:
        invoices = invoices.filter(issued_on__gte=issued_from)
    if issued_until is not None:
        invoices = invoices.filter(issued_on__lte=issued_until)
    return invoices.annotate(
        order_number=F("order__number"), order_location_id=F("order__location")
    ).order_by("-issued_on", "-number")
