"""Integration API keys (issue 19): shown once, stored hashed, scoped, revocable, and never
mistaken for a buyer's token, nor a buyer's token for them."""

import pytest
from django.test import Client

from comptoir.accounts.permissions import BUILTIN_ROLES
from comptoir.integrations.keys import api_key_create, api_keys_revoke
from comptoir.integrations.models import ApiKey
from comptoir.integrations.scopes import READ, WRITE_CREDIT, WRITE_PRICES, WRITE_STOCK
from tests.factories import UserFactory
from tests.test_cross_company import url_patterns

from .conftest import key_headers

# Every ERP route, with the scope it needs and a body that would be good.
ERP_CALLS = [
    ("get", "/api/v1/erp/products", READ, None),
    ("get", "/api/v1/erp/price-lists", READ, None),
    ("get", "/api/v1/erp/price-entries", READ, None),
    ("get", "/api/v1/erp/price-lists/BASE/entries", READ, None),
    ("get", "/api/v1/erp/companies", READ, None),
    ("get", "/api/v1/erp/orders", READ, None),
    ("get", "/api/v1/erp/invoices", READ, None),
    ("get", "/api/v1/erp/invoices/FAC-2026-000001", READ, None),
    ("get", "/api/v1/erp/invoices/FAC-2026-000001/pdf", READ, None),
    ("get", "/api/v1/erp/deletions", READ, None),
    ("put", "/api/v1/erp/stock", WRITE_STOCK, {"items": [{"sku": "SCR-100", "stock": 5}]}),
    (
        "put",
        "/api/v1/erp/price-lists/BASE/entries",
        WRITE_PRICES,
        {"entries": [{"sku": "SCR-100", "min_qty": 1, "price": "4.00"}]},
    ),
    ("patch", "/api/v1/erp/companies/ACME", WRITE_CREDIT, {"credit_limit": "100.00"}),
]


def call(client, method, path, body, headers):
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, body, content_type="application/json", **headers)


def test_every_erp_route_is_listed_here():
    routes = {route for route, _name, _groups in url_patterns() if "api/v1/erp/" in route}
    assert len(routes) == 12  # GET and PUT share one path
    assert len({(method, path) for method, path, _scope, _body in ERP_CALLS}) == 13


def test_the_key_is_shown_once_and_stored_as_a_digest(store):
    key, plain = api_key_create(name="SAP B1", scopes=[READ, WRITE_STOCK])
    assert plain.startswith("ck_") and len(plain) > 40
    stored = ApiKey.objects.get(pk=key.pk)
    assert plain not in (stored.digest, stored.hint) and stored.hint == plain[:10]
    assert stored.scopes == [READ, WRITE_STOCK]


@pytest.mark.parametrize(("method", "path", "scope", "body"), ERP_CALLS)
def test_a_key_without_the_scope_is_refused_before_the_body(
    client, shop, method, path, scope, body
):
    others = [s for s in (READ, WRITE_STOCK, WRITE_PRICES, WRITE_CREDIT) if s != scope]
    response = call(client, method, path, {"bad": True} if body else None, key_headers(*others))
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    allowed = call(client, method, path, body, key_headers(scope))
    assert allowed.status_code in (200, 404)  # no invoice FAC-2026-000001 in the shop


@pytest.mark.parametrize(("method", "path", "scope", "body"), ERP_CALLS)
def test_no_key_a_revoked_key_and_a_buyers_token_get_401(client, shop, method, path, scope, body):
    headers = key_headers(scope)
    api_keys_revoke(key_ids=list(ApiKey.objects.values_list("pk", flat=True)))
    buyer = client.post(
        "/api/v1/auth/token",
        {"email": shop.buyer.email, "password": "Comptoir-2026!"},
        content_type="application/json",
    ).json()["token"]
    for credentials in ({}, headers, {"HTTP_AUTHORIZATION": f"Bearer {buyer}"}):
        response = call(client, method, path, body, credentials)
        assert (response.status_code, response.json()["code"]) == (401, "login_required")


@pytest.mark.parametrize("role", list(BUILTIN_ROLES))
def test_no_company_role_reaches_an_erp_route_by_its_session(shop, role):
    client = Client()
    client.force_login(UserFactory(company=shop.company, role=role))
    for method, path, _scope, body in ERP_CALLS:
        assert call(client, method, path, body, {}).status_code == 401


def test_a_key_is_not_a_buyer_token(client, shop, erp):
    response = client.get("/api/v1/orders", **erp)
    assert (response.status_code, response.json()["code"]) == (401, "login_required")


def test_a_use_is_noted_once_a_minute(client, shop):
    headers = key_headers(READ)
    assert ApiKey.objects.get().last_used_at is None
    client.get("/api/v1/erp/products", **headers)
    first = ApiKey.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/erp/products", **headers)
    assert ApiKey.objects.get().last_used_at == first


def test_the_back_office_makes_a_key_and_shows_it_once(admin_client, store):
    response = admin_client.post(
        "/admin/integrations/apikey/add/",
        {"name": "Odoo", "scopes": [READ, WRITE_PRICES]},
        follow=True,
    )
    key = ApiKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) >= 1 and key.hint in shown[0]
    assert (key.name, key.scopes) == ("Odoo", [READ, WRITE_PRICES])
    plain = shown[0].rsplit(" ", 1)[-1]
    client = Client()
    assert (
        client.get("/api/v1/erp/products", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200
    )
    page = admin_client.get(f"/admin/integrations/apikey/{key.pk}/change/").content.decode()
    assert plain not in page
