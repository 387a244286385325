"""Writes of the tax area: exemption certificates sent by buyers, the merchant's decisions
on them, and the daily expiry run (reminders and expiry)."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.core.errors import BusinessRuleError
from comptoir.core.mail import language_of, send_templated
from comptoir.core.selectors import get_store, store_today
from comptoir.customers.models import Company
from comptoir.tax.models import CertificateStatus, TaxCertificate
from comptoir.tax.rules import reminder_due
from comptoir.webhooks import events
from comptoir.webhooks.models import EventType

logger = logging.getLogger(__name__)

# A certificate with one of these statuses may be sent again under the same number: its
# document never exempted an order, so nothing the merchant must keep as proof is lost.
REPLACEABLE = (CertificateStatus.PENDING, CertificateStatus.REJECTED)
# An expired certificate can be approved again once the merchant corrected its expiry date.
APPROVABLE = (*REPLACEABLE, CertificateStatus.EXPIRED)


@dataclass(frozen=True, kw_only=True)
class CertificateUpload:
    """What a buyer sends (validated by `comptoir.tax.forms.CertificateForm`)."""

    number: str
    country: str
    region: str
    issued_on: datetime.date
    expires_on: datetime.date
    document: File
    extension: str  # from the document's first bytes: ".pdf", ".png" or ".jpg"


def certificate_upload(*, company: Company, upload: CertificateUpload) -> TaxCertificate:
    """A pending certificate for the company, its document stored under a generated name.

    The same number as a pending or rejected certificate of the company replaces that one's
    document, jurisdiction and dates (sent again for review); the same number as an approved
    or expired certificate is refused, as that one's document proves past exemptions.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            certificate = (
                TaxCertificate.objects.select_for_update()
                .filter(company=company, number=upload.number)
                .first()
            )
            if certificate is not None and certificate.status not in REPLACEABLE:
                raise BusinessRuleError(
                    "certificate_number_taken",
                    _(
                        "Certificate %(number)s is already on file (%(status)s, valid until "
                        "%(date)s) and is kept as the proof of past exemptions. Send the "
                        "renewed certificate under its own number."
                    )
                    % {
                        "number": certificate.number,
                        "status": certificate.get_status_display().lower(),
                        "date": certificate.expires_on.isoformat(),
                    },
                )
            old_document = certificate.document.name if certificate is not None else ""
            if certificate is None:
                certificate = TaxCertificate(company=company, number=upload.number)
            certificate.country = upload.country
            certificate.region = upload.region
            certificate.issued_on = upload.issued_on
            certificate.expires_on = upload.expires_on
            certificate.status = CertificateStatus.PENDING
            certificate.rejection_reason = ""
            certificate.document.save(f"certificate{upload.extension}", upload.document, save=False)
            stored.append(certificate.document.name)
            certificate.save()
            if old_document:
                storage = certificate.document.storage
                transaction.on_commit(lambda: storage.delete(old_document))
    except IntegrityError:
        # Only the same number sent by a colleague at the same moment gets here.
        _delete(stored)
        raise BusinessRuleError(
            "certificate_conflict",
            _("A certificate with this number was sent at the same time; please check the list."),
        ) from None
    except BaseException:
        _delete(stored)
        raise
    return certificate


def certificates_approve(*, certificates: QuerySet[TaxCertificate], site_url: str) -> int:
    """Approve the selected certificates that are not approved and whose expiry date is not
    past; their companies' buyers are told. Returns how many were approved."""
    today = store_today(get_store())
    with transaction.atomic():
        changed = list(
            _locked(certificates)
            .filter(status__in=APPROVABLE, expires_on__gte=today)
            .select_related("company")
        )
        TaxCertificate.objects.filter(pk__in=[c.pk for c in changed]).update(
            status=CertificateStatus.APPROVED, rejection_reason=""
        )
        for certificate in changed:
            certificate.status, certificate.rejection_reason = CertificateStatus.APPROVED, ""
        events.certificates_changed(changed, EventType.CERTIFICATE_APPROVED)
        transaction.on_commit(lambda: _tell_buyers(changed, "certificate_approved", site_url))
    return len(changed)


def certificates_reject(
    *, certificates: QuerySet[TaxCertificate], reason: str, site_url: str
) -> int:
    """Reject pending certificates with the reason the buyers are sent. Returns how many."""
    with transaction.atomic():
        changed = list(
            _locked(certificates).filter(status=CertificateStatus.PENDING).select_related("company")
        )
        TaxCertificate.objects.filter(pk__in=[c.pk for c in changed]).update(
            status=CertificateStatus.REJECTED, rejection_reason=reason
        )
        transaction.on_commit(
            lambda: _tell_buyers(changed, "certificate_rejected", site_url, reason=reason)
        )
    return len(changed)


