"""Sales representatives in the store bundle (docs/bundle.md): `companies[].representatives`
and `orders[].placed_by` name existing staff users by e-mail."""

import copy
import io
import json

import pytest

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.ordering.models import Order
from comptoir.sales.models import Assignment
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anne(db):
    return StaffUserFactory(email="anne.martin@comptoir.example")


def with_representative(sample, email="anne.martin@comptoir.example"):
    bundle = copy.deepcopy(sample)
    acme = next(c for c in bundle["companies"] if c["code"] == "ACME")
    acme["representatives"] = [email]
    bundle["orders"][0]["placed_by"] = email
    return bundle


def dumped() -> dict:
    out = io.StringIO()
    dump_store(out)
    return json.loads(out.getvalue())


def test_representatives_and_placed_by_are_loaded_and_dumped(sample, write_bundle, anne):
    load_store(write_bundle(with_representative(sample)))
    assert list(Assignment.objects.values_list("representative__email", "company__code")) == [
        ("anne.martin@comptoir.example", "ACME")
    ]
    assert Order.objects.get(number=sample["orders"][0]["number"]).placed_by == anne
    first = dumped()
    acme = next(c for c in first["companies"] if c["code"] == "ACME")
    assert acme["representatives"] == ["anne.martin@comptoir.example"]
    assert first["orders"][0]["placed_by"] == "anne.martin@comptoir.example"

    load_store(write_bundle(first, "again.json"))
    assert dumped() == first


def test_an_empty_list_removes_and_null_keeps(sample, write_bundle, anne):
    load_store(write_bundle(with_representative(sample)))
    kept = copy.deepcopy(sample)
    load_store(write_bundle(kept, "kept.json"))
    assert Assignment.objects.count() == 1
    emptied = copy.deepcopy(sample)
    next(c for c in emptied["companies"] if c["code"] == "ACME")["representatives"] = []
    load_store(write_bundle(emptied, "emptied.json"))
    assert not Assignment.objects.exists()


def test_unknown_staff_users_are_refused(sample, write_bundle):
    StaffUserFactory(email="someone@comptoir.example")
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(with_representative(sample, "nobody@comptoir.example")))
    messages = refused.value.messages
    acme_position = next(i for i, c in enumerate(sample["companies"]) if c["code"] == "ACME")
    assert any(
        m.startswith(f"companies[{acme_position}].representatives[0]: unknown staff user")
        for m in messages
    ), messages
    assert any(m.startswith("orders[0].placed_by: unknown staff user") for m in messages)
    assert not Assignment.objects.exists()
