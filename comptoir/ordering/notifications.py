"""The order confirmation e-mail, sent once the order is committed, in the buyer's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from comptoir.ordering.models import Order


def order_placed(order_id: int) -> None:
    order = (
        Order.objects.select_related("buyer", "company")
        .prefetch_related("lines", "tax_lines")
        .get(pk=order_id)
    )
    if order.buyer is None:
        return
    with translation.override(order.buyer.language or settings.LANGUAGE_CODE):
        context = {"order": order}
        subject = render_to_string("ordering/email/order_placed_subject.txt", context)
        body = render_to_string("ordering/email/order_placed_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [order.buyer.email])
