"""Tax in the cart and in orders, from the database: jurisdictions, certificates, reverse charge."""

import datetime
import http.server
import json
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache

from comptoir.customers.models import CustomerGroup
from comptoir.ordering.models import Order
from tests.factories import (
    AddressFactory,
    CompanyFactory,
    TaxCertificateFactory,
    TaxRateFactory,
    UserFactory,
    today,
)


def buyer_of(client, company):
    AddressFactory(company=company, code="MAIN", position=0)
    client.force_login(UserFactory(company=company))
    client.put("/api/v1/cart/lines/SCR-100", {"qty": 120}, content_type="application/json")
    return client


@pytest.fixture
def new_york(shop, client):
    TaxRateFactory(country="US", region="NY", tax_class="standard", rate=Decimal("8.875"))
    company = CompanyFactory(code="HUDSON", american=True, group=shop.group)
    return company, buyer_of(client, company)


def test_a_new_york_cart_is_taxed_at_8_875(new_york):
    _company, client = new_york
    cart = client.get("/api/v1/cart").json()
    # 120 × 3.50 = 420.00, shipping 15.00 → 435.00 × 8.875 % = 38.60625 → 38.61
    assert cart["tax_lines"] == [
        {"rate": "8.875", "base": "435.00", "amount": "38.61", "reason": None}
    ]


def test_an_approved_certificate_exempts_and_a_pending_one_warns(new_york):
    company, client = new_york
    pending = TaxCertificateFactory(company=company, number="ST-PENDING", status="pending")
    page = client.get("/cart/").content.decode()
    assert "ST-PENDING is waiting for review: tax is charged" in page

    TaxCertificateFactory(company=company, number="ST-120-OK")
    cart = client.get("/api/v1/cart").json()
    assert cart["tax_lines"] == [
        {"rate": "0.00", "base": "435.00", "amount": "0.00", "reason": "certificate:ST-120-OK"}
    ]
    assert [line["tax_rate"] for line in cart["lines"]] == ["0.00"]
    page = client.get("/cart/").content.decode()
    assert "exemption certificate ST-120-OK" in page
    assert pending.number not in page


def test_an_expired_certificate_warns_and_taxes(new_york):
    company, client = new_york
    TaxCertificateFactory(
        company=company,
        number="ST-OLD",
        issued_on=today() - datetime.timedelta(days=400),
        expires_on=today() - datetime.timedelta(days=1),
    )
    assert client.get("/api/v1/cart").json()["tax_lines"][0]["reason"] is None
    assert "ST-OLD expired on" in client.get("/cart/").content.decode()


def test_a_tax_exempt_group(shop, client):
    nonprofit = CustomerGroup.objects.create(code="NONPROFIT", name="Non-profit", tax_exempt=True)
    buyer_of(client, CompanyFactory(code="SOLI", group=nonprofit))
    assert client.get("/api/v1/cart").json()["tax_lines"][0]["reason"] == "group_exempt"


def test_reverse_charge_order_carries_the_legal_mention(
    shop, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("19.00"))
    company = CompanyFactory(code="KOELN", german=True, group=shop.group, vat_number="DE136695976")
    buyer_of(client, company)
    cart = client.get("/api/v1/cart").json()
    assert cart["tax_lines"] == [
        {"rate": "0.00", "base": "435.00", "amount": "0.00", "reason": "reverse_charge"}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/checkout", {"payment_method": "TRANSFER"}, content_type="application/json"
        )
    order = response.json()
    assert order["tax_mention"] == "Autoliquidation — article 196 de la directive 2006/112/CE"
    assert order["total"] == "435.00"
    assert (
        "Autoliquidation — article 196"
        in client.get(f"/orders/{order['number']}/").content.decode()
    )
    assert "Autoliquidation — article 196" in mail.outbox[0].body

    # Later changes touch no placed order.
    company.vat_number = ""
    company.save()
    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("25.00"))
    placed = Order.objects.get(number=order["number"])
    assert (placed.tax_total, placed.tax_mention) == (Decimal("0.00"), order["tax_mention"])
    assert client.get("/api/v1/cart").json()["lines"] == []


class _Vies(http.server.BaseHTTPRequestHandler):
    answer: object = {"valid": False}

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps(self.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def vies(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Vies)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.VIES_CHECK = True
    settings.VIES_URL = f"http://127.0.0.1:{server.server_port}/check"
    settings.VIES_TIMEOUT = 1
    cache.clear()
    yield _Vies
    server.shutdown()
    cache.clear()


@pytest.mark.parametrize(
    ("answer", "reason"),
    [({"valid": False}, None), ({"valid": True}, "reverse_charge")],
)
def test_vies_when_enabled_decides_the_reverse_charge(shop, client, vies, answer, reason):
    vies.answer = answer
    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("19.00"))
    buyer_of(client, CompanyFactory(code="KOELN", german=True, vat_number="DE136695976"))
    assert client.get("/api/v1/cart").json()["tax_lines"][0]["reason"] == reason


def test_vies_down_never_blocks_the_checkout(shop, client, settings):
    settings.VIES_CHECK = True
    settings.VIES_URL = "http://127.0.0.1:9/nothing-listens-here"
    settings.VIES_TIMEOUT = 0.5
    cache.clear()
    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("19.00"))
    buyer_of(client, CompanyFactory(code="KOELN", german=True, vat_number="DE136695976"))
    assert client.get("/api/v1/cart").json()["tax_lines"][0]["reason"] == "reverse_charge"
    response = client.post(
        "/api/v1/checkout", {"payment_method": "TRANSFER"}, content_type="application/json"
    )
    assert response.status_code == 201
