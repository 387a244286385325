"""Quotes in the store bundle (issue 17): checked, written and dumped beside orders, by their
number. Kept apart from `checks.py`, `loader.py` and `dumper.py`, which call these.

A loaded quote keeps its rounds and lines as the bundle gives them; the trail of events is
the database's own record and is neither dumped nor loaded.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from comptoir.accounts.models import User
from comptoir.bundle import schema, team_checks, team_writer
from comptoir.bundle.sync import sync_children, upsert
from comptoir.catalog.models import Product
from comptoir.core.money import format_decimal
from comptoir.customers.models import Company
from comptoir.quotes.models import Quote, QuoteLine, QuoteRound
from comptoir.quotes.services import raise_quote_counters

SECTION = "quotes"


def check_quotes(errors, reader, index, known, validate) -> None:
    """Each quote on its own (`validate`, as every item is), then what it names: its company,
    requester, location and SKUs."""
    if SECTION not in index.present:
        return
    numbers: dict[str, int] = {}
    locations = team_checks.order_location_codes(index.sections["companies"])
    for position, raw in enumerate(reader.items(SECTION)):
        path = f"{SECTION}[{position}]"
        quote = validate(errors, (SECTION, position), schema.QuoteItem, raw)
        if quote is None:
            continue
        if quote.number in numbers:
            errors.add(
                f"{path}.number",
                f"duplicate {quote.number!r} (also quotes[{numbers[quote.number]}])",
            )
        numbers.setdefault(quote.number, position)
        if quote.company not in known.companies:
            errors.add(f"{path}.company", f"unknown company {quote.company!r}")
        team_checks.check_order_location(errors, path, quote, locations)
        email = quote.requester.lower()
        if email not in known.emails and email not in known.user_companies:
            errors.add(f"{path}.requester", f"unknown user {quote.requester!r}")
        for round_position, quote_round in enumerate(quote.rounds):
            for line_position, line in enumerate(quote_round.lines):
                if not known.has_sku(index, line.sku):
                    errors.add(
                        f"{path}.rounds[{round_position}].lines[{line_position}].sku",
                        f"unknown product {line.sku!r}",
                    )


def write_quotes(reader, index, currency: str, progress) -> int:
    if SECTION not in index.present:
        return 0
    companies = dict(Company.objects.values_list("code", "id"))
    users = {email.lower(): pk for email, pk in User.objects.values_list("email", "id")}
    locations = team_writer.LocationIds()
    quotes = [schema.QuoteItem.model_validate(raw) for raw in reader.items(SECTION)]
    skus = {line.sku for q in quotes for r in q.rounds for line in r.lines}
    products = {
        sku: (pk, name)
        for sku, pk, name in Product.objects.filter(sku__in=skus).values_list("sku", "id", "name")
    }
    rows = {
        (q.number,): {
            "company_id": companies[q.company],
            "requester_id": users[q.requester.lower()],
            "location_id": locations.of(q.company, q.location),
            "state": q.state,
            "requested_at": q.requested_at,
            "currency": q.currency or currency,
            "wished_delivery_date": q.wished_delivery_date,
            "expires_on": q.expires_on,
            "shipping_price": q.shipping_price,
            "promotions_apply": q.promotions_apply,
            "merchant_note": q.merchant_note,
        }
        for q in quotes
    }
    ids = upsert(Quote, ("number",), rows)
    sync_children(
        QuoteRound,
        "quote_id",
        ids.values(),
        ("position",),
        [
            {
                "quote_id": ids[(q.number,)],
                "position": position,
                "buyer_message": r.buyer_message,
                "merchant_message": r.merchant_message,
                "opened_at": r.opened_at,
                "sent_at": r.sent_at,
                "expires_on": r.expires_on,
                "shipping_price": r.shipping_price,
            }
            for q in quotes
            for position, r in enumerate(q.rounds, start=1)
        ],
    )
    round_ids = {
        (quote_id, position): pk
        for pk, quote_id, position in QuoteRound.objects.filter(
            quote_id__in=ids.values()
        ).values_list("id", "quote_id", "position")
    }
    sync_children(
        QuoteLine,
        "round_id",
        round_ids.values(),
        ("position",),
        [
            {
                "quote_id": ids[(q.number,)],
                "round_id": round_ids[(ids[(q.number,)], round_position)],
                "position": position,
                "product_id": products[line.sku][0],
                "sku": line.sku,
                "name": line.name or products[line.sku][1],
                "quantity": line.qty,
                "list_unit_price": line.list_unit_price,
                "quoted_unit_price": line.quoted_unit_price,
                "discount_percent": line.discount_percent,
                "unit_price": line.unit_price,
                "waive_min_qty": line.waive_min_qty,
                "waive_qty_step": line.waive_qty_step,
            }
            for q in quotes
            for round_position, r in enumerate(q.rounds, start=1)
            for position, line in enumerate(r.lines, start=1)
        ],
    )
    count = len(quotes)
    progress(f"quotes: {count}")
    raise_quote_counters()
    return count


def dump_quotes() -> Iterator[dict]:
    queryset = (
        Quote.objects.select_related("company", "requester", "location")
        .prefetch_related(
            Prefetch(
                "rounds",
                queryset=QuoteRound.objects.order_by("position").prefetch_related(
                    Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "id"))
                ),
            )
        )
        .order_by("number")
    )
    for quote in queryset.iterator(chunk_size=200):
        yield {
            "number": quote.number,
            "company": quote.company.code,
            "requester": quote.requester.email,
            "location": quote.location.code if quote.location else None,
            "state": quote.state,
            "requested_at": quote.requested_at.isoformat(),
            "currency": quote.currency,
            "wished_delivery_date": _day(quote.wished_delivery_date),
            "expires_on": _day(quote.expires_on),
            "shipping_price": format_decimal(quote.shipping_price),
            "promotions_apply": quote.promotions_apply,
            "merchant_note": quote.merchant_note,
            "rounds": [
                {
                    "buyer_message": r.buyer_message,
                    "merchant_message": r.merchant_message,
                    "opened_at": r.opened_at.isoformat(),
                    "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                    "expires_on": _day(r.expires_on),
                    "shipping_price": format_decimal(r.shipping_price),
                    "lines": [
                        {
                            "sku": line.sku,
                            "name": line.name,
                            "qty": line.quantity,
                            "list_unit_price": format_decimal(line.list_unit_price),
                            "quoted_unit_price": format_decimal(line.quoted_unit_price),
                            "discount_percent": format_decimal(line.discount_percent),
                            "unit_price": format_decimal(line.unit_price),
                            "waive_min_qty": line.waive_min_qty,
                            "waive_qty_step": line.waive_qty_step,
                        }
                        for line in r.lines.all()
                    ],
                }
                for r in quote.rounds.all()
            ],
        }


def _day(value) -> str | None:
    return value.isoformat() if value else None
