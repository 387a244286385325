import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from comptoir.accounts.models import Role, User
from comptoir.bundle.dumper import dump_store
from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import Product
from comptoir.core.models import Store
from comptoir.customers.models import Company, CustomerGroup, Location
from comptoir.ordering.models import GroupOrderRule, Order
from comptoir.payments.models import PaymentMethod, ShippingMethod
from comptoir.pricing.models import PriceEntry, PriceList, Promotion
from comptoir.storefront.models import Banner
from comptoir.tax.models import TaxCertificate

pytestmark = pytest.mark.django_db


def dumped() -> str:
    out = io.StringIO()
    dump_store(out)
    return out.getvalue()


def test_load_writes_every_section(sample, write_bundle):
    counts = load_store(write_bundle(sample))

    assert counts["products"] == 4
    assert counts["price_entries"] == 5
    store = Store.objects.get()
    assert (store.name, store.default_group.code, store.base_price_list.code) == (
        "Comptoir Test",
        "RETAIL",
        "BASE",
    )
    assert store.min_order_amount == Decimal("150.00")
    screw = Product.objects.get(sku="SCR-100")
    assert (screw.unit, screw.pack_size, screw.min_qty, screw.max_qty, screw.qty_step) == (
        "box",
        200,
        12,
        1200,
        12,
    )
    assert screw.category.parent.code == "fixations"
    assert list(
        Product.objects.get(sku="BAG-ACME").visible_companies.values_list("code", flat=True)
    ) == ["ACME"]
    assert list(Product.objects.get(sku="PAL-1").visible_groups.values_list("code", flat=True)) == [
        "GOLD"
    ]
    gold = PriceList.objects.get(code="GOLD")
    assert (gold.parent.code, gold.adjustment_percent) == ("BASE", Decimal("-10"))
    invoice = PaymentMethod.objects.get(type="invoice")
    assert invoice.term_rule == "end_of_month"
    assert list(invoice.excluded_companies.values_list("code", flat=True)) == ["ACME"]
    winter = Banner.objects.get(code="WINTER")
    assert (
        winter.kind,
        winter.language,
        list(winter.customer_groups.values_list("code", flat=True)),
    ) == ("notice", "fr", ["GOLD"])
    assert Banner.objects.get(code="OFFERS").link_url == "/offers/"
    assert gold.valid_until == datetime.date(2026, 12, 31)
    assert list(gold.customer_groups.values_list("code", flat=True)) == ["GOLD"]
    assert PriceEntry.objects.get(price_list__code="BASE", product__sku="SCR-200").price == Decimal(
        "4.1234"
    )
    acme = Company.objects.get(code="ACME")
    assert acme.group.code == "GOLD"
    assert list(acme.price_lists.values_list("code", flat=True)) == ["ACME-CONTRACT"]
    assert [a.code for a in acme.addresses.all()] == ["HQ", "WAREHOUSE"]
    nyc = Company.objects.get(code="NYC")
    assert (nyc.group.code, nyc.status, nyc.region, nyc.pinned_group) == (
        "RETAIL",
        "pending",
        "NY",
        True,
    )
    certificate = TaxCertificate.objects.get(number="NY-123")
    assert certificate.expires_on == datetime.date(2027, 1, 15)
    buyer = User.objects.get(email="buyer@acme.example")
    assert buyer.company == acme and buyer.role == "admin"
    assert buyer.check_password("s3cret-acme")
    assert not buyer.is_staff
    rule = GroupOrderRule.objects.get()
    assert (rule.min_qty, rule.max_qty, rule.qty_step) == (48, None, 24)
    assert list(
        CustomerGroup.objects.get(code="NONPROFIT").catalog_categories.values_list(
            "code", flat=True
        )
    ) == ["fixations"]
    assert not CustomerGroup.objects.get(code="GOLD").limit_catalog
    promotion = Promotion.objects.get()
    assert list(promotion.products.values_list("sku", flat=True)) == ["SCR-200"]
    invoice = PaymentMethod.objects.get(code="INVOICE30")
    assert invoice.countries == ["BE", "FR"]
    assert list(invoice.customer_groups.values_list("code", flat=True)) == ["GOLD"]
    assert ShippingMethod.objects.get(code="PALLET").companies.get() == acme


def test_order_history_amounts_are_derived_as_design_says(sample, write_bundle):
    load_store(write_bundle(sample))

    order = Order.objects.get(number="CMD-2026-000001")
    screw, retired = order.lines.order_by("position")
    assert (screw.gross, screw.promotion_amount, screw.net) == (
        Decimal("228.00"),
        Decimal("11.40"),
        Decimal("216.60"),
    )
    assert screw.product.sku == "SCR-100" and screw.category_code == "vis"
    assert (retired.product, retired.gross, retired.tax_class) == (None, Decimal("3.33"), "")
    assert (order.subtotal, order.discount_total, order.shipping_total, order.tax_total) == (
        Decimal("231.33"),
        Decimal("11.40"),
        Decimal("15.00"),
        Decimal("44.59"),
    )
    assert order.total == Decimal("279.52")
    assert order.buyer.email == "buyer@acme.example"
    assert order.payment_method_name == "Facture à 30 jours"
    assert order.billing_address == order.shipping_address


def test_loading_the_same_bundle_twice_changes_nothing(sample, write_bundle):
    path = write_bundle(sample)
    load_store(path)
    before = database_snapshot()

    load_store(path)

    assert database_snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_dump_then_load_into_an_empty_database_then_dump_is_identical(sample, write_bundle):
    load_store(write_bundle(sample))
    first = dumped()
    call_command("flush", interactive=False, verbosity=0)
    assert not Product.objects.exists()

    load_store(write_bundle(json.loads(first), "dump.json"))

    assert dumped() == first
    assert first == json.dumps(json.loads(first), indent=1, ensure_ascii=False) + "\n"


