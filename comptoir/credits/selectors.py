"""Reads of credit notes and refunds, scoped to the caller's company."""

from django.db.models import F, QuerySet

from comptoir.credits.models import CreditNote


def credit_notes_of(company, location_ids: frozenset[int] | None = None) -> QuerySet:
    """The company's credit notes, newest first, with their invoice's and order's numbers;
    with `location_ids`, only those of invoices of orders placed for these locations (a
    user limited to them)."""
    notes = CreditNote.objects.filter(company=company)
    if location_ids is not None:
        notes = notes.filter(invoice__order__location__in=location_ids)
    return (
        notes.annotate(
            invoice_number=F("invoice__number"), order_number=F("invoice__order__number")
        )
        .defer("lines", "tax_lines", "billing_address", "seller_address")
        .order_by("-issued_on", "-number")
    )


def company_credit_notes(company, location_ids: frozenset[int] | None = None) -> list[CreditNote]:
    """The company's credit notes as the account page lists them (one query)."""
    if company is None:
        return []
    return list(credit_notes_of(company, location_ids))


def company_credit_note(company, number: str) -> CreditNote | None:
    """One credit note of the company by number, with its invoice and order; None for
    another company's or an unknown one."""
    if company is None:
        return None
    return (
        CreditNote.objects.filter(company=company, number=number)
        .select_related("invoice__order")
        .first()
    )


def invoice_credit_notes(invoice) -> list[CreditNote]:
    """The credit notes of one invoice, in number order (one query)."""
    return list(
        CreditNote.objects.filter(invoice=invoice)
        .only("number", "issued_on", "reason", "total", "currency")
        .order_by("number")
    )
