"""What the schemathesis run (.ci/schemathesis) found: inputs that gave a 500, each now a
clean answer (docs/security.md, "Findings")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def api(client, shop):
    client.force_login(shop.buyer)
    return client


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


@pytest.mark.parametrize("qty", ["²", "١٢", "𝟙𝟚", "12²", " 12", "+12", "-0"])
def test_a_price_quantity_must_be_ascii_digits(api, qty):
    # "²".isdigit() is true and int("²") raises: a 500 before; "١٢" was read as 12.
    response = api.get("/api/v1/products/SCR-100/price", {"qty": qty})
    assert_problem(response, 422, "invalid_quantity")


def test_a_good_price_quantity_still_prices(api):
    response = api.get("/api/v1/products/SCR-100/price", {"qty": "100"})
    assert response.status_code == 200
    assert response.json()["unit_price"] == "3.50"


def test_a_page_number_past_any_catalogue_is_bad_input_not_a_500(api):
    # OFFSET (page - 1) × page_size overflowed the database's integers.
    response = api.get("/api/v1/products", {"page": "4256008135790342047360098500608"})
    assert_problem(response, 400, "invalid_request")
    assert response.json()["errors"][0]["field"] == "page"
    last = api.get("/api/v1/products", {"page": 1_000_000})
    assert last.status_code == 200
    assert last.json()["items"] == []


@pytest.mark.parametrize(
    "body",
    [b"SCR-100,2\rGLV-12,24", b"SCR-100;2\r\nGLV-12;24\r", b"sku\tqty\rSCR-100\t2\rGLV-12\t24"],
)
def test_a_csv_file_with_old_mac_line_ends_is_read(api, body):
    # A lone "\r" made the csv module raise: a 500 before.
    response = api.post("/api/v1/cart/import", body, content_type="text/csv")
    assert response.status_code == 200, response.content
    rows = response.json()["rows"]
    assert [(row["sku"], row["qty"], row["status"]) for row in rows] == [
        ("SCR-100", 2, "added"),
        ("GLV-12", 24, "added"),
    ]


def test_a_csv_field_too_large_for_the_csv_module_refuses_the_file(api):
    response = api.post("/api/v1/cart/import", b"SCR-100," + b"9" * 200_000, "text/csv")
    assert_problem(response, 422, "invalid_file")
    assert api.get("/api/v1/cart").json()["lines"] == []


def test_the_quick_order_page_reads_the_same_files(api):
    upload = SimpleUploadedFile("order.csv", b"SCR-100,2\rGLV-12,24", content_type="text/csv")
    response = api.post("/quick-order/", {"file": upload})
    assert response.status_code == 200
    skus = sorted(line["sku"] for line in api.get("/api/v1/cart").json()["lines"])
    assert skus == ["GLV-12", "SCR-100"]