@dataclass(frozen=True)
class ReminderRun:
    reminded_30_days: int = 0
    reminded_7_days: int = 0
    expired: int = 0
    failed: int = 0


def certificate_reminders(*, day: datetime.date) -> ReminderRun:
    """The daily run for the store's `day`: approved certificates past their last day become
    expired; the buyers of those expiring within 30 days are e-mailed once, and again within
    7 days, unless the company already sent a later certificate for the same jurisdiction.

    Each reminder is recorded on its certificate in the transaction that sends it, so a
    second run the same day sends nothing, a missed day is caught up, and a failed e-mail
    is tried again on the next run.
    """
    with transaction.atomic():
        ending = list(
            _locked(
                TaxCertificate.objects.filter(status=CertificateStatus.APPROVED, expires_on__lt=day)
            ).select_related("company")
        )
        expired = TaxCertificate.objects.filter(pk__in=[c.pk for c in ending]).update(
            status=CertificateStatus.EXPIRED
        )
        for certificate in ending:
            certificate.status = CertificateStatus.EXPIRED
        events.certificates_changed(ending, EventType.CERTIFICATE_EXPIRED)

    renewed = TaxCertificate.objects.filter(
        company=OuterRef("company"),
        country=OuterRef("country"),
        region=OuterRef("region"),
        status__in=(CertificateStatus.PENDING, CertificateStatus.APPROVED),
        expires_on__gt=OuterRef("expires_on"),
    )
    candidates = (
        TaxCertificate.objects.filter(
            status=CertificateStatus.APPROVED,
            expires_on__gte=day,
            expires_on__lte=day + datetime.timedelta(days=30),
        )
        .exclude(Exists(renewed))
        .order_by("expires_on", "pk")
        .values_list("pk", "expires_on", "reminded_30_days_on", "reminded_7_days_on")
    )
    due = [
        pk
        for pk, expires_on, reminded_30, reminded_7 in candidates
        if reminder_due(
            day=day,
            expires_on=expires_on,
            reminded_30_days_on=reminded_30,
            reminded_7_days_on=reminded_7,
        )
    ]
    sent = {30: 0, 7: 0}
    failed = 0
    site_url = settings.SITE_URL
    for pk in due:
        try:
            window = _remind(pk, day, site_url)
        except Exception:
            logger.exception("Expiry reminder of tax certificate %s not sent", pk)
            failed += 1
            continue
        if window is not None:
            sent[window] += 1
    return ReminderRun(
        reminded_30_days=sent[30], reminded_7_days=sent[7], expired=expired, failed=failed
    )


def _remind(pk: int, day: datetime.date, site_url: str) -> int | None:
    """Send the reminder due for one certificate, if still due once it is locked, and record
    it: both or neither."""
    with transaction.atomic():
        certificate = (
            TaxCertificate.objects.select_for_update(of=("self",))
            .select_related("company")
            .filter(pk=pk, status=CertificateStatus.APPROVED)
            .first()
        )
        if certificate is None:
            return None
        window = reminder_due(
            day=day,
            expires_on=certificate.expires_on,
            reminded_30_days_on=certificate.reminded_30_days_on,
            reminded_7_days_on=certificate.reminded_7_days_on,
        )
        if window is None:
            return None
        if window == 30:
            certificate.reminded_30_days_on = day
        else:
            certificate.reminded_7_days_on = day
        certificate.save(update_fields=["reminded_30_days_on", "reminded_7_days_on"])
        _tell_buyers(
            [certificate],
            "certificate_expiring",
            site_url,
            days_left=(certificate.expires_on - day).days,
        )
    return window


def _locked(certificates: QuerySet[TaxCertificate]) -> QuerySet[TaxCertificate]:
    """The same certificates, locked in id order (by id: the admin's querysets may not lock)."""
    ids = list(certificates.values_list("pk", flat=True))
    return TaxCertificate.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")


def _delete(names: list[str]) -> None:
    storage = TaxCertificate._meta.get_field("document").storage
    for name in names:
        storage.delete(name)


# E-mails, each in the recipient's language


def _tell_buyers(
    certificates: list[TaxCertificate], template: str, site_url: str, **context
) -> None:
    """E-mail every active buyer of each certificate's company about that certificate."""
    if not certificates:
        return
    buyers: dict[int, list[User]] = {}
    for user in User.objects.filter(
        company__in={c.company_id for c in certificates}, is_active=True
    ).exclude(email=""):
        buyers.setdefault(user.company_id, []).append(user)
    store = get_store()
    for certificate in certificates:
        for user in buyers.get(certificate.company_id, []):
            _send(user, template, site_url, store=store, certificate=certificate, **context)


def _send(user: User, template: str, site_url: str, **context) -> None:
    with translation.override(language_of(user)):
        account_url = site_url.rstrip("/") + reverse("storefront:account")
    send_templated(
        user, f"tax/email/{template}", context | {"user": user, "account_url": account_url}
    )