def test_dump_writes_password_hashes_never_plain_passwords(sample, write_bundle):
    load_store(write_bundle(sample))

    text = dumped()

    assert "s3cret-acme" not in text
    user = json.loads(text)["companies"][0]["users"][0]
    assert user["password_hash"] == User.objects.get(email=user["email"]).password
    assert "password" not in user


def test_a_changed_bundle_updates_in_place(sample, write_bundle):
    load_store(write_bundle(sample))
    entry_ids = dict(
        PriceEntry.objects.values_list("min_qty", "id").filter(
            price_list__code="BASE", product__sku="SCR-100"
        )
    )
    sample["price_lists"][0]["entries"][1]["price"] = "7.90"
    del sample["price_lists"][0]["entries"][2]
    sample["companies"][0]["addresses"].pop()
    sample["companies"][0]["locations"][1]["addresses"] = []
    sample["companies"][0]["users"][0]["password"] = "new-password"

    load_store(write_bundle(sample))

    entries = PriceEntry.objects.filter(price_list__code="BASE").order_by("min_qty")
    assert [(e.id, e.product.sku, e.min_qty, e.price) for e in entries] == [
        (entry_ids[1], "SCR-100", 1, Decimal("10.0000")),
        (entry_ids[100], "SCR-100", 100, Decimal("7.9000")),
    ]
    assert [a.code for a in Company.objects.get(code="ACME").addresses.all()] == ["HQ"]
    assert User.objects.get(email="buyer@acme.example").check_password("new-password")


def test_a_partial_bundle_may_refer_to_what_is_already_in_the_database(sample, write_bundle):
    load_store(write_bundle(sample))
    partial = {
        "price_lists": [{"code": "PROMO-ETE", "entries": [{"sku": "SCR-200", "price": "3.90"}]}],
        "groups": [{"code": "SUMMER", "name": "Été", "price_lists": ["PROMO-ETE", "GOLD"]}],
    }

    load_store(write_bundle(partial, "partial.json"))

    assert set(
        CustomerGroup.objects.get(code="SUMMER").price_lists.values_list("code", flat=True)
    ) == {"PROMO-ETE", "GOLD"}
    assert Product.objects.count() == 4


def test_user_password_hash_is_kept_as_given(sample, write_bundle):
    password_hash = make_password("from-the-old-shop")
    sample["companies"][1]["users"][0] = {"email": "ny@nys.example", "password_hash": password_hash}

    load_store(write_bundle(sample))

    user = User.objects.get(email="ny@nys.example")
    assert user.password == password_hash
    assert user.check_password("from-the-old-shop")


def test_commands_load_and_dump(sample, write_bundle, tmp_path):
    out = io.StringIO()
    call_command("load_store", str(write_bundle(sample)), stdout=out)
    assert "4 products" in out.getvalue()

    call_command("dump_store", output=str(tmp_path / "dump.json"))

    assert json.loads((tmp_path / "dump.json").read_text())["store"]["name"] == "Comptoir Test"


def test_company_teams_load_with_roles_locations_and_users_limited_to_them(sample, write_bundle):
    load_store(write_bundle(sample))

    acme = Company.objects.get(code="ACME")
    assert [(loc.code, loc.name, loc.billing_address.code) for loc in acme.locations.all()[:1]] == [
        ("PARIS", "Head office", "HQ")
    ]
    assert {a.code: a.location.code for a in acme.addresses.select_related("location")} == {
        "HQ": "PARIS",
        "WAREHOUSE": "LYON",
    }
    lou = User.objects.get(email="second@acme.example")
    assert (lou.role, lou.all_locations) == ("STOREKEEPER", False)
    assert [loc.code for loc in lou.locations.all()] == ["LYON"]
    admin = User.objects.get(email="buyer@acme.example")
    assert (admin.role, admin.all_locations, admin.locations.count()) == ("admin", True, 0)
    assert Role.objects.get(code="STOREKEEPER").permissions == ["see_prices", "manage_lists"]
    # A company whose item lists no locations gets its main one.
    assert list(Location.objects.filter(company__code="NYC").values_list("code", "name")) == [
        ("MAIN", "New York Supplies")
    ]


def test_a_bundle_without_locations_keeps_those_of_the_store(sample, write_bundle):
    load_store(write_bundle(sample))
    del sample["companies"][0]["locations"]
    sample["companies"][0]["users"][1]["locations"] = None

    load_store(write_bundle(sample))

    assert [loc.code for loc in Location.objects.filter(company__code="ACME")] == ["PARIS", "LYON"]
    assert User.objects.get(email="second@acme.example").all_locations is True
    assert not User.objects.get(email="second@acme.example").locations.exists()


def test_orders_belong_to_the_location_named_else_the_first(sample, write_bundle):
    load_store(write_bundle(sample))
    located = dict(Order.objects.values_list("number", "location__code"))
    assert located["CMD-2026-000001"] == "LYON"
    assert set(located.values()) <= {"LYON", "PARIS", "MAIN"}
    assert all(code is not None for code in located.values())


def test_a_location_with_orders_cannot_be_dropped_by_a_bundle(sample, write_bundle):
    load_store(write_bundle(sample))
    sample["companies"][0]["locations"].pop()  # LYON, which has an order
    sample["companies"][0]["users"][1]["locations"] = None
    sample["orders"][0]["location"] = None

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))

    assert "companies[0].locations: location 'LYON' has orders: keep it" in refused.value.messages
