"""A New York company with two active buyers (and a former one), another company, and the
documents a buyer may send."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.core.selectors import store_today
from tests.factories import CompanyFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run"


@pytest.fixture
def today(store):
    return store_today(store)


@pytest.fixture
def acme(store):
    return CompanyFactory(american=True, code="ACME-NY", name="Acme Supply Inc.")


@pytest.fixture
def buyers(acme):
    UserFactory(company=acme, email="former@acme.example", is_active=False)
    return [
        UserFactory(company=acme, email="jane@acme.example", first_name="Jane"),
        UserFactory(company=acme, email="bob@acme.example", first_name="Bob", language="fr"),
    ]


@pytest.fixture
def buyer(buyers):
    return buyers[0]


@pytest.fixture
def other_buyer(store):
    return UserFactory(company=CompanyFactory(american=True, code="OTHER-NY"))


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(today: datetime.date, **changes):
    """A good certificate form; the document goes last, as a browser sends it."""
    data = {
        "number": "ST-120-2026-0001",
        "country": "US",
        "region": "NY",
        "issued_on": (today - datetime.timedelta(days=10)).isoformat(),
        "expires_on": "",
    }
    document = changes.pop("document", None) or upload("resale-certificate.pdf", PDF)
    data.update(changes)
    data["document"] = document
    return data
