"""The e-mail to the merchant when an endpoint is disabled: to the active staff who may
change endpoints (superusers included), each in their language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from comptoir.core.mail import send_templated
from comptoir.core.selectors import get_store
from comptoir.webhooks.models import Endpoint


def merchant_staff() -> list:
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="change_endpoint")
            | Q(groups__permissions__codename="change_endpoint")
        )
        .distinct()
        .order_by("pk")
    )
    return list(users)


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
