"""The e-mail telling the buyer that a credit note was issued on their order's invoice by
hand in the back office (a return's credit note is told by the return's own e-mail), in
their language, with a link to it."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from comptoir.core.mail import language_of, send_templated
from comptoir.credits.models import CreditNote
from comptoir.payments.documents import amount


def credit_note_issued(note_id: int) -> None:
    note = CreditNote.objects.select_related("invoice__order__buyer").filter(pk=note_id).first()
    buyer = note.invoice.order.buyer if note else None
    if buyer is None or not buyer.is_active or not buyer.email:
        return
    with translation.override(language_of(buyer)):
        path = reverse("storefront:credit_note", kwargs={"number": note.number})
        total = f"{amount(note.total)} {note.currency}"
    send_templated(
        buyer,
        "credits/email/credit_note_issued",
        {
            "note": note,
            "total": total,
            "link": settings.SITE_URL.rstrip("/") + path,
        },
    )
