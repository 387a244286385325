"""The ERP's bulk stock writes (raw SQL) leave the search index right (catalog/search.py)."""

from comptoir.catalog.tests.test_search import found


def test_the_erp_bulk_stock_keeps_search_right(client, shop, erp):
    assert found("nitrile") == ["GLV-12"]
    response = client.put(
        "/api/v1/erp/stock",
        {"items": [{"sku": "GLV-12", "stock": 3}]},
        content_type="application/json",
        **erp,
    )
    assert response.json()["changed"] == 1
    assert found("nitrile") == ["GLV-12"]
