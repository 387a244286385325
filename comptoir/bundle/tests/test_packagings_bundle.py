"""Packagings in the store bundle: `products[].packagings` and price entries with a `unit`."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import Packaging, Product
from comptoir.pricing.models import PackagingPrice

pytestmark = pytest.mark.django_db

CASES = [
    {"unit": "Case", "factor": 144},
    {"unit": "pallet", "factor": 2880, "percent_off": "3", "qty_step": 2, "max_qty": 10},
]


def with_packagings(sample):
    screws = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    screws["packagings"] = [dict(item) for item in CASES]
    base = next(pl for pl in sample["price_lists"] if pl["code"] == "BASE")
    base["entries"].append({"sku": "SCR-200", "unit": "pallet", "price": "1050.00"})
    return sample


def dumped() -> str:
    out = io.StringIO()
    dump_store(out)
    return out.getvalue()


def test_packagings_and_their_prices_load_and_reload_unchanged(sample, write_bundle):
    path = write_bundle(with_packagings(sample))
    counts = load_store(path)
    screws = Product.objects.get(sku="SCR-200")
    assert list(screws.packagings.values_list("unit", "factor", "percent_off", "qty_step")) == [
        ("case", 144, None, None),
        ("pallet", 2880, Decimal("3.0000"), 2),
    ]
    price = PackagingPrice.objects.get()
    assert (price.price_list.code, price.packaging.unit, price.min_qty, price.price) == (
        "BASE",
        "pallet",
        1,
        Decimal("1050.0000"),
    )
    assert counts["price_entries"] == 6
    before = database_snapshot()
    load_store(path)
    assert database_snapshot() == before


def test_a_packaging_left_out_is_switched_off_and_absent_packagings_are_kept(sample, write_bundle):
    load_store(write_bundle(with_packagings(sample)))
    screws = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    screws["packagings"] = [{"unit": "case", "factor": 144}]
    base = next(pl for pl in sample["price_lists"] if pl["code"] == "BASE")
    base["entries"] = [entry for entry in base["entries"] if "unit" not in entry]
    load_store(write_bundle(sample, "second.json"))
    assert dict(Packaging.objects.values_list("unit", "enabled")) == {
        "case": True,
        "pallet": False,
    }
    assert not PackagingPrice.objects.exists()
    del screws["packagings"]
    load_store(write_bundle(sample, "third.json"))
    assert Packaging.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_dump_then_load_then_dump_is_identical_with_packagings(sample, write_bundle):
    load_store(write_bundle(with_packagings(sample)))
    first = dumped()
    dumped_screws = next(p for p in json.loads(first)["products"] if p["sku"] == "SCR-200")
    assert dumped_screws["packagings"][1] == {
        "unit": "pallet",
        "factor": 2880,
        "enabled": True,
        "percent_off": "3.00",
        "min_qty": None,
        "max_qty": 10,
        "qty_step": 2,
    }
    call_command("flush", interactive=False, verbosity=0)
    load_store(write_bundle(json.loads(first), "dump.json"))
    assert dumped() == first


def _screws(bundle):
    return next(p for p in bundle["products"] if p["sku"] == "SCR-200")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda b: _screws(b)["packagings"].append({"unit": "CASE", "factor": 12}),
            "products[1].packagings[2].unit: duplicate packaging 'case'",
        ),
        (
            lambda b: _screws(b)["packagings"].append({"unit": "piece", "factor": 12}),
            "products[1].packagings[2].unit: 'piece' is the product's base unit",
        ),
        (
            lambda b: _screws(b)["packagings"].append({"unit": "box", "factor": 1}),
            "products[1].packagings[2].factor",
        ),
        (
            lambda b: _screws(b)["packagings"][1].update(percent_off="100"),
            "products[1].packagings[1].percent_off",
        ),
        (
            lambda b: _screws(b)["packagings"][1].update(max_qty=9),
            "products[1].packagings[1].max_qty",
        ),
        (
            lambda b: b["price_lists"][0]["entries"].append(
                {"sku": "SCR-100", "unit": "pallet", "price": "1.00"}
            ),
            "price_lists[0].entries[4].unit: SCR-100 has no packaging 'pallet'",
        ),
    ],
)
def test_bad_packagings_are_refused_with_their_path(sample, write_bundle, change, expected):
    bundle = with_packagings(sample)
    change(bundle)
    before = database_snapshot()
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(bundle))
    assert any(message.startswith(expected) for message in refused.value.messages), (
        refused.value.messages
    )
    assert database_snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_an_order_line_in_a_packaging_round_trips_with_its_base_quantity(sample, write_bundle):
    line = sample["orders"][0]["lines"][0]
    line |= {"unit": "case", "base_qty": line["qty"] * 144}
    load_store(write_bundle(sample))
    first = dumped()
    dumped_line = json.loads(first)["orders"][0]["lines"][0]
    assert (dumped_line["unit"], dumped_line["base_qty"]) == ("case", line["qty"] * 144)
    call_command("flush", interactive=False, verbosity=0)
    load_store(write_bundle(json.loads(first), "dump.json"))
    assert dumped() == first


def test_an_order_line_with_a_unit_needs_its_base_quantity(sample, write_bundle):
    sample["orders"][0]["lines"][0]["unit"] = "case"
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))
    assert any(
        message.startswith("orders[0].lines[0].base_qty: a line in a packaging")
        for message in refused.value.messages
    ), refused.value.messages
