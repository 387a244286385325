"""The e-mails of returns: to the buyer who asked, each move (accepted, refused, received,
credited, cancelled), and to the merchant's staff who handle returns, each new request;
each reader in their language, with a link to the return."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from comptoir.core.mail import language_of, send_templated, staff_with_permission
from comptoir.core.selectors import get_store
from comptoir.returns.models import ReturnEvent, ReturnRequest, ReturnState


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


def return_requested(request_id: int) -> None:
    """Tells the staff who may change returns (superusers included) that a buyer asked for
    one, so that it is decided within the window the buyer waits on."""
    request = (
        ReturnRequest.objects.select_related("order", "company", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "admin:returns_returnrequest_change", args=[request.pk]
    )
    context = {
        "request": request,
        "lines": list(request.lines.order_by("pk")),
        "store": get_store(),
        "link": link,
    }
    for user in staff_with_permission("change_returnrequest"):
        send_templated(user, "returns/email/return_requested", context | {"user": user})
