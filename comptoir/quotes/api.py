"""Quotes over the REST API (issue 17): request one, list them, read one, answer an offer.
The same services as the storefront's pages; refusals keep their codes (409 `quote_expired`
and `quote_not_open`, 404 for another company's quote)."""

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from comptoir.api.openapi import QuoteOut, QuotePage, documented
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.core.absent import NullIsAbsent
from comptoir.quotes import selectors, services
from comptoir.quotes.json_views import quote_json, summary_json
from comptoir.quotes.services import MAX_LINES, QuoteRequest
from comptoir.quotes.workflow import MAX_MESSAGE, require_quoter

# The caller is checked before the body is read: 401 for a guest whatever it sends.
router = Router(tags=["quotes"], auth=BearerAuth(check=require_quoter))
CALLER = (401, 403)
QUOTE_EXAMPLE = "DEV-2026-000001"


class QuoteLineIn(NullIsAbsent):
    sku: str = Field(..., max_length=64)
    qty: Any = Field(..., json_schema_extra={"type": "integer", "minimum": 1, "maximum": 1_000_000})


class QuoteIn(NullIsAbsent):
    lines: list[QuoteLineIn] | None = Field(
        None, max_length=MAX_LINES, description="The lines asked; absent: `from_cart`."
    )
    from_cart: bool = Field(False, description="Ask for the cart's lines, as they are.")
    message: str = Field("", max_length=MAX_MESSAGE)
    wished_delivery_date: datetime.date | None = None
    location: str | None = Field(None, max_length=64, description="A location code.")


class QuoteMessageIn(NullIsAbsent):
    message: str = Field("", max_length=MAX_MESSAGE)


class QuotePaging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _json_quantity(value: Any) -> Any:
    """API.md: a quantity is a JSON integer; "24" or 24.0 are refused as any bad quantity."""
    return value if isinstance(value, int) and not isinstance(value, bool) else repr(value)


def _found(caller, number: str):
    quote = selectors.company_quote(caller, number)
    if quote is None:
        raise ApiError(404, "not_found", _("No quote %(number)s.") % {"number": number})
    return quote


def _answer(caller, number: str) -> dict:
    return quote_json(_found(caller, number), sees_prices=caller.sees_prices)


@router.post(
    "/quotes",
    response={201: dict},
    openapi_extra=documented(QuoteOut, status=201, errors=(*CALLER, 400, 422)),
)
def request_quote(request, body: QuoteIn):
    """Ask for a quote: `lines` of `{sku, qty}`, or `from_cart: true` for the cart's lines."""
    caller = request.auth
    if body.lines is None and not body.from_cart:
        raise ApiError(
            422,
            "quote_empty",
            _("Give the lines to quote, or ask for the cart's lines."),
            [{"field": "lines", "code": "quote_empty", "message": ""}],
        )
    if body.lines is None:
        quote = services.quote_request_from_cart(
            viewer=caller,
            message=body.message,
            wished_delivery_date=body.wished_delivery_date,
            location=body.location,
        )
    else:
        rows = [(line.sku, _json_quantity(line.qty)) for line in body.lines]
        quote = services.quote_request(
            viewer=caller,
            request=QuoteRequest(rows, body.message, body.wished_delivery_date, body.location),
        )
    return Status(201, _answer(caller, quote.number))


@router.get("/quotes", openapi_extra=documented(QuotePage, errors=(*CALLER, 400)))
def list_quotes(request, paging: Query[QuotePaging]):
    """The company's quotes the caller may see, newest first."""
    caller = request.auth
    page = Paginator(selectors.company_quotes(caller), paging.page_size).get_page(paging.page)
    return {
        "items": [summary_json(quote) for quote in page.object_list]
        if page.number == paging.page
        else [],
        "count": page.paginator.count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.get("/quotes/{number}", openapi_extra=documented(QuoteOut, errors=(*CALLER, 404)))
def get_quote(request, number: str = Path(..., examples=[QUOTE_EXAMPLE])):
    """A quote with every round, and the latest offer sent with its taxes estimated."""
    return _answer(request.auth, number)


@router.post(
    "/quotes/{number}/accept", openapi_extra=documented(QuoteOut, errors=(*CALLER, 404, 409))
)
def accept_quote(request, number: str = Path(..., examples=[QUOTE_EXAMPLE])):
    """Accept the offer sent: 409 `quote_expired` past its last valid day, `quote_not_open`
    when it is not waiting for an answer."""
    caller = request.auth
    services.quote_accept(viewer=caller, number=number)
    return _answer(caller, number)


@router.post(
    "/quotes/{number}/reject",
    openapi_extra=documented(QuoteOut, errors=(*CALLER, 400, 404, 409, 422)),
)
def reject_quote(request, body: QuoteMessageIn, number: str = Path(..., examples=[QUOTE_EXAMPLE])):
    caller = request.auth
    services.quote_reject(viewer=caller, number=number, message=body.message)
    return _answer(caller, number)


@router.post(
    "/quotes/{number}/revise",
    openapi_extra=documented(QuoteOut, errors=(*CALLER, 400, 404, 409, 422)),
)
def revise_quote(request, body: QuoteMessageIn, number: str = Path(..., examples=[QUOTE_EXAMPLE])):
    """Ask for another offer; `message` says what should change (422 `message_required`)."""
    caller = request.auth
    services.quote_revise(viewer=caller, number=number, message=body.message)
    return _answer(caller, number)
