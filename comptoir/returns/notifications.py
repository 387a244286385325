"""The e-mail telling the buyer who asked for a return that it moved (accepted, refused,
received, credited, cancelled), in their language, with a link to it."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from comptoir.core.mail import language_of, send_templated
from comptoir.returns.models import ReturnEvent, ReturnState


def return_moved(event_id: int) -> None:
    """Tells the requester about one move (`ReturnEvent`): its state, not the return's
    current one, so that each e-mail of moves committed together says its own step."""
    event = (
        ReturnEvent.objects.select_related(
            "request__requested_by", "request__order", "request__credit_note"
        )
        .filter(pk=event_id)
        .first()
    )
    buyer = event.request.requested_by if event else None
    if buyer is None or not buyer.is_active:
        return
    request = event.request
    with translation.override(language_of(buyer)):
        path = reverse("storefront:return", kwargs={"number": request.number})
    send_templated(
        buyer,
        "returns/email/return_moved",
        {
            "request": request,
            "state": event.to_state,
            "state_label": ReturnState(event.to_state).label,
            "message": event.message,
            "link": settings.SITE_URL.rstrip("/") + path,
        },
    )
