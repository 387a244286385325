"""Quotes in the store bundle (issue 17): checked, written and dumped beside orders, by their
number. Kept apart from `checks.py`, `loader.py` and `dumper.py`, which call these.

A loaded quote keeps its rounds and lines as the bundle gives them, its trail of events when
the item lists one (`events` absent: the trail in the database is left as it is), and the
order placed from it, by number.

The terms (expiry, shipping price, promotions on top) are each round's. The quote-level
`expires_on`, `shipping_price` and `promotions_apply` are dumped as those of the offer in force
(the last round sent); on load they fill in a round being prepared (the last, not sent) that
gives none, as bundles written before the terms moved onto the rounds hold them there.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from comptoir.accounts.models import User
from comptoir.bundle import schema, team_checks, team_writer
from comptoir.bundle.sync import sync_children, upsert
from comptoir.catalog.models import Product
from comptoir.core.money import format_decimal
from comptoir.customers.models import Company
from comptoir.ordering.models import Order
from comptoir.quotes.models import Quote, QuoteEvent, QuoteLine, QuoteRound
from comptoir.quotes.services import raise_quote_counters

SECTION = "quotes"


class _OrderLinks:
    """The orders quotes may name: the bundle's and the database's, each from one quote."""

    def __init__(self, index):
        self.bundle = index.order_numbers
        self.seen: dict[str, int] = {}
        self._db = None
        self._links = None

    def exists(self, number: str) -> bool:
        if number in self.bundle:
            return True
        if self._db is None:
            self._db = set(Order.objects.values_list("number", flat=True))
        return number in self._db

    def quote_of(self, number: str) -> str | None:
        """The quote already linked to that order in the database."""
        if self._links is None:
            self._links = dict(
                Quote.objects.filter(order__isnull=False).values_list("order__number", "number")
            )
        return self._links.get(number)


def _check_order(errors, path, quote, links: _OrderLinks, position: int) -> None:
    """Only an ordered quote names the order placed from it, an existing one, its own."""
    if quote.order is None:
        return
    if quote.state != "ordered":
        errors.add(f"{path}.order", f"only an ordered quote has an order, not a {quote.state} one")
    if not links.exists(quote.order):
        errors.add(f"{path}.order", f"unknown order {quote.order!r}")
    if quote.order in links.seen:
        errors.add(
            f"{path}.order",
            f"order {quote.order!r} is already that of quotes[{links.seen[quote.order]}]",
        )
    links.seen.setdefault(quote.order, position)
    linked = links.quote_of(quote.order)
    if linked is not None and linked != quote.number:
        errors.add(f"{path}.order", f"order {quote.order!r} already comes from {linked}")


def _check_events(errors, path, quote, known) -> None:
    seen = set()
    for position, event in enumerate(quote.events or ()):
        event_path = f"{path}.events[{position}]"
        if event.actor is not None:
            email = event.actor.lower()
            if email not in known.emails and email not in known.user_companies:
                errors.add(f"{event_path}.actor", f"unknown user {event.actor!r}")
        key = (event.at, event.action, (event.actor or "").lower())
        if key in seen:
            errors.add(event_path, "the same step by the same user at the same time twice")
        seen.add(key)


def check_quotes(errors, reader, index, known, validate) -> None:
    """Each quote on its own (`validate`, as every item is), then what it names: its company,
    requester, location, SKUs, the users of its trail and the order placed from it."""
    if SECTION not in index.present:
        return
    numbers: dict[str, int] = {}
    locations = team_checks.order_location_codes(index.sections["companies"])
    links = _OrderLinks(index)
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
        _check_order(errors, path, quote, links, position)
        _check_events(errors, path, quote, known)
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
    orders = dict(
        Order.objects.filter(number__in={q.order for q in quotes if q.order}).values_list(
            "number", "id"
        )
    )
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
            "merchant_note": q.merchant_note,
            "order_id": orders[q.order] if q.order else None,
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
            {"quote_id": ids[(q.number,)], "position": position} | _round_terms(q, position, r)
            for q in quotes
            for position, r in enumerate(q.rounds, start=1)
        ],
    )
    _write_events([q for q in quotes if q.events is not None], ids, users)
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


def _round_terms(quote: schema.QuoteItem, position: int, r: schema.QuoteRoundItem) -> dict:
    """A round's row; the last one, not sent, takes the quote-level terms it does not give."""
    preparing = position == len(quote.rounds) and r.sent_at is None
    expires_on, shipping = r.expires_on, r.shipping_price
    if preparing:
        expires_on = expires_on if expires_on is not None else quote.expires_on
        shipping = shipping if shipping is not None else quote.shipping_price
    return {
        "buyer_message": r.buyer_message,
        "merchant_message": r.merchant_message,
        "opened_at": r.opened_at,
        "sent_at": r.sent_at,
        "expires_on": expires_on,
        "shipping_price": shipping,
        "promotions_apply": quote.promotions_apply
        if r.promotions_apply is None
        else r.promotions_apply,
    }


def _write_events(quotes: list[schema.QuoteItem], ids: dict, users: dict[str, int]) -> None:
    """The trail of the quotes that list one, replaced by it (matched by time, action, actor)."""
    sync_children(
        QuoteEvent,
        "quote_id",
        [ids[(q.number,)] for q in quotes],
        ("at", "action", "actor_id"),
        [
            {
                "quote_id": ids[(q.number,)],
                "at": event.at,
                "action": event.action,
                "actor_id": users[event.actor.lower()] if event.actor else None,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "detail": event.detail,
            }
            for q in quotes
            for event in q.events
        ],
    )


def dump_quotes() -> Iterator[dict]:
    queryset = (
        Quote.objects.select_related("company", "requester", "location", "order")
        .prefetch_related(
            Prefetch(
                "rounds",
                queryset=QuoteRound.objects.order_by("position").prefetch_related(
                    Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "id"))
                ),
            ),
            Prefetch(
                "events", queryset=QuoteEvent.objects.select_related("actor").order_by("at", "id")
            ),
        )
        .order_by("number")
    )
    for quote in queryset.iterator(chunk_size=200):
        rounds = list(quote.rounds.all())
        sent = [r for r in rounds if r.sent_at is not None]
        in_force = sent[-1] if sent else rounds[-1]
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
            "shipping_price": format_decimal(in_force.shipping_price),
            "promotions_apply": in_force.promotions_apply,
            "merchant_note": quote.merchant_note,
            "order": quote.order.number if quote.order_id else None,
            "rounds": [
                {
                    "buyer_message": r.buyer_message,
                    "merchant_message": r.merchant_message,
                    "opened_at": r.opened_at.isoformat(),
                    "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                    "expires_on": _day(r.expires_on),
                    "shipping_price": format_decimal(r.shipping_price),
                    "promotions_apply": r.promotions_apply,
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
                for r in rounds
            ],
            "events": [
                {
                    "at": event.at.isoformat(),
                    "actor": event.actor.email if event.actor else None,
                    "action": event.action,
                    "from_state": event.from_state,
                    "to_state": event.to_state,
                    "detail": event.detail,
                }
                for event in quote.events.all()
            ],
        }


def _day(value) -> str | None:
    return value.isoformat() if value else None
