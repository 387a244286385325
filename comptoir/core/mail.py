"""E-mails to a person, written in that person's language from a pair of templates."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

_LINE_BREAKS = re.compile(r"[ \t\r\n]+")


def language_of(user) -> str:
    return user.language or settings.LANGUAGE_CODE


def send_templated(user, template: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `_body.txt` in the user's language, then send.

    The subject is one line; a non-breaking space (French before ":") is kept.
    """
    with translation.override(language_of(user)):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    send_mail(
        _LINE_BREAKS.sub(" ", subject).strip(), body, settings.DEFAULT_FROM_EMAIL, [user.email]
    )


def staff_with_permission(codename: str) -> list:
    """The active staff with an e-mail address who hold the permission `codename` (given
    or through a group; superusers hold all): those the merchant-side e-mails go to."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename=codename)
            | Q(groups__permissions__codename=codename)
        )
        .distinct()
        .order_by("pk")
    )
    return list(users)
