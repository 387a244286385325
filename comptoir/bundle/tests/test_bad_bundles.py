"""Every kind of bad bundle is refused whole, with the path of the bad value; nothing written."""

import pytest
from django.core.management import CommandError, call_command

from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db


def set_in(path, value):
    def change(bundle):
        *parents, last = path
        target = bundle
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def delete_in(path):
    def change(bundle):
        *parents, last = path
        target = bundle
        for key in parents:
            target = target[key]
        del target[last]

    return change


BAD_BUNDLES = {
    "quote of an unknown requester": (
        set_in(("quotes", 0, "requester"), "nobody@acme.example"),
        "quotes[0].requester: unknown user 'nobody@acme.example'",
    ),
    "quote line of an unknown product": (
        set_in(("quotes", 0, "rounds", 0, "lines", 0, "sku"), "NOPE-1"),
        "quotes[0].rounds[0].lines[0].sku: unknown product 'NOPE-1'",
    ),
    "quote line with a price and a discount": (
        set_in(("quotes", 0, "rounds", 0, "lines", 0, "discount_percent"), "5"),
        "quotes[0].rounds[0].lines[0]",
    ),
    "quote in an unknown state": (
        set_in(("quotes", 0, "state"), "draft"),
        "quotes[0].state",
    ),
    "quote without rounds": (
        set_in(("quotes", 0, "rounds"), []),
        "quotes[0].rounds",
    ),
    "quote naming an unknown order": (
        lambda b: b["quotes"][0].update(state="ordered", order="CMD-2026-999999"),
        "quotes[0].order: unknown order 'CMD-2026-999999'",
    ),
    "quote not ordered naming an order": (
        set_in(("quotes", 0, "order"), "CMD-2026-000001"),
        "quotes[0].order: only an ordered quote has an order, not a sent one",
    ),
    "quote event of an unknown user": (
        set_in(("quotes", 0, "events", 0, "actor"), "nobody@acme.example"),
        "quotes[0].events[0].actor: unknown user 'nobody@acme.example'",
    ),
    "quote event of an unknown action": (
        set_in(("quotes", 0, "events", 1, "action"), "approve"),
        "quotes[0].events[1].action",
    ),
    "quote event in an unknown state": (
        set_in(("quotes", 0, "events", 1, "to_state"), "shipped"),
        "quotes[0].events[1].to_state",
    ),
    "quote event twice": (
        lambda b: b["quotes"][0]["events"].append(dict(b["quotes"][0]["events"][0])),
        "quotes[0].events[2]: the same step by the same user at the same time twice",
    ),
    "quote line with a quantity of 0": (
        set_in(("quotes", 0, "rounds", 0, "lines", 0, "qty"), 0),
        "quotes[0].rounds[0].lines[0].qty",
    ),
    "order for an unknown location": (
        set_in(("orders", 0, "location"), "MARSEILLE"),
        "orders[0].location: unknown location 'MARSEILLE' of ACME",
    ),
    "user with an unknown role": (
        set_in(("companies", 0, "users", 0, "role"), "boss"),
        "companies[0].users[0].role: unknown role 'boss'",
    ),
    "store role with an unknown permission": (
        set_in(("roles", 0, "permissions"), ["see_prices", "fly"]),
        "roles[0].permissions: unknown permission 'fly'",
    ),
    "store role named like a built-in one": (
        set_in(("roles", 0, "code"), "viewer"),
        "roles[0].code: 'viewer' is a built-in role; do not list it",
    ),
    "user limited to an unknown location": (
        set_in(("companies", 0, "users", 1, "locations"), ["MARSEILLE"]),
        "companies[0].users[1].locations[0]: unknown location 'MARSEILLE'",
    ),
    "location shipping to an unknown address": (
        set_in(("companies", 0, "locations", 1, "addresses"), ["DEPOT"]),
        "companies[0].locations[1].addresses[0]: unknown address 'DEPOT'",
    ),
    "address in two locations": (
        set_in(("companies", 0, "locations", 1, "addresses"), ["WAREHOUSE", "HQ"]),
        "companies[0].locations[1].addresses[1]: address 'HQ' already belongs to location 'PARIS'",
    ),
    "location billed to an unknown address": (
        set_in(("companies", 0, "locations", 0, "billing_address"), "DEPOT"),
        "companies[0].locations[0].billing_address: unknown address 'DEPOT'",
    ),
    "duplicate location": (
        set_in(("companies", 0, "locations", 1, "code"), "PARIS"),
        "companies[0].locations[1].code: duplicate 'PARIS'",
    ),
    "empty list of locations": (
        set_in(("companies", 0, "locations"), []),
        "companies[0].locations:",
    ),
    "user limited to locations of a company that lists none": (
        set_in(
            ("companies", 1, "users"),
            [{"email": "x@nyc.example", "password": "p", "locations": ["HQ"]}],
        ),
        "companies[1].users[0].locations: the company lists no locations",
    ),
    "banner for an unknown group": (
        set_in(("banners", 0, "groups"), ["GHOST"]),
        "banners[0].groups[0]: unknown group 'GHOST'",
    ),
    "banner linking to a script": (
        set_in(("banners", 1, "link_url"), "javascript:alert(1)"),
        "banners[1].link_url:",
    ),
    "method excluding an unknown company": (
        set_in(("payment_methods", 0, "conditions", "excluded_companies"), ["GHOST"]),
        "payment_methods[0].conditions.excluded_companies[0]: unknown company 'GHOST'",
    ),
    "bad decimal": (
        set_in(("price_lists", 0, "entries", 0, "price"), "ten"),
        "price_lists[0].entries[0].price: not a decimal",
    ),
    "decimal as a float": (
        set_in(("price_lists", 0, "entries", 0, "price"), 10.5),
        "price_lists[0].entries[0].price: not a decimal",
    ),
    "too many decimal places": (
        set_in(("shipping_methods", 0, "price"), "15.001"),
        "shipping_methods[0].price: more than 2 decimal places",
    ),
    "unknown key": (
        set_in(("products", 1, "colour"), "red"),
        "products[1].colour: unknown key",
    ),
    "unknown top-level key": (set_in(("warehouses",), []), "warehouses: unknown key"),
    "missing reference": (
        set_in(("groups", 1, "price_lists"), ["NOPE"]),
        "groups[1].price_lists[0]: unknown price list 'NOPE'",
    ),
    "store naming a missing group": (
        set_in(("store", "default_group"), "GHOST"),
        "store.default_group: unknown group 'GHOST'",
    ),
    "negative stock": (
        set_in(("products", 0, "stock"), -5),
        "products[0].stock: Input should be greater than or equal to 0",
    ),
    "duplicate SKU": (
        set_in(("products", 3, "sku"), "SCR-100"),
        "products[3].sku: duplicate 'SCR-100' (also products[0])",
    ),
    "duplicate SKU in another case": (
        set_in(("products", 3, "sku"), "scr-100"),
        "products[3].sku: duplicate 'scr-100' (also products[0])",
    ),
    "invalid VAT number": (
        set_in(("companies", 0, "vat_number"), "FR40303265046"),
        "companies[0].vat_number: 'FR40303265046' is not a valid VAT number",
    ),
    "VAT number of another country": (
        set_in(("companies", 0, "vat_number"), "BE0403019261"),
        "companies[0].vat_number: 'BE0403019261' must start with FR",
    ),
    "bad date": (
        set_in(("price_lists", 1, "valid_from"), "2026-13-01"),
        "price_lists[1].valid_from: not a date",
    ),
    "bad enum": (
        set_in(("store", "access_mode"), "secret"),
        "store.access_mode: must be one of 'public', 'prices_hidden' or 'login_required'",
    ),
    "min_qty above max_qty": (
        set_in(("products", 0, "max_qty"), 12),
        None,
    ),
    "qty_step below 1": (
        set_in(("products", 0, "qty_step"), 0),
        "products[0].qty_step: Input should be greater than or equal to 1",
    ),
    "min_qty not a multiple of the step": (
        set_in(("products", 0, "min_qty"), 10),
        "products[0].min_qty: 10 is not a multiple of qty_step 12",
    ),
    "group rule not a multiple of its step": (
        set_in(("groups", 1, "order_rules", 0, "max_qty"), 50),
        "groups[1].order_rules[0].max_qty: 50 is not a multiple of qty_step 24",
    ),
    "group step leaving the product's minimum off its multiples": (
        set_in(("groups", 1, "order_rules", 0, "min_qty"), None),
        "groups[1].order_rules[0].min_qty: 12 is not a multiple of qty_step 24",
    ),
    "missing required value": (
        delete_in(("companies", 1, "name")),
        "companies[1].name: required",
    ),
    "unknown SKU in a price list": (
        set_in(("price_lists", 0, "entries", 2, "sku"), "NOPE-1"),
        "price_lists[0].entries[2].sku: unknown SKU 'NOPE-1'",
    ),
    "duplicate price tier": (
        set_in(("price_lists", 0, "entries", 1, "min_qty"), 1),
        "price_lists[0].entries[1].min_qty: duplicate tier SCR-100 from 1",
    ),
    "price-list parent cycle": (
        set_in(("price_lists", 0, "parent"), "GOLD"),
        "price_lists[1].parent: price lists cannot be their own ancestors",
    ),
    "category cycle": (
        set_in(("categories", 0, "parent"), "vis"),
        "categories[0].parent: the category tree has a cycle here",
    ),
    "empty list as a condition": (
        set_in(("payment_methods", 1, "conditions"), {"countries": []}),
        "payment_methods[1].conditions.countries: use null for no restriction",
    ),
    "invoice without payment terms": (
        delete_in(("payment_methods", 0, "net_days")),
        "payment_methods[0].net_days: required for an invoice method",
    ),
    "certificate expiring before issue": (
        set_in(("companies", 1, "tax_certificates", 0, "expires_on"), "2025-01-15"),
        "companies[1].tax_certificates[0].expires_on: must be after issued_on",
    ),
    "region not of the country": (
        set_in(("companies", 1, "region"), "ZZ"),
        "companies[1].region: 'ZZ' is not a region of US",
    ),
    "unknown country": (
        set_in(("tax_rates", 0, "country"), "XX"),
        "tax_rates[0].country: 'XX' is not an ISO 3166 country code",
    ),
    "user without password": (
        delete_in(("companies", 0, "users", 1, "password")),
        "companies[0].users[1]: give either password or password_hash",
    ),
    "same e-mail twice": (
        set_in(("companies", 1, "users", 0, "email"), "buyer@acme.example"),
        "companies[1].users[0].email: duplicate 'buyer@acme.example'",
    ),
    "visibility without companies": (
        set_in(("products", 2, "companies"), []),
        "products[2].companies: visibility 'companies' needs at least one company",
    ),
    "wrong type": (
        set_in(("products", 0, "pack_size"), "200"),
        "products[0].pack_size: must be a whole number",
    ),
    "segmentation value not a number": (
        set_in(("segmentation_rules", 0, "conditions", 0, "value"), "lots"),
        "segmentation_rules[0].conditions[0].value: 'lots' is not a number",
    ),
    "order of an unknown company": (
        set_in(("orders", 0, "company"), "GHOST"),
        "orders[0].company: unknown company 'GHOST'",
    ),
    "same tax rate twice on an order": (
        lambda bundle: bundle["orders"][0]["tax_lines"].append(
            {"rate": "20.00", "base": "1.00", "amount": "0.20", "reason": None}
        ),
        "orders[0].tax_lines[1].rate: duplicate",
    ),
    "comma inside a listed value": (
        set_in(("segmentation_rules", 1, "conditions", 0, "value"), ["FR,BE"]),
        "segmentation_rules[1].conditions[0].value: values of a list cannot contain commas",
    ),
    "store that is not an object": (set_in(("store",), []), "store: must be an object"),
    "section that is not a list": (
        set_in(("products",), {"sku": "X"}),
        "products: must be a list",
    ),
}
BAD_BUNDLES["min_qty above max_qty"] = (
    lambda bundle: bundle["products"][0].update(min_qty=24, max_qty=12),
    "products[0].max_qty: 12 is below min_qty 24",
)


