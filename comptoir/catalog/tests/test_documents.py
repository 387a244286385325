"""Product documents (issue 20): PDFs only, checked by their first bytes, listed on the
product page and in the API's product detail, served with a sandbox."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.catalog.images import document_problem
from comptoir.catalog.models import ProductDocument
from comptoir.catalog.services import document_file_set
from comptoir.catalog.tests.product_admin_form import product_form_data
from tests.factories import PriceEntryFactory, ProductFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def screws(store):
    product = ProductFactory(sku="DOC-1", name="Wood screws", stock=100)
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("0.12"))
    return product


def add(product, title, kind="datasheet", position=0):
    document = ProductDocument(product=product, title=title, kind=kind, position=position)
    document_file_set(document, PDF)
    document.save()
    return document


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n", "not_a_pdf"),
        (b"", "not_a_pdf"),
        (b" %PDF-1.7", "not_a_pdf"),
        (b"%PDF-" + b"\0" * (20 * 1024 * 1024), "too_large"),
    ],
    ids=["png", "empty", "not-at-the-start", "over-20-mb"],
)
def test_refused_documents_say_why(data, code):
    assert document_problem(data).code == code


def test_a_document_is_stored_under_a_generated_name(screws):
    document = add(screws, "Data sheet")
    assert document.file.name.startswith("products/") and document.file.name.endswith(".pdf")
    assert len(document.file.name) == len("products/") + 32 + len(".pdf")
    assert document.size == len(PDF)


def test_the_back_office_uploads_a_pdf_and_refuses_a_picture(admin_client, screws):
    url = f"/admin/catalog/product/{screws.pk}/change/"
    data = product_form_data(admin_client, url, "documents")
    data |= {"documents-0-title": "Data sheet", "documents-0-kind": "datasheet"}
    data |= {"documents-0-position": "0"}
    refused = admin_client.post(
        url, data | {"documents-0-upload": SimpleUploadedFile("a.pdf", b"\x89PNG\r\n")}
    )
    assert refused.status_code == 200
    assert "Send a PDF document; this file is not one." in refused.content.decode()
    assert not ProductDocument.objects.exists()
    saved = admin_client.post(
        url, data | {"documents-0-upload": SimpleUploadedFile("sheet.pdf", PDF)}
    )
    assert saved.status_code == 302
    document = ProductDocument.objects.get()
    assert (document.title, document.kind, document.size) == ("Data sheet", "datasheet", 51)
    assert f'href="{document.file.url}"' in admin_client.get(url).content.decode()


def test_the_product_page_lists_the_documents(client, screws):
    sheet = add(screws, "Data sheet", position=1)
    add(screws, "Safety data sheet", kind="safety", position=0)
    page = client.get("/p/DOC-1/").content.decode()
    assert (
        f'<a href="/media/{sheet.file.name}" type="application/pdf">Data sheet</a> '
        f'<span class="sku">Data sheet, PDF, 51\xa0bytes</span>'
    ) in page
    assert page.index("Safety data sheet</a>") < page.index(">Data sheet</a>")


def test_the_media_view_serves_a_pdf_in_a_sandbox(client, screws):
    document = add(screws, "Data sheet")
    response = client.get(document.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF


def test_the_api_product_detail_lists_the_documents(client, screws, settings):
    settings.SITE_URL = "https://shop.example.com"
    document = add(screws, "Data sheet")
    body = client.get("/api/v1/products/DOC-1").json()
    assert body["documents"] == [
        {
            "url": f"https://shop.example.com/media/{document.file.name}",
            "title": "Data sheet",
            "kind": "datasheet",
            "size": 51,
        }
    ]
    assert body["images"] == []
