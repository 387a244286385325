"""Who may call is decided before the body is read (API.md §2.1), and the OpenAPI document
declares the bearer scheme that decides it, so /api/v1/docs can send a token."""

import pytest

from comptoir.ordering.models import CartLine, Order

# Every write of a buyer, each with a body that would be refused as malformed (400).
BAD_BODIES = [
    ("put", "/api/v1/cart/lines/SCR-100", {"qty": [1]}),
    ("put", "/api/v1/cart/lines/SCR-100", "not json"),
    ("post", "/api/v1/cart/lines", {"lines": "SCR-100"}),
    ("post", "/api/v1/cart/lines", {}),
    ("post", "/api/v1/checkout", {"shipping_address": 12, "po_number": ["x"]}),
    ("post", "/api/v1/checkout", "not json"),
    ("post", "/api/v1/cart/import", b"\xff\xfe"),
    ("delete", "/api/v1/cart", "not json"),
    ("post", "/api/v1/orders/CMD-2026-000001/reorder", "not json"),
]


def send(client, method, path, body, **headers):
    content_type = "text/csv" if isinstance(body, bytes) else "application/json"
    return getattr(client, method)(path, body, content_type=content_type, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES)
def test_a_guest_is_refused_with_401_whatever_the_body(client, shop, method, path, body):
    response = send(client, method, path, body)

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "login_required"
    assert not CartLine.objects.exists()


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES)
def test_a_bad_token_is_refused_with_401_whatever_the_body(client, shop, method, path, body):
    response = send(client, method, path, body, Authorization="Bearer not-a-token")

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "login_required"


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES)
def test_a_pending_company_is_refused_with_403_whatever_the_body(api, shop, method, path, body):
    shop.company.status = "pending"
    shop.company.save()

    response = send(api, method, path, body)

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "company_not_approved"


def test_a_guest_asking_a_price_with_a_bad_quantity_in_a_closed_store_gets_401(client, shop):
    shop.store.access_mode = "login_required"
    shop.store.save()

    response = client.get("/api/v1/products/SCR-100/price?qty=abc")

    assert response.status_code == 401
    assert response.json()["code"] == "login_required"


def test_the_buyer_still_gets_400_for_a_malformed_body(api, shop):
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 120}, content_type="application/json")

    response = api.post("/api/v1/checkout", {"po_number": ["x"]}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert not Order.objects.exists()


def test_openapi_declares_the_bearer_scheme_on_the_operations_that_use_it(client, shop):
    document = client.get("/api/v1/openapi.json").json()

    assert document["components"]["securitySchemes"]["BearerAuth"]["type"] == "http"
    assert document["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    security = {
        (method, path): operation.get("security")
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert security[("post", "/api/v1/auth/token")] is None
    for buyers_only in [
        ("get", "/api/v1/account"),
        ("get", "/api/v1/cart"),
        ("delete", "/api/v1/cart"),
        ("put", "/api/v1/cart/lines/{sku}"),
        ("post", "/api/v1/cart/lines"),
        ("post", "/api/v1/cart/import"),
        ("post", "/api/v1/checkout"),
        ("get", "/api/v1/orders"),
        ("get", "/api/v1/orders/{number}"),
        ("post", "/api/v1/orders/{number}/reorder"),
    ]:
        assert security[buyers_only] == [{"BearerAuth": []}], buyers_only
    for guests_too in [
        ("get", "/api/v1/products"),
        ("get", "/api/v1/products/{sku}"),
        ("get", "/api/v1/products/{sku}/price"),
    ]:
        assert security[guests_too] == [{"BearerAuth": []}, {}], guests_too
