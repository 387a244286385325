"""The e-mail telling a buyer that their quote is ready, in their language, with a link."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from comptoir.accounts.permissions import SEE_PRICES
from comptoir.accounts.selectors import user_access
from comptoir.core.mail import language_of, send_templated
from comptoir.quotes import selectors


def quote_sent(quote_id: int) -> None:
    quote = selectors.full_quote(quote_id)
    buyer = quote.requester
    if not buyer.is_active:
        return
    with translation.override(language_of(buyer)):
        path = reverse("storefront:quote", kwargs={"number": quote.number})
    sent = selectors.offer_in_force(quote)
    estimate = selectors.quote_estimate(quote, sent)
    send_templated(
        buyer,
        "quotes/email/quote_sent",
        {
            "quote": quote,
            "round": sent,
            "estimate": estimate,
            "sees_prices": user_access(buyer).allows(SEE_PRICES),
            "link": settings.SITE_URL.rstrip("/") + path,
        },
    )
