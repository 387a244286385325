"""The merchant approves or rejects certificates in the back office; the buyers are told."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptoir.tax.models import CertificateStatus, TaxCertificate
from comptoir.tax.tests.conftest import HTML, PNG
from tests.factories import TaxCertificateFactory

CHANGELIST = reverse("admin:tax_taxcertificate_changelist")


def change_url(certificate):
    return reverse("admin:tax_taxcertificate_change", args=[certificate.pk])


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


@pytest.fixture
def pending(acme, buyers):
    return TaxCertificateFactory(
        company=acme, number="ST-120-777", status=CertificateStatus.PENDING
    )


def test_approve_action_approves_and_tells_the_buyers(
    admin_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": "approve", "_selected_action": [pending.pk]}, follow=True
        )

    assert "1 certificate approved; the company&#x27;s buyers were sent an e-mail." in (
        response.content.decode()
    )
    pending.refresh_from_db()
    assert pending.status == CertificateStatus.APPROVED
    assert recipients(mailoutbox) == ["bob@acme.example", "jane@acme.example"]
    message = next(m for m in mailoutbox if m.to == ["jane@acme.example"])
    assert message.subject == (
        "Quincaillerie Martin & Fils: tax-exemption certificate ST-120-777 approved"
    )
    assert "Hello Jane," in message.body
    assert "Orders shipped to US-NY from" in message.body
    assert "http://testserver/account/" in message.body


def test_approve_leaves_approved_and_out_of_date_certificates(
    admin_client, acme, buyers, today, mailoutbox, django_capture_on_commit_callbacks
):
    approved = TaxCertificateFactory(company=acme, number="A")
    stale = TaxCertificateFactory(
        company=acme,
        number="B",
        status=CertificateStatus.PENDING,
        issued_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [approved.pk, stale.pk]},
            follow=True,
        )
    assert "2 certificates were left as they were" in response.content.decode()
    stale.refresh_from_db()
    assert stale.status == CertificateStatus.PENDING
    assert mailoutbox == []


def test_reject_asks_for_the_reason_then_tells_the_buyers(
    admin_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    selected = {"action": "reject", "_selected_action": [pending.pk]}
    response = admin_client.post(CHANGELIST, selected)
    assert response.status_code == 200
    assert "admin/reject_with_reason.html" in [t.name for t in response.templates]
    assert "ST-120-777" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == CertificateStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {**selected, "reason": "The certificate is not signed."}, follow=True
        )

    assert "1 certificate rejected" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == CertificateStatus.REJECTED
    assert pending.rejection_reason == "The certificate is not signed."
    assert recipients(mailoutbox) == ["bob@acme.example", "jane@acme.example"]
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert "Reason: The certificate is not signed." in by_recipient["jane@acme.example"].body
    assert "ST-120-777 not accepted" in by_recipient["jane@acme.example"].subject
    # Bob reads French: the sentences the catalogue translates come in French.
    assert "Motif" in by_recipient["bob@acme.example"].body
    assert "The certificate is not signed." in by_recipient["bob@acme.example"].body


def test_reject_touches_pending_certificates_only(admin_client, acme, mailoutbox):
    approved = TaxCertificateFactory(company=acme)
    response = admin_client.post(
        CHANGELIST,
        {"action": "reject", "_selected_action": [approved.pk], "reason": "No"},
        follow=True,
    )
    assert "0 certificates rejected" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == CertificateStatus.APPROVED


def test_status_and_reason_are_read_only_on_the_change_form(admin_client, pending):
    response = admin_client.get(change_url(pending))
    content = response.content.decode()
    assert 'name="status"' not in content
    assert 'name="rejection_reason"' not in content
    assert "Pending review" in content

    response = admin_client.post(
        change_url(pending),
        {
            "company": pending.company_id,
            "number": pending.number,
            "country": "US",
            "region": "NY",
            "issued_on": pending.issued_on.isoformat(),
            "expires_on": pending.expires_on.isoformat(),
            "status": CertificateStatus.APPROVED,
        },
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == CertificateStatus.PENDING


def test_a_back_office_upload_is_checked_and_renamed_like_the_buyers_ones(admin_client, pending):
    data = {
        "company": pending.company_id,
        "number": pending.number,
        "country": "US",
        "region": "NY",
        "issued_on": pending.issued_on.isoformat(),
        "expires_on": pending.expires_on.isoformat(),
    }
    html = SimpleUploadedFile("scan.pdf", HTML, content_type="application/pdf")
    response = admin_client.post(change_url(pending), {**data, "document": html})
    assert response.status_code == 200
    assert "Send a PDF, PNG or JPEG file" in response.content.decode()

    png = SimpleUploadedFile("../../scan.pdf", PNG, content_type="application/pdf")
    response = admin_client.post(change_url(pending), {**data, "document": png})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.document.name.startswith(f"tax-certificates/{pending.company_id}/")
    assert pending.document.name.endswith(".png")
    assert TaxCertificate.objects.count() == 1
