"""Reads of returns, scoped to the caller's company."""

from django.db.models import F, QuerySet

from comptoir.accounts.permissions import PLACE_ORDERS
from comptoir.core.selectors import store_today
from comptoir.returns import rules
from comptoir.returns.models import ReturnRequest


def returns_of(company, location_ids: frozenset[int] | None = None) -> QuerySet:
    """The company's returns, newest first, with their order's number; with `location_ids`,
    only those of orders placed for these locations."""
    found = ReturnRequest.objects.filter(company=company)
    if location_ids is not None:
        found = found.filter(order__location__in=location_ids)
    return found.annotate(order_number=F("order__number")).order_by("-requested_at", "-number")


def company_return(company, number: str) -> ReturnRequest | None:
    """One return of the company with its order, lines, events and credit note; None for
    another company's or an unknown number."""
    if company is None:
        return None
    return (
        ReturnRequest.objects.filter(company=company, number=number)
        .select_related("order", "credit_note", "requested_by")
        .prefetch_related("lines", "events__actor")
        .first()
    )


def order_returns(order) -> list[ReturnRequest]:
    return list(ReturnRequest.objects.filter(order=order).order_by("number"))


def returnable(viewer, order) -> bool:
    """Whether the viewer may ask to return goods of `order` today (its page offers it)."""
    if not viewer.access.allows(PLACE_ORDERS):
        return False
    store = viewer.store
    refusal = rules.window_refusal(
        status=order.status,
        delivered_on=order.delivered_on,
        window=store.return_window_days,
        today=store_today(store),
    )
    return refusal is None
