"""The moves every writer of a quote makes (buyer, merchant, daily expiry): lock the quote,
ask the transition table (`states.transition`), write, and record the event with its actor.
A refusal raises before anything is written.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import REQUEST_QUOTES
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.quotes import selectors, states
from comptoir.quotes.models import Quote, QuoteEvent, QuoteLine

MAX_MESSAGE = 5_000


def require_quoter(viewer: Viewer) -> None:
    """Quotes need a user of an approved company whose role may request quotes."""
    refused = viewer.company_refusal()
    if refused is not None:
        raise BusinessRuleError(*refused)
    if not viewer.access.allows(REQUEST_QUOTES):
        raise BusinessRuleError(
            "permission_denied", _("Your role does not allow you to request quotes.")
        )


def clean_message(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_MESSAGE:
        raise BusinessRuleError(
            "message_too_long",
            _("A message has at most %(max)s characters.") % {"max": MAX_MESSAGE},
            [{"field": "message", "code": "message_too_long", "message": ""}],
        )
    return text


def refresh_list_prices(quote: Quote, lines: list[QuoteLine]) -> None:
    """Today's price of each line for the requester, kept on the line."""
    today = selectors.today_prices(quote, lines)
    for line in lines:
        line.list_unit_price = today[line.pk].unit_price
    QuoteLine.objects.bulk_update(lines, ["list_unit_price"])


def record(
    quote: Quote, actor, action: str, before: str, after: str, detail: str = "", *, staff=None
) -> None:
    """`staff`: the merchant's staff user acting in `actor`'s name (issue 18), if any."""
    QuoteEvent.objects.create(
        quote=quote,
        at=timezone.now(),
        actor=actor,
        staff=staff,
        action=action,
        from_state=before,
        to_state=after,
        detail=detail,
    )


def locked(quote_id: int) -> Quote:
    return Quote.objects.select_for_update().select_related("company__group").get(pk=quote_id)


def move(quote: Quote, action: str, actor_kind: str, *, today=None) -> tuple[str, str]:
    """(state before, state after) of the transition, or the refusal as a business error."""
    before = quote.state
    quote.state = allowed(quote, action, actor_kind, today=today)
    return before, quote.state


def allowed(quote: Quote, action: str, actor_kind: str, *, today=None) -> str:
    """The state the transition would lead to, or the refusal raised; nothing is changed
    (checkout asks before it places the order that moves the quote)."""
    if (
        action in (states.ACCEPT, states.REJECT, states.REVISE, states.ORDER)
        and quote.state in (states.SENT, states.ACCEPTED)
        and quote.expires_on is not None
        and quote.expires_on < (today or store_today(get_store()))
    ):
        raise refusal(quote, states.QUOTE_EXPIRED)
    found = states.transition(quote.state, action, actor_kind)
    if isinstance(found, states.Refusal):
        raise refusal(quote, found.code)
    return found


def refusal(quote: Quote, code: str) -> BusinessRuleError:
    params = {"number": quote.number}
    if code == states.QUOTE_EXPIRED:
        return BusinessRuleError(code, _("Quote %(number)s has expired.") % params)
    if code == states.NOT_ALLOWED:
        return BusinessRuleError("permission_denied", _("You may not do this with a quote."))
    return BusinessRuleError(
        code,
        _("Quote %(number)s is %(state)s: this cannot be done now.")
        % (params | {"state": quote.get_state_display()}),
    )
