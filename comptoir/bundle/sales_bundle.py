"""The bundle's `companies[].representatives` (issue 18): e-mails of the merchant's staff
users who look after the company. Staff accounts are made in the back office, never by a
bundle, so each e-mail must name an existing staff user; null or absent keeps the company's
representatives, a list (empty too) is the whole list."""

from django.db.models import Prefetch

from comptoir.accounts.models import User
from comptoir.sales.models import Assignment


def check_representatives(errors, path: str, emails: list[str] | None, staff: set[str]) -> None:
    for position, email in enumerate(emails or []):
        if email.lower() not in staff:
            errors.add(f"{path}.representatives[{position}]", f"unknown staff user {email!r}")


def write_representatives(items, company_ids: dict) -> None:
    wanted = {
        company_ids[(item.code,)]: {email.lower() for email in item.representatives}
        for item in items
        if item.representatives is not None
    }
    if not wanted:
        return
    staff = dict(
        User.objects.filter(
            is_staff=True, email__in={email for emails in wanted.values() for email in emails}
        ).values_list("email", "id")
    )
    current = set(
        Assignment.objects.filter(company_id__in=wanted).values_list(
            "company_id", "representative_id"
        )
    )
    target = {
        (company_id, staff[email]) for company_id, emails in wanted.items() for email in emails
    }
    for company_id, user_id in current - target:
        Assignment.objects.filter(company_id=company_id, representative_id=user_id).delete()
    Assignment.objects.bulk_create(
        Assignment(company_id=company_id, representative_id=user_id)
        for company_id, user_id in sorted(target - current)
    )


def company_prefetch() -> Prefetch:
    return Prefetch(
        "sales_assignments",
        queryset=Assignment.objects.select_related("representative"),
    )


def dump_representatives(company) -> list[str]:
    return sorted(a.representative.email for a in company.sales_assignments.all())
