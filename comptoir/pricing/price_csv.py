"""Price lists as CSV: one tier per row, `sku,min_qty,price` (issue 3, point 4).

Reading checks every row and collects every problem with its line number, so a merchant
fixes a file in one go; `price_list_import_csv` (services.py) writes only a file without
any. Accepted: UTF-8 with or without a BOM; `,` or `;` as separator (detected from the
header; `;` is what a French Excel writes), with a decimal comma allowed when the separator
is `;`; columns in any order; an empty `min_qty` meaning 1; blank rows ignored.
"""

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _

from comptoir.catalog.models import Product
from comptoir.catalog.selectors import sku_key, with_skus
from comptoir.core.money import PRICE_UNIT, format_decimal, parse_decimal
from comptoir.pricing.models import PriceEntry

COLUMNS = ("sku", "min_qty", "price")
PRICE_PLACES = 4
MAX_PRICE = Decimal("9999999999.9999")  # PriceField: 14 digits, 4 of them decimals
MAX_MIN_QTY = 2_147_483_647  # PositiveIntegerField on every supported database
SKU_CHUNK = 1000
SHOWN_VALUE = 40  # a bad value is quoted in the message, cut to this many characters

DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
WHOLE_RE = re.compile(r"^[+-]?\d{1,18}$", re.ASCII)  # longer is too large anyway


@dataclass(frozen=True)
class PriceRow:
    line: int
    sku: str
    min_qty: int
    price: Decimal


@dataclass
class ParsedPriceCsv:
    """The good rows of a file and the problems of the others (line, field, message)."""

    rows: list[PriceRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def error(self, line: int, column: str | None, message: str) -> None:
        self.errors.append({"line": line, "field": column, "message": message})


def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """An uploaded (binary) file as text: UTF-8, a BOM skipped, line ends left to `csv`."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def error_lines(errors: Iterable[dict]) -> list[str]:
    """The problems as a merchant reads them: "line 7: price: 'abc' is not a decimal"."""
    return [
        _("line %(line)d: %(message)s") % {"line": error["line"], "message": error["message"]}
        for error in errors
    ]


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def _parse_price(text: str, decimal_comma: bool) -> tuple[Decimal | None, str | None]:
    """The price of a cell, or the reason it is refused."""
    value = text.replace(",", ".") if decimal_comma else text
    if not value:
        return None, _("price: missing")
    if not DECIMAL_RE.match(value):
        return None, _("price: '%(value)s' is not a decimal") % {"value": _shown(text)}
    price = parse_decimal(value)
    quantized = price.quantize(PRICE_UNIT)
    if quantized != price:
        return None, _("price: '%(value)s' has more than %(places)d decimals") % {
            "value": _shown(text),
            "places": PRICE_PLACES,
        }
    if price < 0:
        return None, _("price: '%(value)s' is negative") % {"value": _shown(text)}
    if price > MAX_PRICE:
        return None, _("price: '%(value)s' is too large (at most %(max)s)") % {
            "value": _shown(text),
            "max": MAX_PRICE,
        }
    return quantized + 0, None  # + 0 turns -0 into 0


def _parse_min_qty(text: str) -> tuple[int | None, str | None]:
    if not text:
        return 1, None
    if not WHOLE_RE.match(text):
        if text.lstrip("+-").isascii() and text.lstrip("+-").isdigit():
            return None, _("min_qty: '%(value)s' is too large") % {"value": _shown(text)}
        return None, _("min_qty: '%(value)s' is not a whole number") % {"value": _shown(text)}
    min_qty = int(text)
    if min_qty < 1:
        return None, _("min_qty: %(value)d is below 1") % {"value": min_qty}
    if min_qty > MAX_MIN_QTY:
        return None, _("min_qty: '%(value)s' is too large") % {"value": _shown(text)}
    return min_qty, None


def _header(parsed: ParsedPriceCsv, cells: list[str]) -> dict[str, int] | None:
    """Column name → position, or None after noting what is wrong with the header."""
    names = [cell.strip().lower() for cell in cells]
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if not name:
            parsed.error(1, None, _("column %(position)d has no name") % {"position": position + 1})
        elif name in positions:
            parsed.error(1, name, _("column '%(name)s' appears twice") % {"name": _shown(name)})
        elif name not in COLUMNS:
            parsed.error(
                1,
                None,
                _("unexpected column '%(name)s' (the columns are sku, min_qty, price)")
                % {"name": _shown(name)},
            )
        positions.setdefault(name, position)
    for name in COLUMNS:
        if name not in positions:
            parsed.error(1, name, _("missing column '%(name)s'") % {"name": name})
    return None if parsed.errors else positions


def _not_utf8() -> str:
    return _("the file is not UTF-8 text (save it as CSV UTF-8)")


def _open(stream: IO[str], parsed: ParsedPriceCsv) -> tuple[str, Iterator] | None:
    """The separator and the records of a stream, or None after noting why it cannot be read."""
    try:
        first = stream.readline()
    except UnicodeDecodeError:
        parsed.error(1, None, _not_utf8())
        return None
    first = first.removeprefix("\ufeff")
    if not first.strip():
        parsed.error(1, None, _("the file is empty (expected the header sku,min_qty,price)"))
        return None
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain([first], stream), delimiter=delimiter, strict=True)
    return delimiter, _records(reader, parsed)


def _records(reader, parsed: ParsedPriceCsv) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; undecodable or broken input ends with an error."""
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except UnicodeDecodeError:
        parsed.error(line, None, _not_utf8())
    except csv.Error as exc:
        parsed.error(line, None, _("unreadable CSV: %(reason)s") % {"reason": str(exc)})


def parse_price_csv(stream: IO[str]) -> ParsedPriceCsv:
    """Every row of a CSV text stream checked on its own (SKUs are not looked up here)."""
    parsed = ParsedPriceCsv()
    opened = _open(stream, parsed)
    if opened is None:
        return parsed
    delimiter, records = opened
    first = next(records, None)
    if first is None:
        return parsed
    header = first[1]
    positions = _header(parsed, header)
    if positions is None:
        return parsed
    seen: dict[tuple[str, int], int] = {}
    for line, cells in records:
        if not "".join(cells).strip():
            continue  # a blank line, or a row of empty cells as spreadsheets write them
        if len(cells) != len(header):
            message = _("%(found)d values where the header has %(expected)d") % {
                "found": len(cells),
                "expected": len(header),
            }
            if delimiter == "," and len(cells) > len(header):
                message += " " + _("(a decimal comma needs ';' as separator, or quotes)")
            parsed.error(line, None, message)
            continue
        sku = cells[positions["sku"]].strip()
        min_qty, min_qty_error = _parse_min_qty(cells[positions["min_qty"]].strip())
        price, price_error = _parse_price(cells[positions["price"]].strip(), delimiter == ";")
        if not sku:
            parsed.error(line, "sku", _("sku: missing"))
        if min_qty_error:
            parsed.error(line, "min_qty", min_qty_error)
        if price_error:
            parsed.error(line, "price", price_error)
        if not sku or min_qty_error or price_error:
            continue
        first_line = seen.setdefault((sku, min_qty), line)
        if first_line != line:
            parsed.error(
                line,
                None,
                _("duplicate tier %(sku)s from %(min_qty)d (also line %(line)d)")
                % {"sku": _shown(sku), "min_qty": min_qty, "line": first_line},
            )
            continue
        parsed.rows.append(PriceRow(line=line, sku=sku, min_qty=min_qty, price=price))
    if not parsed.rows and not parsed.errors:
        parsed.error(1, None, _("the file has a header but no price rows"))
    return parsed


def product_ids_by_sku(skus: Iterable[str]) -> dict[str, int]:
    """`sku_key` → product id for the SKUs that exist (whatever the case they are typed in),
    one query per chunk of SKUs."""
    wanted = sorted(set(skus))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), SKU_CHUNK):
        chunk = with_skus(Product.objects.all(), wanted[start : start + SKU_CHUNK])
        found.update((sku_key(sku), pk) for sku, pk in chunk.values_list("sku", "id"))
    return found


