"""The bundle loader writes products in bulk, without signals: it rewrites their search text
itself (catalog/search.py)."""

import pytest

from comptoir.bundle.loader import load_store
from comptoir.catalog.tests.test_search import found

pytestmark = pytest.mark.django_db


def test_the_bundle_loader_writes_the_search_text(sample, write_bundle):
    product = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    product["name"] = "Vis à métaux inoxydable"
    load_store(write_bundle(sample))
    assert found("metaux inox") == ["SCR-200"]
    product["name"] = "Vis à bois"
    load_store(write_bundle(sample))
    assert found("metaux") == []
    assert found("vis bois") == ["SCR-200"]