@pytest.mark.parametrize("case", BAD_BUNDLES, ids=list(BAD_BUNDLES))
def test_bad_bundle_is_refused_with_its_path_and_writes_nothing(case, sample, write_bundle):
    change, expected = BAD_BUNDLES[case]
    change(sample)
    before = database_snapshot()

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))

    assert any(message.startswith(expected) for message in refused.value.messages), (
        refused.value.messages
    )
    assert database_snapshot() == before


def test_bad_bundle_over_a_loaded_store_changes_nothing(sample, write_bundle):
    load_store(write_bundle(sample))
    before = database_snapshot()
    sample["store"]["name"] = "Renamed"
    sample["products"][0]["name"] = "Renamed too"
    sample["orders"][0]["lines"][0]["qty"] = 0

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))

    assert refused.value.messages == [
        "orders[0].lines[0].qty: Input should be greater than or equal to 1"
    ]
    assert database_snapshot() == before


def test_every_error_is_reported_not_only_the_first(sample, write_bundle):
    sample["products"][0]["stock"] = -1
    sample["companies"][0]["vat_number"] = "FR00000000000"
    sample["store"]["currency"] = "EURO"

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))

    assert [message.split(":")[0] for message in refused.value.messages] == [
        "store.currency",
        "companies[0].vat_number",
        "products[0].stock",
    ]


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"products": [', encoding="utf-8")

    with pytest.raises(BundleError) as refused:
        load_store(path)

    assert refused.value.messages[0].startswith("(file): not valid JSON")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(BundleError) as refused:
        load_store(tmp_path / "nowhere.json")

    assert refused.value.messages[0].startswith("(file): cannot be read")


def test_command_reports_the_paths_and_fails(sample, write_bundle):
    sample["products"][0]["stock"] = -1

    with pytest.raises(CommandError) as refused:
        call_command("load_store", str(write_bundle(sample)))

    assert "nothing was written" in str(refused.value)
    assert "products[0].stock" in str(refused.value)


def test_an_sku_differing_only_in_case_from_a_stored_one_is_refused(sample, write_bundle):
    load_store(write_bundle(sample))
    before = database_snapshot()
    sample["products"][0]["sku"] = sample["products"][0]["sku"].lower()

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))

    assert refused.value.messages == [
        "products[0].sku: 'scr-100' differs only in case from the existing product 'SCR-100'"
    ]
    assert database_snapshot() == before
