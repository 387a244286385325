"""E-mails to a person, written in that person's language from a pair of templates."""

import re

from django.conf import settings
from django.core.mail import send_mail
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
