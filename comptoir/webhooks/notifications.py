"""The e-mail to the merchant when an endpoint is disabled: to the active staff who may
change endpoints (superusers included), each in their language."""

from django.conf import settings
from django.urls import reverse

from comptoir.core.mail import send_templated, staff_with_permission
from comptoir.core.selectors import get_store
from comptoir.webhooks.models import Endpoint


def merchant_staff() -> list:
    return staff_with_permission("change_endpoint")


def endpoint_disabled(endpoint_id: int) -> None:
    endpoint = Endpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "admin:webhooks_endpoint_change", args=[endpoint.pk]
    )
    context = {"endpoint": endpoint, "store": get_store(), "link": link}
    for user in merchant_staff():
        send_templated(user, "webhooks/email/endpoint_disabled", context | {"user": user})
