"""Orders as CSV: the rows, their format, a constant number of queries, and `export_orders`."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from comptoir.core.models import Store
from comptoir.ordering.models import Order, OrderStatus, PaymentStatus
from comptoir.ordering.order_export import order_csv_chunks, write_orders_csv
from tests.factories import CompanyFactory, ProductFactory, create_order

UTC = datetime.UTC
HEADER = (
    "order_number,placed_at,status,payment_status,company_code,company_name,po_number,"
    "payment_method,shipping_method,currency,sku,name,quantity,unit_price,gross,discount,net,"
    "tax_rate,order_subtotal,order_discount,order_shipping,order_tax,order_total\n"
)


@pytest.fixture
def orders(store):
    """Two orders of March 2026 and one placed at 00:30 on 1 April, Paris time (22:30 UTC)."""
    screws = ProductFactory(sku="SCR-4X40", name="Wood screws 4 × 40 mm, zinc-plated")
    gloves = ProductFactory(sku="GLV-NIT-9", name="Nitrile work gloves, size 9")
    dupont = CompanyFactory(code="DUPONT", name="Dupont Quincaillerie SAS")
    mueller = CompanyFactory(code="MUELLER", name="Müller Werkzeuge GmbH", german=True)
    first = create_order(
        company=dupont,
        items=[(screws, 24, Decimal("9.50")), (gloves, 12, Decimal("3.3333"))],
        volume_percent=Decimal("3.00"),
        number="CMD-2026-000001",
        placed_at=datetime.datetime(2026, 3, 14, 9, 30, 15, 123456, tzinfo=UTC),
        po_number="PO-4471",
        payment_method_code="INVOICE30",
        shipping_method_code="STD-48H",
    )
    second = create_order(
        company=mueller,
        items=[(gloves, 1200, Decimal("3.1000"))],
        shipping_total=Decimal("0.00"),
        number="CMD-2026-000002",
        placed_at=datetime.datetime(2026, 3, 20, 16, 0, tzinfo=UTC),
        status=OrderStatus.SHIPPED,
        payment_status=PaymentStatus.PAID,
        po_number='=HYPERLINK("http://evil.example")',
    )
    third = create_order(
        company=dupont,
        items=[(screws, 2, Decimal("10.40"))],
        number="CMD-2026-000003",
        placed_at=datetime.datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
        status=OrderStatus.CANCELLED,
    )
    return first, second, third


ROWS = {
    "CMD-2026-000001": (
        "CMD-2026-000001,2026-03-14T10:30:15+01:00,placed,unpaid,DUPONT,Dupont Quincaillerie SAS,"
        'PO-4471,INVOICE30,STD-48H,EUR,SCR-4X40,"Wood screws 4 × 40 mm, zinc-plated",24,9.50,'
        "228.00,6.84,221.16,20.00,268.00,8.04,15.00,54.99,329.95\n"
        "CMD-2026-000001,2026-03-14T10:30:15+01:00,placed,unpaid,DUPONT,Dupont Quincaillerie SAS,"
        'PO-4471,INVOICE30,STD-48H,EUR,GLV-NIT-9,"Nitrile work gloves, size 9",12,3.3333,'
        "40.00,1.20,38.80,20.00,268.00,8.04,15.00,54.99,329.95\n"
    ),
    "CMD-2026-000002": (
        "CMD-2026-000002,2026-03-20T17:00:00+01:00,shipped,paid,MUELLER,Müller Werkzeuge GmbH,"
        '"\'=HYPERLINK(""http://evil.example"")",BANK,STD,EUR,GLV-NIT-9,'
        '"Nitrile work gloves, size 9",1200,3.10,3720.00,0.00,3720.00,20.00,'
        "3720.00,0.00,0.00,744.00,4464.00\n"
    ),
    "CMD-2026-000003": (
        "CMD-2026-000003,2026-04-01T00:30:00+02:00,cancelled,unpaid,DUPONT,"
        'Dupont Quincaillerie SAS,,BANK,STD,EUR,SCR-4X40,"Wood screws 4 × 40 mm, zinc-plated",'
        "2,10.40,20.80,0.00,20.80,20.00,20.80,0.00,15.00,7.16,42.96\n"
    ),
}


def csv_text(orders_queryset):
    return "".join(order_csv_chunks(orders_queryset))


def test_one_row_per_line_in_the_store_time_zone_with_plain_decimals(orders):
    assert csv_text(Order.objects.all()) == (
        HEADER + ROWS["CMD-2026-000001"] + ROWS["CMD-2026-000002"] + ROWS["CMD-2026-000003"]
    )


def test_only_the_given_orders_in_placing_order(orders):
    first, _second, third = orders
    assert csv_text(Order.objects.filter(pk__in=[third.pk, first.pk])) == (
        HEADER + ROWS["CMD-2026-000001"] + ROWS["CMD-2026-000003"]
    )
    assert csv_text(Order.objects.none()) == HEADER


def test_an_order_without_lines_still_has_its_row(orders):
    first, _second, _third = orders
    first.lines.all().delete()
    assert csv_text(Order.objects.filter(pk=first.pk)) == HEADER + (
        "CMD-2026-000001,2026-03-14T10:30:15+01:00,placed,unpaid,DUPONT,Dupont Quincaillerie SAS,"
        "PO-4471,INVOICE30,STD-48H,EUR,,,,,,,,,268.00,8.04,15.00,54.99,329.95\n"
    )


def test_the_store_time_zone_is_used(orders):
    Store.objects.update(time_zone="America/New_York")
    text = csv_text(Order.objects.filter(number="CMD-2026-000001"))
    assert ",2026-03-14T05:30:15-04:00," in text


def test_large_amounts_are_never_written_with_an_exponent(store):
    product = ProductFactory(sku="CBL-100", name="Copper cable 100 m")
    create_order(
        company=CompanyFactory(code="BIG", name="Big"),
        items=[(product, 100000, Decimal("1000.0000"))],
        number="CMD-2026-000100",
        placed_at=datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        tax_rate=Decimal("0.00"),
        shipping_total=Decimal("0.00"),
    )
    assert csv_text(Order.objects.all()).splitlines()[1] == (
        "CMD-2026-000100,2026-01-05T09:00:00+01:00,placed,unpaid,BIG,Big,,BANK,STD,EUR,CBL-100,"
        "Copper cable 100 m,100000,1000.00,100000000.00,0.00,100000000.00,0.00,"
        "100000000.00,0.00,0.00,0.00,100000000.00"
    )


@pytest.mark.parametrize("count", [1, 50])
def test_queries_do_not_grow_with_the_number_of_orders(store, django_assert_num_queries, count):
    products = ProductFactory.create_batch(3)
    for _ in range(count):
        create_order(company=CompanyFactory(), items=[(p, 2, Decimal("1.50")) for p in products])
    with django_assert_num_queries(2):  # the store's time zone, then the rows
        text = csv_text(Order.objects.all())
    assert len(text.splitlines()) == 1 + 3 * count


def test_the_text_comes_in_chunks(store):
    product = ProductFactory()
    for _ in range(3):
        create_order(company=CompanyFactory(), items=[(product, 1, Decimal("1.00"))] * 400)
    chunks = list(order_csv_chunks(Order.objects.all()))
    assert len(chunks) > 1
    assert "".join(chunks).count("\n") == 1 + 1200


def test_write_orders_csv_counts_the_rows(orders):
    stream = io.StringIO()
    assert write_orders_csv(Order.objects.all(), stream) == 4
    assert stream.getvalue() == csv_text(Order.objects.all())


# The export_orders command


def export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_orders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_writes_every_order_to_standard_output(orders):
    out, _err = export()
    assert out == HEADER + "".join(ROWS.values())


@pytest.mark.parametrize(
    ("args", "numbers"),
    [
        (["--from", "2026-03-15"], ["CMD-2026-000002", "CMD-2026-000003"]),
        (["--to", "2026-03-31"], ["CMD-2026-000001", "CMD-2026-000002"]),
        (["--from", "2026-04-01", "--to", "2026-04-01"], ["CMD-2026-000003"]),
        (["--from", "2026-03-14", "--to", "2026-03-14"], ["CMD-2026-000001"]),
        (["--from", "2026-03-15", "--to", "2026-03-19"], []),
        (["--status", "shipped"], ["CMD-2026-000002"]),
        (["--status", "cancelled", "--to", "2026-03-31"], []),
    ],
)
def test_command_filters_by_day_of_the_store_and_status(orders, args, numbers):
    out, _err = export(*args)
    assert out == HEADER + "".join(ROWS[number] for number in numbers)


def test_command_writes_a_utf8_file(orders, tmp_path):
    target = tmp_path / "orders.csv"
    _out, err = export("--status", "shipped", "-o", str(target))
    assert target.read_bytes() == (HEADER + ROWS["CMD-2026-000002"]).encode("utf-8")
    assert "Müller".encode() in target.read_bytes()
    assert err == f"Wrote 1 order line to {target}.\n"
    assert [path.name for path in tmp_path.iterdir()] == ["orders.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "--from: “2026-13-01” is not a date; write it YYYY-MM-DD"),
        (["--to", "31/03/2026"], "--to: “31/03/2026” is not a date; write it YYYY-MM-DD"),
        (["--from", ""], "--from: “” is not a date"),
        (["--from", "20260331"], "--from: “20260331” is not a date"),
        (["--to", "2026-W13-2"], "--to: “2026-W13-2” is not a date"),
        (["--status", "lost"], "--status: “lost” is not an order status; choose one of: placed,"),
        (["--status", "Shipped"], "--status: “Shipped” is not an order status"),
        (
            ["--from", "2026-04-02", "--to", "2026-04-01"],
            "--from 2026-04-02 is after --to 2026-04-01",
        ),
    ],
)
def test_command_refuses_bad_arguments_and_writes_nothing(orders, tmp_path, args, message):
    target = tmp_path / "orders.csv"
    with pytest.raises(CommandError) as refused:
        export(*args, "-o", str(target))
    assert message in str(refused.value)
    assert list(tmp_path.iterdir()) == []

    target.write_text("kept")
    with pytest.raises(CommandError):
        export(*args, "-o", str(target))
    assert target.read_text() == "kept"

    with pytest.raises(CommandError):
        export(*args)


def test_command_reports_a_file_it_cannot_write(orders, tmp_path):
    target = tmp_path / "missing" / "orders.csv"
    with pytest.raises(CommandError) as refused:
        export("-o", str(target))
    assert f"Cannot write {target}" in str(refused.value)
    assert list(tmp_path.iterdir()) == []

    with pytest.raises(CommandError):
        export("-o", str(tmp_path))  # a directory
    assert list(tmp_path.iterdir()) == []
