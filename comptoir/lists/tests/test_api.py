"""Requisition lists over the API: the contract, other people's lists 404, bad input, and as
many queries for 50 lists or lines as for 1."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.accounts.permissions import VIEWER
from comptoir.catalog.models import Product
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.ordering.models import CartLine
from comptoir.pricing.models import PriceEntry
from tests.factories import CompanyFactory, UserFactory

JSON = "application/json"


@pytest.fixture
def api(client, shop):
    client.force_login(shop.buyer)
    return client


def create(api, **body):
    body = {"name": "Weekly restock", **body}
    return api.post("/api/v1/lists", body, content_type=JSON)


def test_create_with_lines_then_read_it_priced_with_the_cart_s_messages(api, shop):
    answer = create(
        api,
        sharing="company",
        lines=[
            {"sku": "scr-100", "qty": 120, "note": "Lyon"},
            {"sku": "MNL-1", "qty": 9},
            {"sku": "NOPE", "qty": 1},
        ],
    )

    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert [(r["sku"], r["status"], r["code"]) for r in data["rows"]] == [
        ("scr-100", "added", None),
        ("MNL-1", "added", None),
        ("NOPE", "error", "unknown_sku"),
    ]
    listed = data["list"]
    assert (listed["name"], listed["sharing"], listed["owner"], listed["manageable"]) == (
        "Weekly restock",
        "company",
        "achats@acme.example",
        True,
    )
    assert [
        (x["sku"], x["qty"], x["note"], x["unit_price"], x["line_total"], x["available"])
        for x in listed["lines"]
    ] == [
        ("SCR-100", 120, "Lyon", "3.50", "420.00", True),
        ("MNL-1", 9, "", "12.00", "108.00", True),
    ]
    assert listed["lines"][0]["availability"] == {"status": "in_stock", "left": None}
    assert listed["lines"][1]["availability"] == {"status": "low_stock", "left": 5}
    assert listed["lines"][1]["errors"] == [
        {
            "code": "insufficient_stock",
            "message": "Only 5 of MNL-1 in stock: 9 requested.",
            "sku": "MNL-1",
        }
    ]
    assert api.get(f"/api/v1/lists/{listed['id']}").json() == listed


def test_to_cart_takes_the_chosen_lines_and_the_cart_reports_the_broken_rule(api, shop):
    list_id = create(api, lines=[{"sku": "SCR-100", "qty": 120}, {"sku": "MNL-1", "qty": 9}])
    list_id = list_id.json()["list"]["id"]

    answer = api.post(f"/api/v1/lists/{list_id}/to-cart", {"skus": ["MNL-1"]}, content_type=JSON)

    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert [(r["sku"], r["status"]) for r in data["rows"]] == [("MNL-1", "added")]
    assert [line["sku"] for line in data["cart"]["lines"]] == ["MNL-1"]
    assert data["cart"]["lines"][0]["errors"][0]["code"] == "insufficient_stock"
    assert data["cart"]["can_checkout"] is False
    everything = api.post(f"/api/v1/lists/{list_id}/to-cart", {}, content_type=JSON)
    assert dict(CartLine.objects.values_list("product__sku", "quantity")) == {
        "MNL-1": 18,
        "SCR-100": 120,
    }
    assert everything.status_code == 200


def test_patch_lines_and_delete(api, shop):
    list_id = create(api, lines=[{"sku": "SCR-100", "qty": 120}]).json()["list"]["id"]

    renamed = api.patch(
        f"/api/v1/lists/{list_id}",
        {"name": "Site B", "sharing": "location", "location": "main"},
        content_type=JSON,
    )
    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["name"], renamed.json()["location"]) == ("Site B", "MAIN")
    added = api.post(
        f"/api/v1/lists/{list_id}/lines",
        {"lines": [{"sku": "SCR-100", "qty": 30}]},
        content_type=JSON,
    )
    assert added.json()["list"]["lines"][0]["qty"] == 150
    put = api.put(
        f"/api/v1/lists/{list_id}/lines/scr-100", {"qty": 60, "note": "n"}, content_type=JSON
    )
    assert (put.json()["lines"][0]["qty"], put.json()["lines"][0]["note"]) == (60, "n")
    assert api.delete(f"/api/v1/lists/{list_id}/lines/NOPE").status_code == 404
    assert api.delete(f"/api/v1/lists/{list_id}/lines/SCR-100").json()["lines"] == []
    assert api.delete(f"/api/v1/lists/{list_id}").status_code == 204
    assert not RequisitionList.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": " "}, 422, "invalid_name"),
        ({"name": "x" * 121}, 422, "invalid_name"),
        ({"name": "A", "sharing": "everyone"}, 400, "invalid_request"),
        ({"name": "A", "sharing": "location", "location": "PARIS"}, 422, "unknown_location"),
        ({"name": "A", "lines": [{"sku": "SCR-100", "qty": "ten"}]}, 201, None),
        ({"name": "A", "lines": "SCR-100"}, 400, "invalid_request"),
    ],
)
def test_bad_bodies_get_a_clear_answer_and_write_nothing_wrong(api, shop, body, status, code):
    answer = api.post("/api/v1/lists", body, content_type=JSON)
    assert answer.status_code == status, answer.content
    if code:
        assert answer.json()["code"] == code
        assert not RequisitionList.objects.exists()
    else:
        assert answer.json()["rows"][0]["code"] == "invalid_quantity"
        assert not ListLine.objects.exists()


def test_other_people_s_lists_are_404_and_roles_without_lists_403(api, client, shop):
    private = create(api).json()["list"]["id"]
    colleague = UserFactory(company=shop.company, email="paul@acme.example")
    stranger = UserFactory(company=CompanyFactory(group=shop.group), email="x@other.example")
    for user in (colleague, stranger):
        client.force_login(user)
        assert client.get(f"/api/v1/lists/{private}").status_code == 404
        assert client.delete(f"/api/v1/lists/{private}").status_code == 404
        assert client.get("/api/v1/lists").json()["count"] == 0
    viewer = UserFactory(company=shop.company, email="v@acme.example", role=VIEWER)
    client.force_login(viewer)
    assert client.get("/api/v1/lists").json()["code"] == "permission_denied"
    client.logout()
    assert client.get("/api/v1/lists").status_code == 401
    assert client.post("/api/v1/lists", "not json", content_type=JSON).status_code == 401


def test_as_many_queries_for_50_lists_and_50_lines_as_for_1(api, shop):
    base = shop.store.base_price_list
    counts = {}
    for size in (1, 50):
        RequisitionList.objects.all().delete()
        for n in range(size):
            create(api, name=f"List {n}")
        first = RequisitionList.objects.order_by("id").first()
        for n in range(size):
            product, _ = Product.objects.get_or_create(
                sku=f"BULK-{n:03d}", defaults={"name": f"Bulk {n}", "stock": 100}
            )
            PriceEntry.objects.get_or_create(
                price_list=base, product=product, defaults={"price": Decimal("2.00")}
            )
            ListLine.objects.create(requisition_list=first, product=product, quantity=1)
        with CaptureQueriesContext(connection) as listing:
            assert len(api.get("/api/v1/lists?page_size=100").json()["items"]) == size
        with CaptureQueriesContext(connection) as detail:
            assert len(api.get(f"/api/v1/lists/{first.pk}").json()["lines"]) == size
        counts[size] = (len(listing), len(detail))
    assert counts[1] == counts[50], counts
