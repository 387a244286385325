"""Returns on the storefront, in the back office and over the API."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from comptoir.returns.models import ReturnRequest
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Comptoir-2026!"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(order, **quantities):
    data = {"reason": "damaged", "comment": "Crushed box"}
    for line in order.lines.all():
        if line.sku in quantities:
            data[f"line_{line.pk}"] = str(quantities[line.sku])
    return data


def test_the_order_page_offers_a_return_and_the_form_creates_it(client, shop, delivered):
    client.force_login(shop.buyer)
    page = client.get(f"/orders/{delivered.number}/").content.decode()
    assert f'href="/orders/{delivered.number}/return/"' in page

    data = form_data(delivered, **{"SCR-100": "5"})
    data["photo"] = SimpleUploadedFile("box.png", PNG, content_type="image/png")
    response = client.post(f"/orders/{delivered.number}/return/", data)

    found = ReturnRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/returns/{found.number}/"
    assert (found.comment, found.photo_type) == ("Crushed box", "image/png")
    assert found.photo.name.endswith(".png")
    page = client.get(f"/returns/{found.number}/").content.decode()
    assert "Requested" in page and "SCR-100" in page
    photo = client.get(f"/returns/{found.number}/photo/")
    assert (photo.status_code, photo["Content-Type"]) == (200, "image/png")
    assert (
        f'href="/returns/{found.number}/"'
        in client.get(f"/orders/{delivered.number}/").content.decode()
    )


def test_a_photo_that_is_no_image_and_too_many_units_are_refused(client, shop, delivered):
    client.force_login(shop.buyer)
    data = form_data(delivered, **{"SCR-100": "5"})
    data["photo"] = SimpleUploadedFile("x.png", b"<script>", content_type="image/png")
    page = client.post(f"/orders/{delivered.number}/return/", data).content.decode()
    assert "this file is none of them" in page
    page = client.post(
        f"/orders/{delivered.number}/return/", form_data(delivered, **{"MNL-1": "4"})
    ).content.decode()
    assert "Ensure this value is less than or equal to 3." in page
    assert not ReturnRequest.objects.exists()


def test_the_buyer_withdraws_a_return(client, shop, delivered):
    client.force_login(shop.buyer)
    client.post(f"/orders/{delivered.number}/return/", form_data(delivered, **{"MNL-1": "1"}))
    found = ReturnRequest.objects.get()
    client.post(f"/returns/{found.number}/cancel/")
    found.refresh_from_db()
    assert found.state == "cancelled"


def test_the_merchant_moves_a_return_to_its_credit_note(admin_client, client, shop, delivered):
    client.force_login(shop.buyer)
    client.post(f"/orders/{delivered.number}/return/", form_data(delivered, **{"MNL-1": "1"}))
    found = ReturnRequest.objects.get()
    move = reverse("admin:returns_returnrequest_move", args=[found.pk])
    change = admin_client.get(reverse("admin:returns_returnrequest_change", args=[found.pk]))
    assert 'value="accept"' in change.content.decode()
    for action in ("accept", "receive_restock", "credit"):
        assert admin_client.post(move, {"action": action, "message": "OK"}).status_code == 302
    found.refresh_from_db()
    assert found.state == "credited"
    assert found.credit_note.total == Decimal("12.66")  # 12.00 + 5.5 % VAT
    page = client.get(f"/returns/{found.number}/").content.decode()
    assert f'href="/credit-notes/{found.credit_note.number}.pdf"' in page


def _api(user) -> Client:
    api = Client()
    token = api.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return api


def test_the_api_asks_for_a_return_and_reads_it(shop, delivered):
    api = _api(shop.buyer)
    body = {"order": delivered.number, "lines": [{"sku": "SCR-100", "qty": 3}], "reason": "surplus"}
    response = api.post("/api/v1/returns", body, "application/json")
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    read = api.get(f"/api/v1/returns/{number}").json()
    assert (read["state"], read["lines"], read["credit_note"]) == (
        "requested",
        [{"sku": "SCR-100", "name": "Wood screws 4x40", "quantity": 3}],
        None,
    )
    too_many = api.post(
        "/api/v1/returns",
        {**body, "lines": [{"sku": "SCR-100", "qty": 118}]},
        "application/json",
    )
    assert (too_many.status_code, too_many.json()["code"]) == (
        422,
        "return_quantity_above_delivered",
    )
    stranger = _api(UserFactory(company=CompanyFactory(group=shop.group)))
    assert stranger.get(f"/api/v1/returns/{number}").status_code == 404
    assert stranger.post("/api/v1/returns", body, "application/json").status_code == 404


@pytest.mark.parametrize("count", [1, 50])
def test_the_api_list_costs_a_fixed_number_of_queries(
    shop, delivered, count, django_assert_max_num_queries
):
    line = delivered.lines.first()
    for n in range(count):
        found = ReturnRequest.objects.create(
            number=f"RMA-2026-{n + 1:06d}",
            order=delivered,
            company=shop.company,
            requested_by=shop.buyer,
            reason="other",
        )
        found.lines.create(order_line=line, sku=line.sku, name=line.name, quantity=1)
    api = _api(shop.buyer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/returns?page_size=100")
    assert response.json()["count"] == count