def read_price_csv(stream: IO[str]) -> tuple[dict[tuple[int, int], Decimal], list[dict]]:
    """The tiers of a file as (product id, min_qty) → price, and every problem, by line.

    The tiers are only to be written when there is no problem at all.
    """
    parsed = parse_price_csv(stream)
    ids = product_ids_by_sku(row.sku for row in parsed.rows)
    wanted: dict[tuple[int, int], Decimal] = {}
    for row in parsed.rows:
        product_id = ids.get(sku_key(row.sku))
        if product_id is None:
            parsed.error(row.line, "sku", _("unknown SKU '%(sku)s'") % {"sku": _shown(row.sku)})
        else:
            wanted[(product_id, row.min_qty)] = row.price
    parsed.errors.sort(key=lambda error: error["line"])  # stable: a line keeps its order
    return wanted, parsed.errors


class _Collector:
    """A target for `csv.writer` that keeps the text it is given."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)


def price_list_csv_chunks(price_list, rows_per_chunk: int = 1000) -> Iterator[str]:
    """A list's tiers as CSV text (header, then by SKU and quantity), a chunk of rows at a time.

    Prices keep 2 to 4 decimals (10.00, 8.425); the rows stream from the database, so a
    list of any length is written with bounded memory.
    """
    collector = _Collector()
    writer = csv.writer(collector, lineterminator="\n")
    writer.writerow(COLUMNS)
    entries = (
        PriceEntry.objects.filter(price_list=price_list)
        .order_by("product__sku", "min_qty")
        .values_list("product__sku", "min_qty", "price")
        .iterator(chunk_size=2000)
    )
    for sku, min_qty, price in entries:
        writer.writerow((sku, min_qty, format_decimal(price)))
        if len(collector.parts) >= rows_per_chunk:
            yield "".join(collector.parts)
            collector.parts.clear()
    if collector.parts:
        yield "".join(collector.parts)


def write_price_list_csv(price_list, stream: IO[str]) -> int:
    """Writes a list's tiers as CSV to a text stream; returns the number of tiers written."""
    lines = 0
    for chunk in price_list_csv_chunks(price_list):
        stream.write(chunk)
        lines += chunk.count("\n")  # SKUs are codes: no line breaks inside a row
    return lines - 1
