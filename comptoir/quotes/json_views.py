"""The JSON shape of a quote (API `GET /quotes/{number}` and the answers to its actions)."""

from comptoir.core.money import format_decimal as dec
from comptoir.ordering.json_views import without_prices
from comptoir.quotes import selectors, states
from comptoir.quotes.models import Quote


def _day(value) -> str | None:
    return value.isoformat() if value else None


def summary_json(quote: Quote) -> dict:
    return {
        "number": quote.number,
        "state": quote.state,
        "requested_at": quote.requested_at.isoformat(),
        "requester": quote.requester.email,
        "location": quote.location.code if quote.location else None,
        "wished_delivery_date": _day(quote.wished_delivery_date),
        "expires_on": _day(quote.expires_on),
        "currency": quote.currency,
    }


def _round_json(quote_round, sees_prices: bool) -> dict:
    sent = quote_round.sent_at is not None
    return {
        "position": quote_round.position,
        "buyer_message": quote_round.buyer_message,
        "merchant_message": quote_round.merchant_message if sent else "",
        "opened_at": quote_round.opened_at.isoformat(),
        "sent_at": quote_round.sent_at.isoformat() if sent else None,
        # A round being prepared shows none of the merchant's draft terms.
        "expires_on": _day(quote_round.expires_on) if sent else None,
        "shipping_price": dec(quote_round.shipping_price) if sent and sees_prices else None,
        "promotions_apply": quote_round.promotions_apply if sent else None,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "qty": line.quantity,
                "unit_price": dec(line.unit_price) if sent and sees_prices else None,
            }
            for line in quote_round.lines.all()
        ],
    }


def _offer_json(quote: Quote, offer) -> dict:
    names = {line.sku: line.name for line in offer.lines.all()}
    estimate = selectors.quote_estimate(quote, offer)
    return {
        "round": offer.position,
        "expires_on": _day(offer.expires_on),
        "promotions_apply": offer.promotions_apply,
        "lines": [
            {
                "sku": line.sku,
                "name": names[line.sku],
                "qty": line.quantity,
                "unit_price": dec(line.unit_price),
                "gross": dec(line.gross),
                "discount": dec(line.discount),
                "line_total": dec(line.net),
                "explanation": [
                    {
                        "step": step.step,
                        "source": step.source,
                        "detail": step.detail,
                        "unit_price": dec(step.unit_price),
                    }
                    for step in line.steps
                ],
            }
            for line in estimate.lines
        ],
        "subtotal": dec(estimate.subtotal),
        "discount_total": dec(estimate.discount_total),
        "shipping_total": dec(estimate.shipping_total),
        "tax_lines": [
            {
                "rate": dec(tax.rate),
                "base": dec(tax.base),
                "amount": dec(tax.amount),
                "reason": tax.reason or None,
            }
            for tax in estimate.tax_lines
        ],
        "tax_total": dec(estimate.tax_total),
        "total": dec(estimate.total),
        "estimate": True,
    }


def quote_json(quote: Quote, *, sees_prices: bool) -> dict:
    """A quote as its buyer sees it: every round, and the latest offer sent with its taxes
    estimated; amounts are null for a role that does not see prices. Terms are those of the
    offer sent: what the merchant prepares in a new round shows once it is sent."""
    rounds = list(quote.rounds.all())
    in_force = selectors.offer_in_force(quote)
    offer = _offer_json(quote, in_force) if in_force else None
    if offer is not None and not sees_prices:
        offer = without_prices(offer)
    return summary_json(quote) | {
        "promotions_apply": in_force.promotions_apply if in_force else False,
        "actions": [
            action
            for action in states.actions_for(quote.state, states.BUYER)
            if action in states.ANSWERS
        ],
        "offer": offer,
        "rounds": [_round_json(r, sees_prices) for r in rounds],
        "order": quote.order.number if quote.order_id else None,
    }
