"""Orders as CSV: one row per order line, with the order's figures repeated on each of its rows.

The format is for spreadsheets and accounting imports, so it is fixed: the header names are
not translated, statuses are their codes, decimals are plain text with a dot ("1234.50"),
`placed_at` is ISO 8601 in the store's time zone, the text is UTF-8 with a header row.
Rows stream from one query (`iterator`), so any number of orders takes the same number of
queries and bounded memory. An order without lines (none is placed so) gets one row with
empty line columns, so that no order is ever missing from an export.
"""

import csv
import datetime
from collections.abc import Iterator
from typing import IO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from comptoir.core.models import Store
from comptoir.core.money import format_decimal
from comptoir.ordering.models import Order

COLUMNS = (
    "order_number",
    "placed_at",
    "status",
    "payment_status",
    "company_code",
    "company_name",
    "po_number",
    "payment_method",
    "shipping_method",
    "currency",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "gross",
    "discount",
    "net",
    "tax_rate",
    "order_subtotal",
    "order_discount",
    "order_shipping",
    "order_tax",
    "order_total",
)

# What each row reads, in one query (orders LEFT JOIN their lines, JOIN their company).
FIELDS = (
    "number",
    "placed_at",
    "status",
    "payment_status",
    "company__code",
    "company__name",
    "po_number",
    "payment_method_code",
    "shipping_method_code",
    "currency",
    "lines__sku",
    "lines__name",
    "lines__quantity",
    "lines__unit_price",
    "lines__gross",
    "lines__promotion_amount",
    "lines__volume_amount",
    "lines__net",
    "lines__tax_rate",
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "total",
)
LINE_END = "\n"  # as the price-list CSV
# A spreadsheet runs a cell that starts so as a formula: text typed by buyers (PO number)
# or applicants (company name) is given a leading apostrophe, as OWASP advises.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000  # rows fetched at a time
ROWS_PER_CHUNK = 500  # rows per piece of text handed to the response or file


def store_time_zone() -> ZoneInfo:
    """The store's time zone (the server's when there is no store yet)."""
    name = Store.objects.values_list("time_zone", flat=True).first()
    return ZoneInfo(name or settings.TIME_ZONE)


def order_export_rows(
    orders: QuerySet[Order], *, time_zone: ZoneInfo
) -> Iterator[tuple[str | int, ...]]:
    """The CSV rows of `orders` (no header), by placing time, number and line position."""
    rows = (
        Order.objects.filter(pk__in=orders.order_by().values("pk"))
        .order_by("placed_at", "number", "lines__position", "lines__id")
        .values_list(*FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for (
        number,
        placed_at,
        status,
        payment_status,
        company_code,
        company_name,
        po_number,
        payment_method,
        shipping_method,
        currency,
        sku,
        name,
        quantity,
        unit_price,
        gross,
        promotion,
        volume,
        net,
        tax_rate,
        subtotal,
        discount_total,
        shipping_total,
        tax_total,
        total,
    ) in rows:
        has_line = sku is not None
        yield (
            number,
            placed_at.astimezone(time_zone).isoformat(timespec="seconds"),
            status,
            payment_status,
            company_code,
            _text(company_name),
            _text(po_number),
            payment_method,
            shipping_method,
            currency,
            sku or "",
            _text(name or ""),
            quantity if has_line else "",
            _decimal(unit_price),
            _decimal(gross),
            _decimal(promotion + volume) if has_line else "",
            _decimal(net),
            _decimal(tax_rate),
            _decimal(subtotal),
            _decimal(discount_total),
            _decimal(shipping_total),
            _decimal(tax_total),
            _decimal(total),
        )


def _text(value: str) -> str:
    """Free text as a spreadsheet shows it, never as a formula it would run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _decimal(value) -> str:
    """ "1234.50", "9.125": at least 2 decimals, never an exponent; empty for no value."""
    return "" if value is None else format_decimal(value)


class _Collector:
    """A target for `csv.writer` that keeps the text it is given."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)


def order_csv_chunks(
    orders: QuerySet[Order], *, time_zone: ZoneInfo | None = None
) -> Iterator[str]:
    """The CSV text of `orders`, header first, a few hundred rows at a time."""
    time_zone = time_zone or store_time_zone()
    collector = _Collector()
    writer = csv.writer(collector, lineterminator=LINE_END)
    writer.writerow(COLUMNS)
    for row in order_export_rows(orders, time_zone=time_zone):
        writer.writerow(row)
        if len(collector.parts) >= ROWS_PER_CHUNK:
            yield "".join(collector.parts)
            collector.parts.clear()
    if collector.parts:
        yield "".join(collector.parts)


def write_orders_csv(orders: QuerySet[Order], stream: IO[str]) -> int:
    """Writes the CSV of `orders` to a text stream; returns the number of rows (no header)."""
    writer = csv.writer(stream, lineterminator=LINE_END)
    writer.writerow(COLUMNS)
    count = 0
    for row in order_export_rows(orders, time_zone=store_time_zone()):
        writer.writerow(row)
        count += 1
    return count


def orders_placed_between(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    status: str | None = None,
    time_zone: ZoneInfo | None = None,
) -> QuerySet[Order]:
    """Orders placed from `start` to `end` included, days of the store's time zone."""
    time_zone = time_zone or store_time_zone()
    orders = Order.objects.all()
    if start is not None:
        orders = orders.filter(placed_at__gte=_day_start(start, time_zone))
    if end is not None:
        orders = orders.filter(placed_at__lt=_day_start(end + datetime.timedelta(1), time_zone))
    if status is not None:
        orders = orders.filter(status=status)
    return orders


def _day_start(day: datetime.date, time_zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=time_zone)
