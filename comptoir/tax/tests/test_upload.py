"""A buyer sends an exemption certificate from the account page and opens its document;
nobody else can."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comptoir.core.models import AccessMode
from comptoir.storefront.tests.conftest import set_access
from comptoir.tax.models import CertificateStatus, TaxCertificate
from comptoir.tax.rules import MAX_DOCUMENT_BYTES, default_expiry
from comptoir.tax.tests.conftest import EXE, HTML, JPEG, PDF, PNG, form_data, upload
from tests.factories import CompanyFactory, StaffUserFactory, TaxCertificateFactory, UserFactory

URL = "/account/certificates/"


def private_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def stored_files() -> list[Path]:
    root = private_root()
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def document_url(certificate) -> str:
    return f"/account/certificates/{certificate.pk}/document/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_buyer_sends_a_certificate_stored_privately_and_pending(client, buyer, acme, today):
    client.force_login(buyer)

    response = client.post(URL, form_data(today))

    assert response.status_code == 302
    assert response["Location"] == "/account/#certificates"
    certificate = TaxCertificate.objects.get(company=acme)
    issued_on = today - datetime.timedelta(days=10)
    assert (certificate.number, certificate.country, certificate.region) == (
        "ST-120-2026-0001",
        "US",
        "NY",
    )
    assert (certificate.issued_on, certificate.expires_on) == (issued_on, default_expiry(issued_on))
    assert certificate.status == CertificateStatus.PENDING
    # A generated name in the private storage, never the uploader's file name.
    assert re.fullmatch(
        rf"tax-certificates/{acme.pk}/[0-9a-f]{{32}}\.pdf", certificate.document.name
    )
    [stored] = stored_files()
    assert stored == private_root() / certificate.document.name
    assert stored.read_bytes() == PDF
    assert "resale-certificate" not in certificate.document.name
    assert not str(stored).startswith(str(settings.STATIC_ROOT))

    page = client.get("/account/").content.decode()
    assert "Certificate ST-120-2026-0001 is sent" in page
    assert "ST-120-2026-0001" in page
    assert "Pending review" in page
    assert f'href="{document_url(certificate)}"' in page


def test_the_document_is_served_inline_to_the_buyers_of_its_company(client, buyers, today):
    client.force_login(buyers[0])
    client.post(URL, form_data(today))
    certificate = TaxCertificate.objects.get()

    client.force_login(buyers[1])  # a colleague
    response = client.get(document_url(certificate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert body(response) == PDF


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(PNG, "image/png", ".png"), (JPEG, "image/jpeg", ".jpg")],
    ids=["png", "jpeg"],
)
def test_an_image_named_pdf_is_kept_as_the_image_it_is(
    client, buyer, today, content, content_type, extension
):
    client.force_login(buyer)

    response = client.post(URL, form_data(today, document=upload("scan.pdf", content)))

    assert response.status_code == 302
    certificate = TaxCertificate.objects.get()
    assert certificate.document.name.endswith(extension)
    response = client.get(document_url(certificate))
    assert response["Content-Type"] == content_type
    assert body(response) == content


@pytest.mark.parametrize(
    "content",
    [HTML, EXE, b"", b"%PD", b"GIF89a\x01\x00"],
    ids=["html", "exe", "empty", "cut", "gif"],
)
def test_other_files_are_refused_whatever_their_name_and_type_say(client, buyer, today, content):
    client.force_login(buyer)

    response = client.post(
        URL, form_data(today, document=upload("certificate.pdf", content, "application/pdf"))
    )

    assert response.status_code == 200
    form = response.context["certificate_form"]
    assert set(form.errors) == {"document"}
    assert TaxCertificate.objects.count() == 0
    assert stored_files() == []


def test_a_file_of_10_mb_is_accepted_and_one_byte_more_refused(client, buyer, today):
    client.force_login(buyer)
    largest = PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF))

    response = client.post(URL, form_data(today, document=upload("big.pdf", largest + b"0")))

    assert response.status_code == 200
    assert response.wsgi_request.upload_too_large  # dropped while read, never stored
    form = response.context["certificate_form"]
    assert form.errors == {"document": ["The file is larger than 10 MB: send a smaller scan."]}
    assert "The file is larger than 10 MB" in response.content.decode()
    assert TaxCertificate.objects.count() == 0
    assert stored_files() == []

    response = client.post(URL, form_data(today, document=upload("big.pdf", largest)))
    assert response.status_code == 302
    assert TaxCertificate.objects.get().document.size == MAX_DOCUMENT_BYTES


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"region": "ZZ"}, "region", "ZZ is not a region of US."),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"number": "   "}, "number", "This field is required."),
        ({"issued_on": "2026-02-30"}, "issued_on", "Enter a valid date."),
        ({"expires_on": "2020-01-01"}, "expires_on", "A certificate expires after its issue date."),
        ({"issued_on": "2020-01-01"}, "issued_on", "This certificate expired on 2021-01-01"),
    ],
    ids=["region", "country", "number", "date", "expiry-before-issue", "already-expired"],
)
def test_bad_input_is_explained_on_its_field_and_nothing_is_written(
    client, buyer, today, changes, field, message
):
    client.force_login(buyer)

    response = client.post(URL, form_data(today, **changes))

    assert response.status_code == 200
    form = response.context["certificate_form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert TaxCertificate.objects.count() == 0
    assert stored_files() == []


def test_a_certificate_for_a_whole_country_names_no_region(client, buyer, today):
    client.force_login(buyer)
    response = client.post(URL, form_data(today, country="FR", region="", number="FR-1"))
    assert response.status_code == 302
    assert TaxCertificate.objects.get().region == ""


def test_the_same_number_replaces_a_rejected_certificate(
    client, buyer, acme, today, django_capture_on_commit_callbacks
):
    old = TaxCertificateFactory(
        company=acme,
        number="ST-120-2026-0001",
        status=CertificateStatus.REJECTED,
        rejection_reason="Unreadable scan",
        issued_on=today - datetime.timedelta(days=100),
    )
    old.document.save("old.pdf", upload("old.pdf", PDF + b"old"))
    old_name = old.document.name
    client.force_login(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(today, document=upload("new.png", PNG)))

    assert response.status_code == 302
    certificate = TaxCertificate.objects.get()
    assert certificate.pk == old.pk
    assert certificate.status == CertificateStatus.PENDING
    assert certificate.rejection_reason == ""
    assert certificate.issued_on == today - datetime.timedelta(days=10)
    assert certificate.document.name.endswith(".png")
    assert stored_files() == [private_root() / certificate.document.name]
    assert not (private_root() / old_name).exists()


def test_the_same_number_as_an_approved_certificate_is_refused(client, buyer, acme, today):
    approved = TaxCertificateFactory(company=acme, number="ST-120-2026-0001")
    client.force_login(buyer)

    response = client.post(URL, form_data(today))

    assert response.status_code == 200
    errors = response.context["certificate_form"].errors
    assert list(errors) == ["number"]
    assert "is already on file (approved" in errors["number"][0]
    assert TaxCertificate.objects.get() == approved
    approved.refresh_from_db()
    assert approved.status == CertificateStatus.APPROVED
    assert stored_files() == []


def test_a_pending_company_may_send_certificates(client, store, today):
    buyer = UserFactory(company=CompanyFactory(american=True, code="NEW-NY", pending=True))
    client.force_login(buyer)
    assert client.post(URL, form_data(today)).status_code == 302
    assert "Pending review" in client.get("/account/").content.decode()


def test_the_account_page_lists_the_companys_certificates_only(client, buyer, acme, other_buyer):
    TaxCertificateFactory(company=acme, number="NY-APPROVED")
    TaxCertificateFactory(
        company=acme, number="NY-REJECTED", status="rejected", rejection_reason="Wrong state"
    )
    TaxCertificateFactory(company=other_buyer.company, number="NOT-MINE")
    client.force_login(buyer)

    page = client.get("/account/").content.decode()

    assert "NY-APPROVED" in page
    assert "Approved" in page
    assert "NY-REJECTED" in page
    assert "Reason: Wrong state" in page
    assert "NOT-MINE" not in page


def test_the_document_of_another_company_is_not_found(client, buyer, other_buyer):
    certificate = TaxCertificateFactory(company=other_buyer.company)
    certificate.document.save("c.pdf", upload("c.pdf", PDF))
    url = document_url(certificate)

    client.force_login(buyer)
    assert client.get(url).status_code == 404
    client.force_login(StaffUserFactory())  # staff open documents in the back office
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(other_buyer)
    assert client.get(url).status_code == 200
    assert client.get(f"/account/certificates/{certificate.pk + 1}/document/").status_code == 404


def test_visitors_of_a_private_store_are_sent_to_the_login(client, store, other_buyer):
    set_access(store, AccessMode.LOGIN_REQUIRED)
    certificate = TaxCertificateFactory(company=other_buyer.company)
    certificate.document.save("c.pdf", upload("c.pdf", PDF))
    response = client.get(document_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_a_back_office_upload_that_is_no_image_nor_pdf_is_downloaded(client, buyer, acme):
    certificate = TaxCertificateFactory(company=acme)
    certificate.document.save("page.html", upload("page.html", HTML))
    client.force_login(buyer)
    response = client.get(document_url(certificate))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_visitors_and_staff_without_company_cannot_send(client, store, today):
    response = client.post(URL, form_data(today))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    client.force_login(StaffUserFactory())
    assert client.post(URL, form_data(today)).status_code == 404
    assert TaxCertificate.objects.count() == 0


def test_the_upload_is_protected_against_cross_site_requests(buyer, today):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    assert client.post(URL, form_data(today)).status_code == 403
    assert TaxCertificate.objects.count() == 0

    client.get("/account/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(URL, {"csrfmiddlewaretoken": token, **form_data(today)})
    assert response.status_code == 302
    assert TaxCertificate.objects.count() == 1


def test_the_account_page_takes_as_many_queries_for_1_as_for_10_certificates(client, buyer, acme):
    TaxCertificateFactory(company=acme, number="C-0")
    client.force_login(buyer)
    client.get("/account/")
    with CaptureQueriesContext(connection) as one:
        client.get("/account/")
    for n in range(1, 10):
        TaxCertificateFactory(company=acme, number=f"C-{n}")
    with CaptureQueriesContext(connection) as ten:
        page = client.get("/account/").content.decode()
    assert all(f"C-{n}" in page for n in range(10))
    assert len(ten) == len(one)
