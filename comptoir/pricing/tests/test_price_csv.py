"""Price lists as CSV (issue 3, point 4): import all or nothing, export, commands, back office."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.pricing.models import PriceEntry
from comptoir.pricing.price_csv import error_lines, text_stream, write_price_list_csv
from comptoir.pricing.services import ImportResult, price_list_import_csv
from tests.factories import (
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    StaffUserFactory,
)

D = Decimal

GOOD = """sku,min_qty,price
SCR-100,1,12.50
SCR-100,50,11.8750
GLV-300,,4.2
"""


@pytest.fixture
def contract(store):
    """A contract list and three products; SCR-100 already costs 13.00 from 1 in the list."""
    for sku in ("SCR-100", "BLT-200", "GLV-300"):
        ProductFactory(sku=sku)
    price_list = PriceListFactory(code="ACME-2026")
    PriceEntryFactory(
        price_list=price_list, product=ProductFactory(sku="SCR-100"), price=D("13.00")
    )
    return price_list


def entries(price_list):
    return list(
        PriceEntry.objects.filter(price_list=price_list)
        .order_by("product__sku", "min_qty")
        .values_list("product__sku", "min_qty", "price")
    )


def load(price_list, text, mode="replace"):
    return price_list_import_csv(price_list=price_list, stream=io.StringIO(text), mode=mode)


def refusal(price_list, text, mode="replace"):
    with pytest.raises(BusinessRuleError) as caught:
        load(price_list, text, mode)
    assert caught.value.code == "invalid_csv"
    return caught.value


# Import


def test_good_file_creates_entries_with_exact_prices(contract):
    result = load(contract, GOOD)

    assert result == ImportResult(created=2, updated=1, deleted=0, unchanged=0)
    assert entries(contract) == [
        ("GLV-300", 1, D("4.2")),
        ("SCR-100", 1, D("12.50")),
        ("SCR-100", 50, D("11.875")),
    ]
    assert [str(price) for _sku, _qty, price in entries(contract)] == [
        "4.2000",
        "12.5000",
        "11.8750",
    ]


def test_replace_deletes_the_tiers_absent_from_the_file(contract):
    load(contract, GOOD)

    result = load(contract, "sku,min_qty,price\nSCR-100,50,11.80\nBLT-200,1,0.35\n")

    assert result == ImportResult(created=1, updated=1, deleted=2, unchanged=0)
    assert entries(contract) == [("BLT-200", 1, D("0.35")), ("SCR-100", 50, D("11.80"))]


def test_merge_keeps_the_tiers_absent_from_the_file(contract):
    load(contract, GOOD)

    result = load(
        contract, "sku,min_qty,price\nSCR-100,50,11.80\nBLT-200,1,0.35\nGLV-300,1,4.20\n", "merge"
    )

    assert result == ImportResult(created=1, updated=1, deleted=0, unchanged=1)
    assert entries(contract) == [
        ("BLT-200", 1, D("0.35")),
        ("GLV-300", 1, D("4.20")),
        ("SCR-100", 1, D("12.50")),
        ("SCR-100", 50, D("11.80")),
    ]


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_importing_the_same_file_again_changes_nothing(contract, mode):
    load(contract, GOOD, mode)
    before = list(PriceEntry.objects.filter(price_list=contract).values_list("id", "price"))

    assert load(contract, GOOD, mode) == ImportResult(created=0, updated=0, deleted=0, unchanged=3)
    assert list(PriceEntry.objects.filter(price_list=contract).values_list("id", "price")) == (
        before
    )


def test_semicolons_decimal_commas_bom_and_crlf_from_a_french_spreadsheet(contract):
    data = "sku;min_qty;price\r\nSCR-100;;12,5\r\nSCR-100;50;11,875\r\n;;\r\n\r\nGLV-300;1;4\r\n"
    stream = text_stream(io.BytesIO(b"\xef\xbb\xbf" + data.encode()))

    result = price_list_import_csv(price_list=contract, stream=stream)

    assert result == ImportResult(created=2, updated=1, deleted=0, unchanged=0)
    assert entries(contract) == [
        ("GLV-300", 1, D("4")),
        ("SCR-100", 1, D("12.50")),
        ("SCR-100", 50, D("11.875")),
    ]


def test_columns_in_another_order_with_capitals_and_quotes(contract):
    load(contract, 'Price,SKU,Min_Qty\n"12.50",SCR-100,1\n 7.00 , BLT-200 , 10 \n')

    assert entries(contract) == [("BLT-200", 10, D("7.00")), ("SCR-100", 1, D("12.50"))]


BAD_FILES = [
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12.50\nSCR-100,50,abc\n",
        {"line": 3, "field": "price", "message": "price: 'abc' is not a decimal"},
        id="bad-decimal",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,1.23456\n",
        {"line": 2, "field": "price", "message": "price: '1.23456' has more than 4 decimals"},
        id="five-decimals",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12.50\nSCR-100,10,-1.00\n",
        {"line": 3, "field": "price", "message": "price: '-1.00' is negative"},
        id="negative-price",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12.50\nSCR-100,10,\n",
        {"line": 3, "field": "price", "message": "price: missing"},
        id="missing-price",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12345678901.00\n",
        {
            "line": 2,
            "field": "price",
            "message": "price: '12345678901.00' is too large (at most 9999999999.9999)",
        },
        id="price-too-large",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12.50\nXYZ,1,3.00\n",
        {"line": 3, "field": "sku", "message": "unknown SKU 'XYZ'"},
        id="unknown-sku",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12.50\n,1,3.00\n",
        {"line": 3, "field": "sku", "message": "sku: missing"},
        id="missing-sku",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,50,12.50\nSCR-100,1,13.00\nSCR-100,50,11.00\n",
        {"line": 4, "field": None, "message": "duplicate tier SCR-100 from 50 (also line 2)"},
        id="duplicate-tier",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,0,12.50\n",
        {"line": 2, "field": "min_qty", "message": "min_qty: 0 is below 1"},
        id="min-qty-zero",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,abc,12.50\n",
        {"line": 2, "field": "min_qty", "message": "min_qty: 'abc' is not a whole number"},
        id="min-qty-not-a-number",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,2.5,12.50\n",
        {"line": 2, "field": "min_qty", "message": "min_qty: '2.5' is not a whole number"},
        id="min-qty-decimal",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,-5,12.50\n",
        {"line": 2, "field": "min_qty", "message": "min_qty: -5 is below 1"},
        id="min-qty-negative",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,3000000000,12.50\n",
        {"line": 2, "field": "min_qty", "message": "min_qty: '3000000000' is too large"},
        id="min-qty-too-large",
    ),
    pytest.param(
        "sku,price\nSCR-100,12.50\n",
        {"line": 1, "field": "min_qty", "message": "missing column 'min_qty'"},
        id="missing-column",
    ),
    pytest.param(
        "sku,min_qty,price,currency\nSCR-100,1,12.50,EUR\n",
        {
            "line": 1,
            "field": None,
            "message": "unexpected column 'currency' (the columns are sku, min_qty, price)",
        },
        id="extra-column",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1,12.50\nSCR-100,10,12,00\n",
        {
            "line": 3,
            "field": None,
            "message": "4 values where the header has 3 "
            "(a decimal comma needs ';' as separator, or quotes)",
        },
        id="extra-value",
    ),
    pytest.param(
        "sku,min_qty,price\nSCR-100,1\n",
        {"line": 2, "field": None, "message": "2 values where the header has 3"},
        id="missing-value",
    ),
    pytest.param(
        "",
        {
            "line": 1,
            "field": None,
            "message": "the file is empty (expected the header sku,min_qty,price)",
        },
        id="empty-file",
    ),
    pytest.param(
        "sku,min_qty,price\n\n",
        {"line": 1, "field": None, "message": "the file has a header but no price rows"},
        id="header-only",
    ),
    pytest.param(
        'sku,min_qty,price\nSCR-100,1,12.50\n"SCR-200,1,3.00\n',
        {
            "line": 3,
            "field": None,
            "message": "unreadable CSV: unexpected end of data",
        },
        id="unclosed-quote",
    ),
]


@pytest.mark.parametrize(("text", "error"), BAD_FILES)
@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_written(contract, text, error, mode):
    before = entries(contract)

    refused = refusal(contract, text, mode)

    assert refused.errors == [error]
    assert entries(contract) == before


def test_every_problem_is_reported_in_line_order(contract):
    text = (
        "sku,min_qty,price\n"
        "SCR-100,1,12.50\n"  # 2: good
        "XYZ,1,1.00\n"  # 3
        "SCR-100,0,abc\n"  # 4: two problems
        "SCR-100,50,10.00\n"  # 5: good
        "ABC,1,2.00\n"  # 6
        "SCR-100,50,9.00\n"  # 7
    )

    refused = refusal(contract, text)

    assert refused.message == "The file has 5 problems; nothing was written."
    assert error_lines(refused.errors) == [
        "line 3: unknown SKU 'XYZ'",
        "line 4: min_qty: 0 is below 1",
        "line 4: price: 'abc' is not a decimal",
        "line 6: unknown SKU 'ABC'",
        "line 7: duplicate tier SCR-100 from 50 (also line 5)",
    ]
    assert [(error["line"], error["field"]) for error in refused.errors] == [
        (3, "sku"),
        (4, "min_qty"),
        (4, "price"),
        (6, "sku"),
        (7, None),
    ]
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]


def test_a_file_that_is_not_utf8_is_refused(contract):
    stream = text_stream(
        io.BytesIO("sku,min_qty,price\nSCR-100,1,12.50\nÉCROU,1,1\n".encode("cp1252"))
    )

    with pytest.raises(BusinessRuleError) as caught:
        price_list_import_csv(price_list=contract, stream=stream)

    assert caught.value.errors[0]["message"] == (
        "the file is not UTF-8 text (save it as CSV UTF-8)"
    )
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]


def test_a_decimal_comma_is_refused_with_commas_as_separator(contract):
    refused = refusal(contract, 'sku,min_qty,price\nSCR-100,1,"12,50"\n')

    assert error_lines(refused.errors) == ["line 2: price: '12,50' is not a decimal"]


def test_an_unknown_mode_is_a_programming_error(contract):
    with pytest.raises(ValueError):
        load(contract, GOOD, "append")


def test_a_large_file_is_checked_with_one_query_per_thousand_skus(
    contract, django_assert_max_num_queries
):
    Product.objects.bulk_create(Product(sku=f"BULK-{n:04d}", name="Bulk") for n in range(2500))
    skus = list(Product.objects.values_list("sku", flat=True))
    text = "sku,min_qty,price\n" + "".join(f"{sku},1,1.00\n{sku},10,0.90\n" for sku in skus)

    # the lookup of ~2,500 SKUs (3 queries), the lock, the existing entries, the writes
    with django_assert_max_num_queries(12):
        result = load(contract, text)

    assert result.created + result.updated == 2 * len(skus)
    assert PriceEntry.objects.filter(price_list=contract).count() == 2 * len(skus)


# Export


def test_export_sorted_by_sku_then_quantity_with_two_to_four_decimals(contract):
    other = PriceListFactory(code="OTHER")
    PriceEntryFactory(price_list=other, product=ProductFactory(sku="BLT-200"), price=D("1.00"))
    load(
        contract,
        "sku,min_qty,price\nSCR-100,50,11.875\nGLV-300,1,4.2\nSCR-100,1,12.5\n"
        "BLT-200,10,0.1234\nBLT-200,2,1000\n",
    )
    stream = io.StringIO()

    assert write_price_list_csv(contract, stream) == 5
    assert stream.getvalue() == (
        "sku,min_qty,price\n"
        "BLT-200,2,1000.00\n"
        "BLT-200,10,0.1234\n"
        "GLV-300,1,4.20\n"
        "SCR-100,1,12.50\n"
        "SCR-100,50,11.875\n"
    )


def test_export_then_import_gives_identical_entries(contract):
    load(
        contract,
        "sku,min_qty,price\nSCR-100,50,11.875\nGLV-300,1,4.2\nSCR-100,1,12.5\n"
        "BLT-200,10,0.1234\nBLT-200,2,1000\nBLT-200,1,0\n",
    )
    stream = io.StringIO()
    write_price_list_csv(contract, stream)
    copy = PriceListFactory(code="ACME-COPY")

    created = load(copy, stream.getvalue())
    again = load(contract, stream.getvalue())

    assert created == ImportResult(created=6, updated=0, deleted=0, unchanged=0)
    assert again == ImportResult(created=0, updated=0, deleted=0, unchanged=6)
    assert entries(copy) == entries(contract)


# Management commands


def test_import_command_prints_the_counts(contract, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()

    call_command("import_prices", "ACME-2026", str(path), stdout=out)

    assert "2 created, 1 updated, 0 deleted, 0 unchanged" in out.getvalue()
    assert len(entries(contract)) == 3


def test_import_command_merges(contract, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("sku,min_qty,price\nBLT-200,1,0.35\n", encoding="utf-8")
    out = io.StringIO()

    call_command("import_prices", "ACME-2026", str(path), "--merge", stdout=out)

    assert "1 created, 0 updated, 0 deleted, 0 unchanged" in out.getvalue()
    assert entries(contract) == [("BLT-200", 1, D("0.35")), ("SCR-100", 1, D("13.00"))]


def test_import_command_reads_a_french_excel_file(contract, tmp_path):
    path = tmp_path / "prix.csv"
    path.write_bytes(b"\xef\xbb\xbfsku;min_qty;price\r\nSCR-100;1;12,50\r\n")

    call_command("import_prices", "ACME-2026", str(path), stdout=io.StringIO())

    assert entries(contract) == [("SCR-100", 1, D("12.50"))]


def test_import_command_lists_every_error_and_writes_nothing(contract, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("sku,min_qty,price\nSCR-100,1,abc\nXYZ,1,1.00\nBLT-200,1,2.00\n")

    with pytest.raises(CommandError) as caught:
        call_command("import_prices", "ACME-2026", str(path), stdout=io.StringIO())

    message = str(caught.value)
    assert "nothing was written" in message
    assert "line 2: price: 'abc' is not a decimal" in message
    assert "line 3: unknown SKU 'XYZ'" in message
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]


def test_import_command_refuses_an_unknown_list_or_file(contract, tmp_path):
    with pytest.raises(CommandError, match="no price list with the code NOPE"):
        call_command("import_prices", "NOPE", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_prices", "ACME-2026", str(tmp_path / "missing.csv"))


def test_export_command_writes_to_stdout_or_a_file(contract, tmp_path):
    out = io.StringIO()
    call_command("export_prices", "ACME-2026", stdout=out)
    assert out.getvalue() == "sku,min_qty,price\nSCR-100,1,13.00\n"

    path = tmp_path / "out.csv"
    call_command("export_prices", "ACME-2026", "-o", str(path), stderr=io.StringIO())
    assert path.read_text(encoding="utf-8") == "sku,min_qty,price\nSCR-100,1,13.00\n"

    with pytest.raises(CommandError, match="no price list"):
        call_command("export_prices", "NOPE")


def test_commands_round_trip_through_a_file(contract, tmp_path):
    load(contract, GOOD)
    path = tmp_path / "acme.csv"
    call_command("export_prices", "ACME-2026", "-o", str(path), stderr=io.StringIO())
    copy = PriceListFactory(code="ACME-COPY")

    call_command("import_prices", "ACME-COPY", str(path), stdout=io.StringIO())

    assert entries(copy) == entries(contract)


# Back office


def import_url(price_list):
    return reverse("admin:pricing_pricelist_import_csv", args=[price_list.pk])


def export_url(price_list):
    return reverse("admin:pricing_pricelist_export_csv", args=[price_list.pk])


def upload(text, name="prices.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def staff_with(*codenames):
    user = StaffUserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_change_page_links_to_import_and_export(admin_client, contract):
    response = admin_client.get(reverse("admin:pricing_pricelist_change", args=[contract.pk]))

    content = response.content.decode()
    assert import_url(contract) in content
    assert export_url(contract) in content


def test_admin_import_page_shows_the_form(admin_client, contract):
    response = admin_client.get(import_url(contract))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert "csrfmiddlewaretoken" in content
    assert 'name="mode"' in content
    assert 'class="breadcrumbs"' in content


def test_admin_import_of_a_good_file(admin_client, contract):
    response = admin_client.post(
        import_url(contract), {"file": upload(GOOD), "mode": "replace"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "admin:pricing_pricelist_change", args=[contract.pk]
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Prices imported into ACME-2026: 2 created, 1 updated, 0 deleted, 0 unchanged."
    ]
    assert len(entries(contract)) == 3
    history = admin_client.get(reverse("admin:pricing_pricelist_history", args=[contract.pk]))
    assert "2 created, 1 updated, 0 deleted, 0 unchanged" in history.content.decode()


def test_admin_import_in_merge_mode(admin_client, contract):
    admin_client.post(
        import_url(contract),
        {"file": upload("sku,min_qty,price\nBLT-200,1,0.35\n"), "mode": "merge"},
    )

    assert entries(contract) == [("BLT-200", 1, D("0.35")), ("SCR-100", 1, D("13.00"))]


def test_admin_import_of_a_bad_file_lists_the_lines_and_writes_nothing(admin_client, contract):
    bad = "sku,min_qty,price\nSCR-100,1,abc\nXYZ,1,1.00\nBLT-200,1,2.00\n"

    response = admin_client.post(import_url(contract), {"file": upload(bad), "mode": "replace"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "The file has 2 problems; nothing was written." in content
    assert "line 2: price: &#x27;abc&#x27; is not a decimal" in content
    assert "line 3: unknown SKU &#x27;XYZ&#x27;" in content
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]


def test_admin_import_shows_the_first_problems_of_a_very_bad_file(admin_client, contract):
    bad = "sku,min_qty,price\n" + "SCR-100,0,1.00\n" * 205

    response = admin_client.post(import_url(contract), {"file": upload(bad), "mode": "merge"})

    content = response.content.decode()
    assert "The file has 205 problems; nothing was written." in content
    assert "line 201: min_qty: 0 is below 1" in content
    assert "line 202:" not in content
    assert "… and 5 more problems." in content
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]


def test_admin_import_without_a_file_shows_the_form_error(admin_client, contract):
    response = admin_client.post(import_url(contract), {"mode": "replace"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This field is required."]}


def test_admin_import_needs_the_change_permission(client, contract):
    client.force_login(staff_with("view_pricelist"))

    assert client.get(import_url(contract)).status_code == 403
    response = client.post(import_url(contract), {"file": upload(GOOD), "mode": "replace"})

    assert response.status_code == 403
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]
    change_page = client.get(reverse("admin:pricing_pricelist_change", args=[contract.pk]))
    assert import_url(contract) not in change_page.content.decode()
    assert export_url(contract) in change_page.content.decode()


def test_admin_import_refuses_a_post_without_csrf_token(contract):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_with("view_pricelist", "change_pricelist"))

    response = client.post(import_url(contract), {"file": upload(GOOD), "mode": "replace"})

    assert response.status_code == 403
    assert entries(contract) == [("SCR-100", 1, D("13.00"))]


def test_admin_import_with_the_change_permission(client, contract):
    client.force_login(staff_with("view_pricelist", "change_pricelist"))

    response = client.post(import_url(contract), {"file": upload(GOOD), "mode": "replace"})

    assert response.status_code == 302
    assert len(entries(contract)) == 3


def test_admin_pages_of_a_missing_list_redirect(admin_client, store):
    assert admin_client.get(import_url(PriceListFactory.build(pk=9999))).status_code == 302
    assert admin_client.get(export_url(PriceListFactory.build(pk=9999))).status_code == 302


def test_admin_export_downloads_the_list(admin_client, contract):
    load(contract, GOOD)

    response = admin_client.get(export_url(contract))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ACME-2026.csv"'
    assert b"".join(response.streaming_content).decode() == (
        "sku,min_qty,price\nGLV-300,1,4.20\nSCR-100,1,12.50\nSCR-100,50,11.875\n"
    )


def test_admin_export_needs_the_view_permission(client, contract):
    client.force_login(staff_with("view_pricelist"))
    assert client.get(export_url(contract)).status_code == 200

    client.force_login(staff_with("view_product"))
    assert client.get(export_url(contract)).status_code == 403


def test_skus_are_read_without_regard_to_case(contract):
    load(contract, "sku,min_qty,price\nscr-100,1,12.50\nGlv-300,1,4.20\n")

    assert entries(contract) == [("GLV-300", 1, D("4.2")), ("SCR-100", 1, D("12.5"))]
