"""Writes of the customers area: account requests and the merchant's decisions on them."""

import re
import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.accounts.permissions import ADMINISTRATOR
from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import Store
from comptoir.customers import notifications
from comptoir.customers.models import Address, Company, CompanyStatus, Location
from comptoir.webhooks import events
from comptoir.webhooks.models import EventType

CODE_LENGTH = 20


@dataclass(frozen=True, kw_only=True)
class AccountRequest:
    """What a visitor fills in to ask for a business account (validated by its form)."""

    company_name: str
    country: str
    region: str
    vat_number: str
    line1: str
    line2: str
    postal_code: str
    city: str
    email: str
    first_name: str
    last_name: str
    language: str


def account_request_submit(*, store: Store, request: AccountRequest, site_url: str) -> Company:
    """A pending company in the default group, its address and its first buyer (no password yet).

    The buyer chooses a password from the link e-mailed on approval, so nobody can order
    before the merchant has looked at the request.
    """
    email = request.email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise BusinessRuleError("email_taken", _("An account already uses this e-mail address."))
    try:
        with transaction.atomic():
            company = Company.objects.create(
                code=_free_code(request.company_name),
                name=request.company_name.strip(),
                group=store.default_group,
                status=CompanyStatus.PENDING,
                country=request.country,
                region=request.region,
                vat_number=request.vat_number,
            )
            Address.objects.create(
                company=company,
                code="MAIN",
                position=0,
                line1=request.line1,
                line2=request.line2,
                postal_code=request.postal_code,
                city=request.city,
                country=request.country,
                region=request.region,
            )
            locations_ensure(company_ids=[company.pk])
            user = User.objects.create_user(
                email,
                company=company,
                role=ADMINISTRATOR,
                first_name=request.first_name,
                last_name=request.last_name,
                language=request.language,
            )
            events.companies_changed([company], EventType.COMPANY_REQUESTED)
            transaction.on_commit(lambda: notifications.request_received(user, site_url))
    except IntegrityError:
        # Only a request sent at the same moment with the same e-mail or name gets here.
        raise BusinessRuleError(
            "account_request_conflict",
            _("Another request was saved at the same time; please send it again."),
        ) from None
    return company


MAIN_LOCATION = "MAIN"


def locations_ensure(*, company_ids: list[int]) -> None:
    """Gives each of these companies that has no location its main one, named after it.

    Every writer of companies (account requests, the back office, the bundle loader) calls this,
    so that orders, carts and budgets always have a location to belong to.
    """
    missing = Company.objects.filter(pk__in=company_ids, locations__isnull=True)
    Location.objects.bulk_create(
        Location(company_id=pk, code=MAIN_LOCATION, name=name)
        for pk, name in missing.values_list("id", "name")
    )


def companies_approve(*, companies: QuerySet[Company], site_url: str) -> int:
    """Approve companies; their buyers are told, and those without a password get a link."""
    with transaction.atomic():
        changed = list(_locked(companies).exclude(status=CompanyStatus.APPROVED))
        Company.objects.filter(pk__in=[c.pk for c in changed]).update(
            status=CompanyStatus.APPROVED, rejection_reason="", updated_at=timezone.now()
        )
        for company in changed:
            company.status, company.rejection_reason = CompanyStatus.APPROVED, ""
        events.companies_changed(changed, EventType.COMPANY_APPROVED)
        buyers = list(User.objects.filter(company__in=changed, is_active=True))
        transaction.on_commit(lambda: notifications.approved(buyers, site_url))
    return len(changed)


def companies_reject(*, companies: QuerySet[Company], reason: str, site_url: str) -> int:
    """Decline pending account requests, telling the applicants why."""
    with transaction.atomic():
        changed = list(_locked(companies).filter(status=CompanyStatus.PENDING))
        Company.objects.filter(pk__in=[c.pk for c in changed]).update(
            status=CompanyStatus.REJECTED, rejection_reason=reason, updated_at=timezone.now()
        )
        buyers = list(User.objects.filter(company__in=changed, is_active=True))
        transaction.on_commit(lambda: notifications.rejected(buyers, reason, site_url))
    return len(changed)


def companies_suspend(*, companies: QuerySet[Company]) -> int:
    """Close ordering for approved companies; their buyers can still log in and see why."""
    with transaction.atomic():
        changed = list(_locked(companies).filter(status=CompanyStatus.APPROVED))
        Company.objects.filter(pk__in=[c.pk for c in changed]).update(
            status=CompanyStatus.SUSPENDED, updated_at=timezone.now()
        )
        for company in changed:
            company.status = CompanyStatus.SUSPENDED
        events.companies_changed(changed, EventType.COMPANY_SUSPENDED)
    return len(changed)


def _locked(companies: QuerySet[Company]) -> QuerySet[Company]:
    """The same companies, locked; by id, as the admin's querysets carry aggregates. Their
    group comes along (not locked) for the webhook events' payloads."""
    ids = list(companies.values_list("pk", flat=True))
    return (
        Company.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _free_code(name: str) -> str:
    """A readable company code from its name (ACME-INDUSTRIES), numbered when it is taken."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Z0-9]+", "-", ascii_name.upper()).strip("-")[:CODE_LENGTH].strip("-")
    base = base or "COMPANY"
    taken = set(Company.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code
